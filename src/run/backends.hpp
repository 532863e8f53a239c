#pragma once
// Command builders for cell_run: one small function per benchmark client,
// behind one interface. Each turns (cell, concurrency, prompts, output dir)
// into the argv that runs one point inside the benchmark pod. A
// telemetry-capturing backend (a roofline sweep with `dcgmi dmon` beside each
// point) is one more entry in backend_table().
#include <string>
#include <vector>

#include "model/atlas_cell.hpp"
#include "run/process.hpp"

namespace ptr {

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
  Argv (*bench)(const AtlasCell&, const BenchTarget&, const PointSpec&);
  bool results_in_logs;  // the client prints a parseable result block (job mode reads it from logs)
  const char* config_block;  // cell config block holding extra_args / image
};

const std::vector<BackendSpec>& backend_table();
const BackendSpec* find_backend(const std::string& name);

}  // namespace ptr
