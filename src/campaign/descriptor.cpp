#include "campaign/descriptor.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

namespace ptr {

namespace {

// The one value every run that knows it agrees on, else nothing.
template <class T>
std::optional<T> agreed(const std::vector<RunResult>& runs, std::optional<T> (*get)(const RunResult&)) {
  std::optional<T> out;
  for (const auto& r : runs) {
    if (r.run_failed) continue;
    auto v = get(r);
    if (!v) continue;
    if (out && *out != *v) return std::nullopt;
    out = v;
  }
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// "/workspace/Qwen3-32B" and "Qwen/Qwen3-32B" name the same model.
bool same_model_name(const std::string& a, const std::string& b) {
  auto base = [](const std::string& s) {
    std::string t = s;
    while (!t.empty() && t.back() == '/') t.pop_back();
    return lower(std::filesystem::path(t).filename().string());
  };
  return base(a) == base(b);
}

struct Fill {
  AtlasCell& cell;
  json from_data = json::object();
  json conflicts = json::array();

  void text(const char* field, std::optional<std::string>& slot, const std::optional<std::string>& data,
            bool (*same)(const std::string&, const std::string&)) {
    if (!data) return;
    if (!slot) {
      slot = data;
      from_data[field] = *data;
    } else if (!same(*slot, *data)) {
      conflicts.push_back({{"field", field}, {"config", *slot}, {"data", *data}});
    }
  }
  void number(const char* field, std::optional<long>& slot, const std::optional<long>& data) {
    if (!data) return;
    if (!slot) {
      slot = data;
      from_data[field] = *data;
    } else if (*slot != *data) {
      conflicts.push_back({{"field", field}, {"config", *slot}, {"data", *data}});
    }
  }
};

bool same_text(const std::string& a, const std::string& b) { return lower(a) == lower(b); }

// One measured per-request length for the whole cell: the points agree within 10 %.
std::optional<long> common_length(const std::vector<Point>& points, std::optional<double> Point::*m) {
  double lo = INFINITY, hi = -INFINITY, sum = 0;
  long n = 0;
  for (const auto& p : points) {
    if (p.status == "failed" || !(p.*m)) continue;
    lo = std::min(lo, *(p.*m));
    hi = std::max(hi, *(p.*m));
    sum += *(p.*m);
    ++n;
  }
  if (n == 0 || hi > 1.10 * lo) return std::nullopt;
  return std::lround(sum / n);
}

}  // namespace

void fill_descriptor_from_data(AtlasCell& cell, const std::vector<RunResult>& runs) {
  Fill f{cell};
  f.text("engine_version", cell.engine_version, agreed<std::string>(runs, [](const RunResult& r) { return r.engine_version; }),
         same_text);
  f.text("hf_path", cell.hf_path, agreed<std::string>(runs, [](const RunResult& r) { return r.model_id; }), same_model_name);
  f.text("tokenizer", cell.tokenizer, agreed<std::string>(runs, [](const RunResult& r) { return r.tokenizer_id; }),
         same_model_name);
  f.text("dataset", cell.dataset, agreed<std::string>(runs, [](const RunResult& r) { return r.dataset; }), same_text);
  f.text("node", cell.node, agreed<std::string>(runs, [](const RunResult& r) { return r.node; }), same_text);
  f.number("num_prompts", cell.num_prompts, agreed<long>(runs, [](const RunResult& r) -> std::optional<long> {
             if (!r.num_prompts) return std::nullopt;
             return std::lround(*r.num_prompts);
           }));
  // Lengths: filled when the config is silent; a declared length the data
  // contradicts is a per-point methodology problem (analysis/methodology.cpp).
  if (!cell.isl)
    if (auto v = common_length(cell.points, &Point::mean_input_tokens)) {
      cell.isl = v;
      f.from_data["isl"] = *v;
    }
  if (!cell.osl)
    if (auto v = common_length(cell.points, &Point::mean_output_tokens)) {
      cell.osl = v;
      f.from_data["osl"] = *v;
    }
  if (!cell.prefix_cache_hit_rate) {
    std::vector<double> hits;
    for (const auto& r : runs)
      if (!r.run_failed && r.prefix_cache_hit_rate) hits.push_back(*r.prefix_cache_hit_rate);
    if (!hits.empty()) {
      double mean = 0;
      for (double h : hits) mean += h;
      cell.prefix_cache_hit_rate = mean / hits.size();
      f.from_data["prefix_cache_hit_rate"] = *cell.prefix_cache_hit_rate;
    }
  }
  if (!f.from_data.empty()) cell.extra["descriptor_from_data"] = f.from_data;
  else cell.extra.erase("descriptor_from_data");
  if (!f.conflicts.empty()) cell.extra["descriptor_conflicts"] = f.conflicts;
  else cell.extra.erase("descriptor_conflicts");
}

}  // namespace ptr
