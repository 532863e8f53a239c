#include "model/kernels.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/error.hpp"
#include "util/text.hpp"

namespace ptr {

using json = nlohmann::json;

namespace {

[[noreturn]] void malformed(const std::string& file, const std::string& key, const std::string& why) {
  throw_input(file, fmt::format("KernelsJsonMalformed: {}: {}", key, why), -1, {},
              "see docs/formats/kernels.md; import_kernels validates a file before it lands");
}

std::optional<double> opt_num(const json& j, const char* k) {
  auto it = j.find(k);
  if (it == j.end() || it->is_null() || !it->is_number()) return std::nullopt;
  double v = it->get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

template <class T>
void put(json& j, const char* k, const std::optional<T>& v) {
  if (v) j[k] = *v;
}

}  // namespace

bool is_kernel_category(const std::string& s) {
  return std::find_if(kKernelCategories.begin(), kKernelCategories.end(), [&](const char* c) { return s == c; }) !=
         kKernelCategories.end();
}

double KernelBreakdown::total_ms() const {
  double t = 0;
  for (const auto& [k, v] : category_ms) t += v;
  return t;
}

double KernelBreakdown::share_pct(const std::string& category) const {
  double t = total_ms();
  auto it = category_ms.find(category);
  return t > 0 && it != category_ms.end() ? it->second / t * 100 : 0;
}

json kernel_record_to_json(const KernelRecord& k) {
  json j = {{"name", k.name}, {"category", k.category}};
  put(j, "id", k.id);
  put(j, "total_time_ms", k.total_time_ms);
  put(j, "duration_us", k.duration_us);
  put(j, "instances", k.instances);
  put(j, "dram_pct", k.dram_pct);
  put(j, "memory_pct", k.memory_pct);
  put(j, "sm_pct", k.sm_pct);
  put(j, "dram_bytes", k.dram_bytes);
  put(j, "flop_count", k.flop_count);
  put(j, "nvtx", k.nvtx);
  return j;
}

namespace {

KernelRecord kernel_record_from_json(const json& j, const std::string& file, const std::string& where, bool strict) {
  if (!j.is_object()) malformed(file, where, "expected an object");
  KernelRecord k;
  if (!j.contains("name") || !j["name"].is_string() || j["name"].get<std::string>().empty())
    malformed(file, where + ".name", "expected a non-empty string");
  k.name = j["name"].get<std::string>();
  k.category = j.value("category", std::string("other"));
  if (!is_kernel_category(k.category)) malformed(file, where + ".category", "'" + k.category + "' is not one of gemm, attention, moe, communication, elementwise, other");
  for (const char* key : {"total_time_ms", "duration_us", "dram_pct", "memory_pct", "sm_pct", "dram_bytes", "flop_count"}) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) continue;
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0)
      malformed(file, where + "." + key, "expected a finite number >= 0");
  }
  if (strict)
    for (const char* key : {"dram_pct", "memory_pct", "sm_pct"})
      if (auto v = opt_num(j, key); v && *v > 100.5) malformed(file, where + "." + key, "a percentage of peak above 100");
  k.total_time_ms = opt_num(j, "total_time_ms");
  k.duration_us = opt_num(j, "duration_us");
  k.dram_pct = opt_num(j, "dram_pct");
  k.memory_pct = opt_num(j, "memory_pct");
  k.sm_pct = opt_num(j, "sm_pct");
  k.dram_bytes = opt_num(j, "dram_bytes");
  k.flop_count = opt_num(j, "flop_count");
  if (auto it = j.find("id"); it != j.end() && it->is_number_integer()) k.id = it->get<long>();
  if (auto it = j.find("instances"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<long>() < 0) malformed(file, where + ".instances", "expected an integer >= 0");
    k.instances = it->get<long>();
  }
  if (auto it = j.find("nvtx"); it != j.end() && it->is_string()) k.nvtx = it->get<std::string>();
  return k;
}

}  // namespace

namespace {
KernelBreakdown kernel_breakdown_body(const json& j, const std::string& file) {
  if (!j.is_object()) malformed(file, "(top level)", "expected a JSON object");
  auto sv = j.find("schema_version");
  if (sv == j.end() || !sv->is_string()) malformed(file, "schema_version", "missing; expected \"kernels_v1\"");
  if (sv->get<std::string>() != "kernels_v1")
    malformed(file, "schema_version", "'" + sv->get<std::string>() + "' is not kernels_v1");
  auto cats = j.find("categories_ms");
  if (cats == j.end() || !cats->is_object()) malformed(file, "categories_ms", "missing; expected an object of milliseconds per category");
  KernelBreakdown k;
  for (auto it = cats->begin(); it != cats->end(); ++it) {
    if (!is_kernel_category(it.key()))
      malformed(file, "categories_ms." + it.key(), "not a category (gemm, attention, moe, communication, elementwise, other)");
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0)
      malformed(file, "categories_ms." + it.key(), "expected a finite number of milliseconds >= 0");
    k.category_ms[it.key()] = it->get<double>();
  }
  for (const char* c : kKernelCategories) k.category_ms.emplace(c, 0.0);
  if (!(k.total_ms() > 0)) malformed(file, "categories_ms", "no GPU time in any category");
  if (auto s = j.find("source"); s != j.end()) {
    if (!s->is_object()) malformed(file, "source", "expected an object {file, format}");
    k.source_file = s->value("file", std::string());
    k.source_format = s->value("format", std::string());
  }
  if (auto s = j.find("scope"); s != j.end()) {
    if (!s->is_string()) malformed(file, "scope", "expected a string");
    k.scope = s->get<std::string>();
  }
  if (auto t = j.find("top_kernels"); t != j.end()) {
    if (!t->is_array()) malformed(file, "top_kernels", "expected an array");
    for (size_t i = 0; i < t->size(); ++i)
      k.top_kernels.push_back(kernel_record_from_json((*t)[i], file, fmt::format("top_kernels[{}]", i), false));
  }
  return k;
}
}  // namespace

KernelBreakdown kernel_breakdown_from_json(const json& j, const std::string& file) {
  try {
    return kernel_breakdown_body(j, file);
  } catch (const json::exception& e) {
    // A value of another type than expected: one input error, never the library's exception.
    throw_input(file, std::string("wrong type in a kernels.json: ") + excerpt(e.what(), 160));
  }
}

json kernel_breakdown_to_json(const KernelBreakdown& k) {
  json cats = json::object();
  for (const char* c : kKernelCategories) cats[c] = k.category_ms.count(c) ? k.category_ms.at(c) : 0.0;
  json j = {{"schema_version", "kernels_v1"}, {"categories_ms", cats}, {"total_ms", k.total_ms()}};
  if (!k.source_file.empty() || !k.source_format.empty()) j["source"] = {{"file", k.source_file}, {"format", k.source_format}};
  if (!k.scope.empty()) j["scope"] = k.scope;
  if (!k.top_kernels.empty()) {
    j["top_kernels"] = json::array();
    for (const auto& r : k.top_kernels) j["top_kernels"].push_back(kernel_record_to_json(r));
  }
  return j;
}

std::vector<NcuKernelSummary> summarize_by_name(const NcuCapture& c) {
  struct Acc {
    NcuKernelSummary s;
    double w[3] = {0, 0, 0}, v[3] = {0, 0, 0};
  };
  std::vector<Acc> acc;
  for (const auto& k : c.kernels) {
    auto it = std::find_if(acc.begin(), acc.end(), [&](const Acc& a) { return a.s.name == k.name; });
    if (it == acc.end()) {
      acc.push_back({});
      it = acc.end() - 1;
      it->s.name = k.name;
      it->s.category = k.category;
    }
    ++it->s.launches;
    double d = k.duration_us.value_or(0);
    it->s.total_us += d;
    const std::optional<double>* pct[3] = {&k.dram_pct, &k.memory_pct, &k.sm_pct};
    for (int i = 0; i < 3; ++i)
      if (*pct[i]) {
        double w = d > 0 ? d : 1;  // a launch without a duration still counts, once
        it->w[i] += w;
        it->v[i] += w * **pct[i];
      }
  }
  std::vector<NcuKernelSummary> out;
  for (auto& a : acc) {
    std::optional<double>* dst[3] = {&a.s.dram_pct, &a.s.memory_pct, &a.s.sm_pct};
    for (int i = 0; i < 3; ++i)
      if (a.w[i] > 0) *dst[i] = a.v[i] / a.w[i];
    out.push_back(a.s);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.total_us > b.total_us; });
  return out;
}

namespace {
std::vector<NcuCapture> ncu_captures_body(const json& j, const std::string& file) {
  if (!j.is_object() || j.value("schema_version", std::string()) != "ncu_v1")
    throw_input(file, "not an ncu_v1 file (schema_version)", -1, "schema_version", "re-import with import_ncu");
  auto caps = j.find("captures");
  if (caps == j.end() || !caps->is_array()) throw_input(file, "expected an array of captures", -1, "captures");
  std::vector<NcuCapture> out;
  for (size_t i = 0; i < caps->size(); ++i) {
    const json& c = (*caps)[i];
    if (!c.is_object() || !c.contains("kernels") || !c["kernels"].is_array())
      throw_input(file, "expected {label, file, layout, kernels[]}", -1, fmt::format("captures[{}]", i));
    NcuCapture cap;
    cap.label = c.value("label", std::string());
    cap.file = c.value("file", std::string());
    cap.layout = c.value("layout", std::string());
    for (size_t k = 0; k < c["kernels"].size(); ++k) {
      try {
        cap.kernels.push_back(kernel_record_from_json(c["kernels"][k], file, fmt::format("captures[{}].kernels[{}]", i, k), true));
      } catch (Error& e) {
        // Same rules as kernels.json, without its error name.
        std::string m = e.message;
        if (m.rfind("KernelsJsonMalformed: ", 0) == 0) m = m.substr(22);
        throw_input(file, m);
      }
    }
    out.push_back(std::move(cap));
  }
  return out;
}
}  // namespace

std::vector<NcuCapture> ncu_captures_from_json(const json& j, const std::string& file) {
  try {
    return ncu_captures_body(j, file);
  } catch (const json::exception& e) {
    // A value of another type than expected: one input error, never the library's exception.
    throw_input(file, std::string("wrong type in an ncu.json: ") + excerpt(e.what(), 160));
  }
}

std::string short_kernel_name(const std::string& name) {
  std::string out, first_arg;
  int depth = 0;
  bool in_first = false, first_done = false;
  for (char ch : name) {
    if (ch == '<' || ch == '(' || ch == '[') {
      if (depth == 0 && ch == '<' && !first_done) in_first = true;
      else if (in_first) first_arg += ch;
      ++depth;
    } else if (ch == '>' || ch == ')' || ch == ']') {
      depth = std::max(0, depth - 1);
      if (depth == 0 && in_first) in_first = false, first_done = true;
      else if (in_first) first_arg += ch;
    } else if (depth == 0) {
      out += ch;
    } else if (in_first) {
      if (depth == 1 && ch == ',') in_first = false, first_done = true;
      else first_arg += ch;
    }
  }
  // Drop a leading return type ("void ", "enable_if::type ").
  if (auto sp = out.rfind(' '); sp != std::string::npos) out = out.substr(sp + 1);
  while (!out.empty() && (out.back() == ' ' || out.back() == ':')) out.pop_back();
  if (out.empty()) return name;
  // A generic template name (cutlass::Kernel2, device_kernel) says little: keep its first argument.
  std::string last = out.substr(out.rfind(':') == std::string::npos ? 0 : out.rfind(':') + 1);
  std::string low;
  for (char ch : last) low += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  bool generic = last.size() <= 8 || low.rfind("kernel", 0) == 0 || low == "device_kernel";
  while (!first_arg.empty() && first_arg.front() == ' ') first_arg.erase(first_arg.begin());
  if (generic && !first_arg.empty()) out += "<" + (first_arg.size() > 60 ? first_arg.substr(0, 57) + "..." : first_arg) + ">";
  return out;
}

std::string kernel_functor(const std::string& name) {
  std::string base = short_kernel_name(name);
  size_t colon = base.rfind(':');
  std::string own = base.substr(colon == std::string::npos ? 0 : colon + 1);
  size_t args = name.find('<');
  if (args == std::string::npos) return "";
  std::string word;
  auto pick = [&]() -> bool {
    if (word.empty() || word == own) return false;
    bool named = word.find("kernel") != std::string::npos || word.find("Functor") != std::string::npos ||
                 word.find("Op") != std::string::npos || word.find("functor") != std::string::npos;
    return named && word != "gpu_kernel_impl" && word != "gpu_kernel_impl_nocast" && word.rfind("lambda", 0) != 0;
  };
  for (size_t i = args; i <= name.size(); ++i) {
    char ch = i < name.size() ? name[i] : ' ';
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') {
      word += ch;
      continue;
    }
    if (pick()) return word;
    word.clear();
  }
  return "";
}

json ncu_captures_to_json(const std::vector<NcuCapture>& captures) {
  json caps = json::array();
  for (const auto& c : captures) {
    json ks = json::array();
    for (const auto& k : c.kernels) ks.push_back(kernel_record_to_json(k));
    caps.push_back({{"label", c.label}, {"file", c.file}, {"layout", c.layout}, {"kernels", ks}});
  }
  return {{"schema_version", "ncu_v1"}, {"captures", caps}};
}

}  // namespace ptr
