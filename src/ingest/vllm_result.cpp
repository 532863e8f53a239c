#include "ingest/vllm_result.hpp"

#include <set>

#include "ingest/per_request.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

namespace {

// Keys vLLM itself writes. Anything else at top level is --metadata or a sweep
// override, and identifies the configuration the run belongs to.
const std::set<std::string>& vllm_own_keys() {
  static const std::set<std::string> keys = {
      "date", "endpoint_type", "backend", "label", "model_id", "tokenizer_id", "best_of", "num_prompts",
      "request_rate", "burstiness", "max_concurrency", "duration", "completed", "failed", "total_input_tokens",
      "total_output_tokens", "request_throughput", "request_goodput", "request_goodput:", "output_throughput",
      "total_token_throughput", "input_lens", "output_lens", "ttfts", "itls", "latencies", "start_times",
      "queue_times", "generated_texts", "errors", "max_output_tokens_per_s", "max_concurrent_requests", "rtfx",
      "rps_change_events", "ramp_up_strategy", "ramp_up_start_rps", "ramp_up_end_rps", "run_number",
      "total_input_sequences", "input_sequence_throughput", "probe_completed", "probe_failed",
      "probe_median_e2el_ms", "probe_p99_e2el_ms", "probe_max_e2el_ms"};
  return keys;
}

bool is_stat_key(const std::string& k) {
  return k.size() > 3 && k.compare(k.size() - 3, 3, "_ms") == 0 &&
         (k.rfind("mean_", 0) == 0 || k.rfind("median_", 0) == 0 || k.rfind("std_", 0) == 0 ||
          (k[0] == 'p' && k.size() > 1 && isdigit(static_cast<unsigned char>(k[1]))));
}

bool is_seconds_stat_key(const std::string& k) {
  for (const char* stat : {"mean_", "median_", "p90_", "p99_", "std_"})
    for (const char* m : {"ttft", "tpot", "itl", "e2el"})
      if (k == std::string(stat) + m) return true;
  return false;
}

bool is_spec_or_diffusion(const std::string& k) {
  return k.rfind("spec_decode_", 0) == 0 || k.rfind("diffusion_", 0) == 0;
}

std::string detect_version(const json& o) {
  if (o.contains("request_goodput:")) return "legacy-2025";
  if (o.contains("best_of") || (!o.contains("burstiness") && !o.contains("max_concurrency"))) return "2024";
  if (o.contains("latencies") || o.contains("queue_times")) return "2026";
  if (o.contains("rtfx") || o.contains("start_times")) return "2026-04";
  if (o.contains("endpoint_type") || o.contains("max_concurrent_requests")) return "late-2025";
  return "2025";
}

// A fork of benchmark_serving writes latency statistics in seconds under keys
// without the _ms suffix (median_ttft, p99_tpot, mean_e2el ...). Such keys are
// read only when the file has no *_ms statistic for that metric.
bool read_seconds_keyed(const json& o, const char* metric, LatencyStat& s, const std::string& file) {
  bool any = false;
  auto take = [&](const char* stat, std::optional<double> LatencyStat::*field) {
    if (s.*field) return;
    if (auto v = number_at(o, std::string(stat) + "_" + metric, file)) {
      s.*field = *v * 1000.0;
      any = true;
    }
  };
  take("mean", &LatencyStat::mean);
  take("median", &LatencyStat::median);
  take("p90", &LatencyStat::p90);
  take("p99", &LatencyStat::p99);
  take("std", &LatencyStat::std);
  return any;
}

}  // namespace

RunResult vllm_result_from_object(const json& o, const std::string& file, std::optional<long> line) {
  if (!o.is_object()) throw_input(file, "expected a vLLM result object", line ? *line + 1 : -1);
  RunResult r;
  r.file = file;
  r.line = line;
  r.backend = "vllm";
  r.engine = "vllm";
  r.format = "vllm-bench-serve";
  r.format_version = detect_version(o);
  if (o.contains("run_number")) {
    r.format = "vllm-bench-sweep-serve-run";
    r.backend = "vllm-sweep";
    r.run_number = integer_at(o, "run_number", file, -1);
  }
  r.max_concurrency = integer_at(o, "max_concurrency", file, 1);
  r.request_rate = number_at(o, "request_rate", file);
  r.num_prompts = number_at(o, "num_prompts", file);
  r.completed = number_at(o, "completed", file);
  r.failed = number_at(o, "failed", file);
  r.duration_s = number_at(o, "duration", file);
  r.request_throughput = number_at(o, "request_throughput", file);
  r.output_throughput = number_at(o, "output_throughput", file);
  r.total_token_throughput = number_at(o, "total_token_throughput", file);
  r.total_input_tokens = number_at(o, "total_input_tokens", file);
  r.total_output_tokens = number_at(o, "total_output_tokens", file);
  r.max_concurrent_requests = number_at(o, "max_concurrent_requests", file);
  r.model_id = string_at(o, "model_id");
  r.tokenizer_id = string_at(o, "tokenizer_id");
  r.api_backend = string_at(o, "backend");
  r.endpoint_type = string_at(o, "endpoint_type");
  r.date = string_at(o, "date");
  r.ttft = stat_from_keys(o, "ttft", file);
  r.tpot = stat_from_keys(o, "tpot", file);
  r.itl = stat_from_keys(o, "itl", file);
  r.e2el = stat_from_keys(o, "e2el", file);
  // Some 2024 files name end-to-end latency *_latency_ms.
  if (r.e2el.empty()) {
    r.e2el = stat_from_keys(o, "latency", file);
    if (!r.e2el.empty()) r.format_version += "+latency-keys";
  }

  if (!r.completed && !r.output_throughput && !r.request_throughput)
    throw_input(file, "looks like vLLM bench serve, but has no completed, request_throughput or output_throughput",
                line ? *line + 1 : -1);

  bool seconds = false;
  for (auto [metric, stat] : {std::pair{"ttft", &r.ttft}, {"tpot", &r.tpot}, {"itl", &r.itl}, {"e2el", &r.e2el}})
    seconds = read_seconds_keyed(o, metric, *stat, file) || seconds;
  if (seconds) {
    r.format_version += "+seconds-keyed";
    r.warn("latency_in_seconds",
           "latency statistics under keys without _ms (median_ttft, p99_tpot ...) are in seconds (a benchmark_serving "
           "fork); converted to ms");
  }

  if (r.format_version == "2024" && r.e2el.mean && r.e2el.median && o.contains("mean_e2el_ms")) {
    // benchmark_serving.py (2024) wrote np.median as mean and np.mean as median.
    std::swap(r.e2el.mean, r.e2el.median);
    r.warn("upstream_bug_corrected",
           "2024 vLLM result: mean_e2el_ms and median_e2el_ms are swapped in the file (upstream bug); corrected");
  }
  fill_from_per_request_arrays(o, r, file);

  for (auto it = o.begin(); it != o.end(); ++it) {
    const std::string& k = it.key();
    if (vllm_own_keys().count(k) || is_stat_key(k)) continue;
    if (is_spec_or_diffusion(k)) {
      r.native[k] = it.value();
      continue;
    }
    if (is_seconds_stat_key(k)) continue;
    r.params[k] = it.value();
  }
  for (const char* k : {"max_output_tokens_per_s", "request_goodput", "request_goodput:", "burstiness", "rtfx"})
    if (o.contains(k) && !o[k].is_null()) r.native[k] = o[k];
  return r;
}

}  // namespace ptr
