#pragma once
// The atlas_cell/v1 contract: one measured serving configuration (a "cell")
// and its concurrency points. Field lists live in field tables (fields.hpp),
// which drive JSON keys, docs/schema.md and, later, CSV headers and lake DDL.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/warning.hpp"

namespace ptr {

using json = nlohmann::json;

inline constexpr const char* kAtlasCellSchema = "atlas_cell/v1";

// Distribution of one latency metric (ms). Absent statistics stay nullopt.
struct LatencyStat {
  std::optional<double> mean, median, p90, p99, std;
  bool empty() const { return !mean && !median && !p90 && !p99 && !std; }
};

struct PointSource {
  std::string file;            // path under cells/<id>/raw/
  std::string format;          // detected format, e.g. vllm-bench-serve
  std::string format_version;  // e.g. late-2025, legacy-2025, schema-1.3
  std::optional<long> line;    // 0-based line for line-oriented files
  std::optional<long> run_number;
};

struct Point {
  std::optional<long> concurrency;     // client max concurrency (the sweep variable)
  std::optional<double> request_rate;  // requests/s offered; +inf = all at t=0
  std::string status = "ok";           // ok | partial | failed
  std::optional<long> num_prompts, completed, failed;
  long trials = 1;
  std::optional<double> duration_s;
  std::optional<double> request_throughput_rps, output_tok_s, total_tok_s;
  std::optional<double> output_tok_s_per_gpu, tok_s_per_user, interactivity_tok_s;
  LatencyStat ttft_ms, tpot_ms, itl_ms, e2el_ms;
  std::optional<double> mean_input_tokens, mean_output_tokens;
  std::optional<double> measured_concurrency;  // mean in-flight requests, when reported
  std::optional<long> isl;  // this point's prompt length when it varies per point (prefill sweeps)
  std::optional<long> preemptions;
  // num_prompts < 2 x concurrency; null when the request count is unknown.
  std::optional<bool> steady_window_undercount;
  json spread = json::object();  // std across trials, per metric
  std::vector<PointSource> source;
  std::optional<std::string> error;  // why a point failed
  // Per-point additions (roofline sweeps: telemetry means over the point's
  // window, analytical coordinates); written only when not empty.
  json extra = json::object();
};

struct AtlasCell {
  std::string campaign;
  std::string cell_id;
  std::string status = "failed";  // full | partial | failed
  // identity
  std::optional<std::string> model, hf_path, hardware, quant, kv_cache_dtype;
  // parallelism
  std::optional<long> tensor_parallel, data_parallel, pipeline_parallel, expert_parallel, gpus;
  std::optional<std::string> parallel_strategy;
  // serving
  std::optional<std::string> engine, engine_version;
  std::optional<std::string> arm;  // A/B arm (config), joins one arm's cells across mbt
  std::optional<std::string> knob;  // the knob an A/B arm changes (arm.yaml)
  std::optional<long> max_num_batched_tokens, max_num_seqs, max_model_len;
  std::optional<double> gpu_memory_utilization;
  std::optional<bool> mtp;
  std::optional<bool> cuda_graphs;     // false = eager mode (--enforce-eager)
  std::optional<std::string> cudagraph_mode;  // e.g. FULL_AND_PIECEWISE, PIECEWISE, NONE
  std::optional<bool> async_scheduling;
  std::optional<bool> prefix_caching;
  // what the cell is for and how its stack was delivered
  std::optional<std::string> regime;         // latency | throughput (the tier it is tuned for)
  std::optional<std::string> delivery;       // image | overlay | infr-patch ...: a number is evidence for its own delivery
  std::optional<std::string> image;          // the serving image reference
  std::optional<std::string> baseline_cell;  // the campaign's named baseline cell
  std::optional<bool> same_node;             // client and server on one node
  // workload
  std::optional<std::string> dataset, cache_mode, tokenizer;
  std::optional<long> isl, osl, num_prompts;
  std::optional<double> prefix_cache_hit_rate;
  std::optional<std::string> backend;
  // serving (null) | decode | prefill: roofline sweep cells stay out of the
  // serving pages, coverage and TPM.
  std::optional<std::string> sweep_kind;
  // The highest speed-of-light evidence for this cell (none | L1 | L3 | L4).
  std::optional<std::string> sol_rigor;
  // where it ran
  std::optional<std::string> node;
  std::vector<long> concurrencies_requested;
  std::vector<Point> points;
  // Typed warnings about this cell's data (import, trials, caveats), one list
  // read by the envelope, the completeness page and the lake.
  Warnings warnings;
  json extra = json::object();
};

// A point is plot-ready when it has a concurrency, did not fail, and has an
// output throughput to place it.
bool plot_ready(const Point& p);
// A request-rate run (offered rate, no concurrency cap) that completed requests:
// kept and listed, never placed on a concurrency axis.
bool rate_only(const Point& p);
// A cell of a roofline sweep (sweep_kind decode | prefill): it stays out of the
// serving pages, the coverage line, TPM and the methodology checks.
bool is_roofline_sweep(const AtlasCell& c);
std::vector<AtlasCell> serving_cells(const std::vector<AtlasCell>& cells);

json to_json(const Point& p);
json to_json(const AtlasCell& c);
Point point_from_json(const json& j, const std::string& file);
AtlasCell cell_from_json(const json& j, const std::string& file);

}  // namespace ptr
