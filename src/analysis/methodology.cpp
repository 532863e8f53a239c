#include "analysis/methodology.hpp"

#include "analysis/point_quality.hpp"
#include "model/identity.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <tuple>
#include <map>
#include <set>

namespace ptr {

namespace {

// The descriptor fields a comparison must know; `workload` ones must also
// agree across every variant drawn together.
struct Descriptor {
  const char* name;
  bool workload;
};

const std::vector<Descriptor>& descriptors() {
  static const std::vector<Descriptor> d = {
      {"model", false},        {"hardware", false},          {"quant", false},         {"kv_cache_dtype", false},
      {"tensor_parallel", false}, {"parallel_strategy", false}, {"mtp", false},        {"engine", false},
      {"engine_version", false},  {"max_num_batched_tokens", false}, {"max_num_seqs", false},
      {"gpu_memory_utilization", false}, {"max_model_len", false}, {"cuda_graphs", false}, {"prefix_caching", false},
      {"dataset", true},       {"isl", true},                {"osl", true},            {"cache_mode", true},
      {"backend", false},
  };
  return d;
}

std::optional<std::string> value_of(const AtlasCell& c, const char* name) {
  const auto* f = find_cell_field(name);
  if (!f) return std::nullopt;
  std::string v = field_value(c, *f);
  if (v == "?" || v.empty()) return std::nullopt;
  return v;
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
    if (PointQuality q = quality_of(p); q.high_variance)
      out.push_back({"high_variance", at(c, p), "output_tok_s",
                     fmt::format("run-to-run coefficient of variation of output tok/s {:.0f}% over {} trials (> {:.0f}%)",
                                 100 * *q.output_cv, p.trials, 100 * kHighVarianceCv)});
  }
  // Synthetic fixed-length prompts agree within 10 %; a real dataset's
  // prompts sampled per point vary more (AIME: 102-119 tokens) without
  // being another workload, so only a factor of 2 says "several workloads".
  bool synthetic = !c.dataset || *c.dataset == "random" || *c.dataset == "random-ids" || *c.dataset == "synthetic";
  if (hi > (synthetic ? 1.10 : 2.0) * lo)
    out.push_back({"mixed_workloads", c.cell_id, "isl",
                   fmt::format("points measured mean ISL from {:.0f} to {:.0f} tokens: several workloads in one cell", lo, hi)});
}

// Workload fields that differ among cells drawn on the same axes.
void workload_mismatches(const std::vector<AtlasCell>& cells, std::vector<MethodologyProblem>& out) {
  for (const auto& d : descriptors()) {
    if (!d.workload) continue;
    std::map<std::string, std::vector<std::string>> values;
    for (const AtlasCell& c : cells)
      if (auto v = value_of(c, d.name)) values[*v].push_back(c.cell_id);
    if (values.size() < 2) continue;
    std::string detail;
    for (const auto& [v, ids] : values) detail += fmt::format("{}{}={} ({} cells)", detail.empty() ? "" : ", ", d.name, v, ids.size());
    out.push_back({"descriptor_mismatch", "across variants", d.name, detail});
  }
}

}  // namespace

std::vector<MethodologyProblem> methodology_problems(const std::vector<AtlasCell>& cells) {
  if (std::any_of(cells.begin(), cells.end(), is_roofline_sweep)) return methodology_problems(serving_cells(cells));
  std::vector<MethodologyProblem> out;
  out.reserve(cells.size() * 4);  // unknown fields are common: regrowth moved every problem's strings
  for (const auto& c : cells) {
    for (const auto& d : descriptors())
      if (!value_of(c, d.name)) out.push_back({"unknown_field", c.cell_id, d.name, fmt::format("{} is unknown", d.name)});
    data_problems(c, out);
    for (const auto& p : c.points)
      if (!p.num_prompts) {
        out.push_back({"unknown_field", c.cell_id, "num_prompts",
                       fmt::format("num_prompts unknown at c={}", p.concurrency ? std::to_string(*p.concurrency) : "?")});
        break;
      }
  }
  // Cells that share an identity differ by construction only in what the
  // identity leaves out; what is left to check is the workload across variants.
  workload_mismatches(cells, out);
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
