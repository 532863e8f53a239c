#pragma once
// Command builders for cell_run: one small function per benchmark client,
// behind one interface. Each turns (workload, target, point) into the argv
// that runs one point inside the benchmark pod, with the flags that make the
// measured workload the configured one on every client (exact lengths,
// output length held, warm-up, tokenizer). Flags checked against the clients'
// own definitions: vLLM `vllm bench serve` / `bench sweep serve`, SGLang
// `sglang.bench_serving` (python/sglang/benchmark/args.py), AIPerf
// `aiperf profile` (docs/cli_options.md).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/process.hpp"

namespace ptr {

using json = nlohmann::json;

struct WorkloadSpec {
  std::string dataset = "random";           // the cell's dataset (random = synthetic random tokens)
  std::optional<long> isl, osl;
  std::optional<std::string> dataset_path;  // sharegpt file in the pod
  json dataset_args = json::array();        // the client's own dataset flags, for other datasets
  std::optional<std::string> tokenizer;     // when it differs from the served name
  long warmup_requests = 0;                 // 0 = cold
};

struct PointSpec {
  long concurrency;
  long num_prompts;
  std::string remote_dir;  // experiment-unique folder in the pod
};

struct BenchTarget {
  std::string endpoint_url;  // e.g. http://vllm-svc:8000
  std::string served_model;
  json extra_args = json::array();  // backend block's extra_args: passed through as argv items
};

struct BackendSpec {
  const char* name;  // vllm-sweep | aiperf | sglang-sweep
  const char* summary;
  Argv (*bench)(const WorkloadSpec&, const BenchTarget&, const PointSpec&);
  const char* result_file;    // written under remote_dir ("" = the whole folder is the result)
  bool results_in_logs;       // the client prints a parseable result block (job mode reads it from logs)
  const char* config_block;   // cell config block holding extra_args / image / dataset_path
  const char* output_length;  // how the output length is held at OSL (recorded in the plan)
};

const std::vector<BackendSpec>& backend_table();
const BackendSpec* find_backend(const std::string& name);

// Datasets the planner knows how to drive on every client.
bool dataset_planned(const std::string& dataset);

}  // namespace ptr
