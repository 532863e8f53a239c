#pragma once
// One benchmark run as read from a foreign file, in the tool's own names and
// units. Every adapter in src/ingest/ produces these; nothing outside
// src/ingest/ knows a vLLM, SGLang or AIPerf key name.
#include <optional>
#include <string>
#include <vector>

#include "model/atlas_cell.hpp"

namespace ptr {

struct RunResult {
  std::string file;            // path as given to the ingester (or relative to the import root)
  std::string format;          // e.g. vllm-bench-serve, sglang-bench-serving, aiperf-profile-export-json
  std::string format_version;  // e.g. late-2025, legacy-2025, 2024, gen-c, schema-1.3
  std::string backend;         // vllm | vllm-sweep | sglang | aiperf
  std::optional<long> line;    // 0-based physical line for line-oriented files
  std::optional<long> run_number;
  // 3 = the bench tool's own per-run file, 2 = a summary of runs, 1 = CSV
  // export, 0 = stdout capture. Duplicates keep the highest.
  int fidelity = 3;

  bool run_failed = false;  // the run itself failed (failure.json)
  std::optional<std::string> error;

  std::optional<long> max_concurrency;
  std::optional<double> request_rate;
  std::optional<double> num_prompts, completed, failed;
  std::optional<double> duration_s;
  std::optional<double> request_throughput, output_throughput, total_token_throughput;
  LatencyStat ttft, tpot, itl, e2el;  // ms
  std::optional<double> total_input_tokens, total_output_tokens;
  std::optional<double> max_concurrent_requests, measured_concurrency;
  std::optional<std::string> model_id, engine, date, start_time, end_time;
  bool has_per_request_arrays = false;
  // Overrides and --metadata that identify a configuration (sweep params).
  json params = json::object();
  // Metrics under the source's own names, kept for traceability.
  json native = json::object();
  std::vector<std::string> warnings;
};

}  // namespace ptr
