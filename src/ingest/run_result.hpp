#pragma once
// One benchmark run as read from a foreign file, in the tool's own names and
// units. Every adapter in src/ingest/ produces these; nothing outside
// src/ingest/ knows a vLLM, SGLang or AIPerf key name.
#include <optional>
#include <string>
#include <vector>

#include "model/atlas_cell.hpp"
#include "model/request_table.hpp"
#include "util/warning.hpp"

namespace ptr {

struct RunResult {
  std::string file;            // path as given to the ingester (or relative to the import root)
  std::string format;          // e.g. vllm-bench-serve, sglang-bench-serving, aiperf-profile-export-json
  std::string adapter;         // the format-table row that read it (set by discover)
  std::string format_version;  // e.g. late-2025, legacy-2025, 2024, gen-c, schema-1.3
  std::string backend;         // vllm | vllm-sweep | sglang | aiperf
  std::optional<long> line;    // 0-based physical line for line-oriented files
  std::optional<long> run_number;
  // From the format table: 3 = the bench tool's own per-run file, 2 = a
  // summary of runs, 1 = CSV export, 0 = stdout capture. Duplicates keep the highest.
  int fidelity = 3;

  bool run_failed = false;  // the run itself failed (failure.json)
  std::optional<std::string> error;

  // What identifies the measurement: runs are trials of one point only when
  // all of these agree (see campaign/points.cpp and docs/metrics.md).
  std::optional<std::string> api_backend;    // the client's --backend (vllm, openai-chat, sglang ...)
  std::optional<std::string> endpoint_type;  // served endpoint (completions, chat ...)
  std::optional<std::string> tokenizer_id;
  std::optional<std::string> dataset;
  std::string arm;  // the sweep output folder a sweep run came from; "" outside sweeps
  // Several runs found in one document (README, log): its numbers cannot
  // tell deployments apart.
  bool from_multi_run_document = false;

  std::optional<long> max_concurrency;
  std::optional<double> request_rate;
  std::optional<double> num_prompts, completed, failed;
  std::optional<double> duration_s;
  std::optional<double> request_throughput, output_throughput, total_token_throughput;
  LatencyStat ttft, tpot, itl, e2el;  // ms
  std::optional<double> total_input_tokens, total_output_tokens;
  std::optional<double> max_concurrent_requests, measured_concurrency;
  std::optional<std::string> model_id, engine, engine_version, date, start_time, end_time;
  std::optional<double> configured_input_len, configured_output_len;  // what the client was asked for
  std::optional<double> prefix_cache_hit_rate;  // fraction 0..1, when the client reports it
  std::optional<std::string> node;              // host the data names, when it does
  // A file that already averages several trials (AIPerf sweep aggregate):
  // its trial count and run-to-run std per metric (spread keys as Point::spread).
  std::optional<long> reported_trials;
  json reported_spread = json::object();
  bool has_per_request_arrays = false;
  // The successful requests, when the file records them one by one, and the
  // file they came from when it is not `file` (AIPerf records folded into
  // their run's aggregate export).
  std::vector<RequestSample> requests;
  std::string requests_file;
  // Overrides and --metadata that identify a configuration (sweep params).
  json params = json::object();
  // Metrics under the source's own names, kept for traceability.
  json native = json::object();
  Warnings warnings;
  void warn(const std::string& kind, const std::string& message, const std::string& key = {}) {
    warnings.push_back({kind, message, {}, {}, key, {}, {}});
  }
};

}  // namespace ptr
