#include "analysis/methodology.hpp"

#include <cmath>
#include <fmt/format.h>
#include <tuple>
#include <map>
#include <set>

namespace ptr {

namespace {

using Getter = std::optional<std::string> (*)(const AtlasCell&);

template <class T>
std::optional<std::string> text(const std::optional<T>& v) {
  if (!v) return std::nullopt;
  if constexpr (std::is_same_v<T, std::string>) return *v;
  else if constexpr (std::is_same_v<T, bool>) return *v ? "true" : "false";
  else return fmt::format("{}", *v);
}

struct Descriptor {
  const char* name;
  Getter get;
  bool workload;     // must match across every comparison
  bool per_variant;  // must match within a group (cells differing by mbt only)
};

const std::vector<Descriptor>& descriptors() {
  static const std::vector<Descriptor> d = {
      {"model", [](const AtlasCell& c) { return text(c.model); }, false, true},
      {"hardware", [](const AtlasCell& c) { return text(c.hardware); }, false, false},
      {"quant", [](const AtlasCell& c) { return text(c.quant); }, false, false},
      {"kv_cache_dtype", [](const AtlasCell& c) { return text(c.kv_cache_dtype); }, false, true},
      {"tensor_parallel", [](const AtlasCell& c) { return text(c.tensor_parallel); }, false, false},
      {"parallel_strategy", [](const AtlasCell& c) { return text(c.parallel_strategy); }, false, false},
      {"mtp", [](const AtlasCell& c) { return text(c.mtp); }, false, false},
      {"engine", [](const AtlasCell& c) { return text(c.engine); }, false, true},
      {"engine_version", [](const AtlasCell& c) { return text(c.engine_version); }, false, true},
      {"max_num_batched_tokens", [](const AtlasCell& c) { return text(c.max_num_batched_tokens); }, false, false},
      {"max_num_seqs", [](const AtlasCell& c) { return text(c.max_num_seqs); }, false, true},
      {"gpu_memory_utilization", [](const AtlasCell& c) { return text(c.gpu_memory_utilization); }, false, true},
      {"max_model_len", [](const AtlasCell& c) { return text(c.max_model_len); }, false, true},
      {"cuda_graphs", [](const AtlasCell& c) { return text(c.cuda_graphs); }, false, true},
      {"prefix_caching", [](const AtlasCell& c) { return text(c.prefix_caching); }, false, true},
      {"dataset", [](const AtlasCell& c) { return text(c.dataset); }, true, true},
      {"isl", [](const AtlasCell& c) { return text(c.isl); }, true, true},
      {"osl", [](const AtlasCell& c) { return text(c.osl); }, true, true},
      {"cache_mode", [](const AtlasCell& c) { return text(c.cache_mode); }, true, true},
      {"backend", [](const AtlasCell& c) { return text(c.backend); }, false, false},
  };
  return d;
}

// A comparison group: cells that differ only in the variable under test (mbt).
// The model is not part of it, so two models in one group are named.
std::string group_key(const AtlasCell& c) {
  return fmt::format("{} {} TP{} {}{}", c.hardware.value_or("?"), c.quant.value_or("?"), c.tensor_parallel.value_or(0),
                     c.parallel_strategy.value_or("?"), c.mtp.value_or(false) ? " MTP" : "");
}

std::string at(const AtlasCell& c, const Point& p) {
  return fmt::format("{} c={}", c.cell_id, p.concurrency ? std::to_string(*p.concurrency) : "?");
}

// What the data says against what was declared, and how noisy it is.
void data_problems(const AtlasCell& c, std::vector<MethodologyProblem>& out) {
  if (auto it = c.extra.find("descriptor_conflicts"); it != c.extra.end() && it->is_array())
    for (const auto& d : *it)
      out.push_back({"descriptor_conflict", c.cell_id, d.value("field", std::string("?")),
                     fmt::format("the config says {} but the data says {} (the config's value is used)", d["config"].dump(),
                                 d["data"].dump())});
  const json* from_data = c.extra.contains("descriptor_from_data") ? &c.extra["descriptor_from_data"] : nullptr;
  auto declared = [&](const char* f) { return !from_data || !from_data->contains(f); };
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& p : c.points) {
    if (p.status == "failed") continue;
    for (auto [name, want, got] : {std::tuple{"isl", c.isl, p.mean_input_tokens}, {"osl", c.osl, p.mean_output_tokens}}) {
      if (!want || !got || !declared(name) || *want <= 0) continue;
      double off = (*got - static_cast<double>(*want)) / static_cast<double>(*want);
      if (std::fabs(off) > 0.10)
        out.push_back({"declared_vs_measured", at(c, p), name,
                       fmt::format("measured mean {} {:.0f} is {:+.0f}% from the declared {}", name == std::string("isl") ? "ISL" : "OSL",
                                   *got, off * 100, *want)});
    }
    if (p.mean_input_tokens) {
      lo = std::min(lo, *p.mean_input_tokens);
      hi = std::max(hi, *p.mean_input_tokens);
    }
    if (p.trials >= 2 && p.output_tok_s && *p.output_tok_s > 0 && p.spread.is_object()) {
      auto sd = p.spread.find("output_tok_s");
      if (sd != p.spread.end() && sd->is_number() && sd->get<double>() / *p.output_tok_s > 0.10)
        out.push_back({"high_variance", at(c, p), "output_tok_s",
                       fmt::format("run-to-run coefficient of variation {:.0f}% over {} trials (> 10%)",
                                   100 * sd->get<double>() / *p.output_tok_s, p.trials)});
    }
  }
  if (hi > 1.10 * lo)
    out.push_back({"mixed_workloads", c.cell_id, "isl",
                   fmt::format("points measured mean ISL from {:.0f} to {:.0f} tokens: several workloads in one cell", lo, hi)});
}

void mismatches(const std::vector<const AtlasCell*>& cells, bool workload_only, const std::string& scope,
                std::vector<MethodologyProblem>& out) {
  for (const auto& d : descriptors()) {
    if (workload_only ? !d.workload : !d.per_variant) continue;
    std::map<std::string, std::vector<std::string>> values;
    for (const AtlasCell* c : cells)
      if (auto v = d.get(*c)) values[*v].push_back(c->cell_id);
    if (values.size() < 2) continue;
    std::string detail;
    for (const auto& [v, ids] : values) detail += fmt::format("{}{}={} ({} cells)", detail.empty() ? "" : ", ", d.name, v, ids.size());
    out.push_back({"descriptor_mismatch", scope, d.name, detail});
  }
}

}  // namespace

std::vector<MethodologyProblem> methodology_problems(const std::vector<AtlasCell>& cells) {
  std::vector<MethodologyProblem> out;
  for (const auto& c : cells) {
    for (const auto& d : descriptors())
      if (!d.get(c)) out.push_back({"unknown_field", c.cell_id, d.name, fmt::format("{} is unknown", d.name)});
    data_problems(c, out);
    for (const auto& p : c.points)
      if (!p.num_prompts) {
        out.push_back({"unknown_field", c.cell_id, "num_prompts",
                       fmt::format("num_prompts unknown at c={}", p.concurrency ? std::to_string(*p.concurrency) : "?")});
        break;
      }
  }
  std::map<std::string, std::vector<const AtlasCell*>> groups;
  std::vector<const AtlasCell*> all;
  for (const auto& c : cells) {
    groups[group_key(c)].push_back(&c);
    all.push_back(&c);
  }
  for (const auto& [key, members] : groups) mismatches(members, false, key, out);
  mismatches(all, true, "across groups", out);
  return out;
}

nlohmann::json to_json(const std::vector<MethodologyProblem>& problems) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& p : problems) a.push_back({{"kind", p.kind}, {"scope", p.scope}, {"field", p.field}, {"detail", p.detail}});
  return a;
}

std::vector<std::string> summarize(const std::vector<MethodologyProblem>& problems) {
  std::map<std::string, int> unknown;
  std::vector<std::string> out;
  for (const auto& p : problems) {
    if (p.kind == "unknown_field") ++unknown[p.field];
    else if (p.kind == "descriptor_mismatch") out.push_back(fmt::format("{}: {} differs — {}", p.scope, p.field, p.detail));
    else out.push_back(fmt::format("{}: {}", p.scope, p.detail));
  }
  std::vector<std::string> head;
  for (const auto& [f, n] : unknown) head.push_back(fmt::format("{} unknown in {} cell(s)", f, n));
  head.insert(head.end(), out.begin(), out.end());
  return head;
}

}  // namespace ptr
