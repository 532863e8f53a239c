// AIPerf parameter-sweep aggregate, sweep_aggregate/profile_export_aiperf_sweep.json
// (aggregation_type "sweep"): one entry per parameter combination, each metric
// as `<tag>_<stat>` = {mean, std, min, max, cv, ...} across the trials of that
// combination. Two shapes: `per_combination_metrics` (a list with `parameters`)
// and the earlier `per_value_metrics` (an object keyed by the value of
// metadata.parameter_name). One run result per combination, carrying the
// trial count and the run-to-run std.
#include <cmath>
#include <fmt/format.h>

#include "ingest/formats.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

Sniff sniff_aiperf_sweep(const FileView& f) {
  auto h = head(f.text, 1 << 20);
  if (!contains(h, "\"aggregation_type\"") || !contains(h, "\"sweep\"")) return {};
  auto keys = top_level_keys(f.text);
  if (keys.count("per_combination_metrics") || keys.count("per_value_metrics"))
    return {90, "JSON with aggregation_type \"sweep\" and per-combination metrics (AIPerf sweep aggregate)"};
  return {};
}

namespace {

struct Metrics {
  const json& m;
  const std::string& file;
  // `<tag>_<stat>` (current) or `<alias>_<stat>_ms` (early docs); the mean across trials.
  const json* block(const std::string& tag, const std::string& stat, const char* alias = nullptr) const {
    for (const std::string& k : {tag + "_" + stat, alias ? std::string(alias) + "_" + stat + "_ms" : std::string()}) {
      if (k.empty()) continue;
      auto it = m.find(k);
      if (it != m.end() && it->is_object()) return &*it;
    }
    return nullptr;
  }
  std::optional<double> mean(const std::string& tag, const std::string& stat, const char* alias = nullptr) const {
    const json* b = block(tag, stat, alias);
    return b ? number_at(*b, "mean", file) : std::nullopt;
  }
  std::optional<double> trial_std(const std::string& tag, const std::string& stat) const {
    const json* b = block(tag, stat);
    return b ? number_at(*b, "std", file) : std::nullopt;
  }
  LatencyStat latency(const std::string& tag, const char* alias = nullptr) const {
    LatencyStat s;
    s.mean = mean(tag, "avg", alias);
    s.median = mean(tag, "p50", alias);
    s.p90 = mean(tag, "p90", alias);
    s.p99 = mean(tag, "p99", alias);
    s.std = mean(tag, "std", alias);
    return s;
  }
};

json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

RunResult combination(const json& params, const json& metrics, const std::string& file, size_t index,
                      std::optional<long> trials) {
  if (!params.is_object() || !metrics.is_object())
    throw_input(file, fmt::format("combination {}: expected parameters and metrics objects", index), -1,
                "per_combination_metrics");
  RunResult r;
  r.file = file;
  r.format = "aiperf-sweep-aggregate-json";
  r.format_version = "sweep";
  r.backend = "aiperf";
  r.line = static_cast<long>(index);
  for (auto it = params.begin(); it != params.end(); ++it) {
    const std::string& k = it.key();
    if (k == "concurrency") r.max_concurrency = as_integer(it.value(), file, "parameters.concurrency", 1);
    else if (k == "request_rate") r.request_rate = as_number(it.value(), file, "parameters.request_rate");
    else r.params[k] = it.value();
  }
  Metrics m{metrics, file};
  r.completed = m.mean("request_count", "avg");
  r.failed = m.mean("error_request_count", "avg");
  r.request_throughput = m.mean("request_throughput", "avg");
  r.output_throughput = m.mean("output_token_throughput", "avg");
  r.total_token_throughput = m.mean("total_token_throughput", "avg");
  r.duration_s = m.mean("benchmark_duration", "avg");
  r.total_input_tokens = m.mean("total_isl", "avg");
  r.total_output_tokens = m.mean("total_osl", "avg");
  if (!r.total_output_tokens) r.total_output_tokens = m.mean("total_output_tokens", "avg");
  r.ttft = m.latency("time_to_first_token", "ttft");
  r.tpot = m.latency("inter_token_latency");
  r.itl = m.latency("inter_chunk_latency", "itl");
  r.e2el = m.latency("request_latency", "request_latency");
  if (!r.completed && !r.request_throughput && !r.output_throughput)
    throw_input(file, fmt::format("combination {} has no request_count, request_throughput or output_token_throughput", index),
                -1, "metrics");
  r.reported_trials = trials;
  r.reported_spread = {{"n", trials ? json(*trials) : json(nullptr)},
                       {"output_tok_s", opt(m.trial_std("output_token_throughput", "avg"))},
                       {"request_throughput_rps", opt(m.trial_std("request_throughput", "avg"))},
                       {"ttft_ms_mean", opt(m.trial_std("time_to_first_token", "avg"))},
                       {"tpot_ms_mean", opt(m.trial_std("inter_token_latency", "avg"))},
                       {"itl_ms_mean", opt(m.trial_std("inter_chunk_latency", "avg"))},
                       {"e2el_ms_mean", opt(m.trial_std("request_latency", "avg"))}};
  r.warn("sweep_aggregate", "values are means across the sweep's trials (AIPerf sweep aggregate); per-trial files give more");
  return r;
}

}  // namespace

std::vector<RunResult> parse_aiperf_sweep(const FileView& f) {
  json doc = parse_json_lenient(f.text, f.path);
  if (!doc.is_object()) throw_input(f.path, "expected an AIPerf sweep aggregate object");
  std::vector<std::pair<json, json>> combos;  // (parameters, metrics)
  if (const json* list = find_path(doc, {"per_combination_metrics"}); list && list->is_array()) {
    for (const auto& e : *list) {
      if (!e.is_object()) throw_input(f.path, "expected combination objects", -1, "per_combination_metrics");
      combos.emplace_back(e.value("parameters", json()), e.value("metrics", json()));
    }
  } else if (const json* by_value = find_path(doc, {"per_value_metrics"}); by_value && by_value->is_object()) {
    const json* name = find_path(doc, {"metadata", "parameter_name"});
    if (!name || !name->is_string()) throw_input(f.path, "per_value_metrics without metadata.parameter_name", -1, "metadata");
    for (auto it = by_value->begin(); it != by_value->end(); ++it) {
      char* end = nullptr;
      double v = std::strtod(it.key().c_str(), &end);
      if (!end || *end != '\0') throw_input(f.path, "expected a numeric parameter value, got '" + it.key() + "'", -1, "per_value_metrics");
      combos.emplace_back(json{{name->get<std::string>(), v}}, it.value());
    }
  } else {
    throw_input(f.path, "AIPerf sweep aggregate without per_combination_metrics or per_value_metrics");
  }
  std::optional<long> runs = integer_at(doc, "num_successful_runs", f.path);
  if (!runs) runs = integer_at(doc, "num_profile_runs", f.path);
  std::optional<long> trials;
  if (runs && !combos.empty() && *runs % static_cast<long>(combos.size()) == 0)
    trials = std::max(1L, *runs / static_cast<long>(combos.size()));
  std::vector<RunResult> out;
  for (size_t i = 0; i < combos.size(); ++i) out.push_back(combination(combos[i].first, combos[i].second, f.path, i, trials));
  return out;
}

}  // namespace ptr
