#pragma once
// Capacity and economics: per variant (the cell identity without mbt, so the
// rows answer "which mbt"; A/B arms and workloads never merge) the peak point
// and the SLA point (interpolated on log2 concurrency between tested points,
// never extrapolated), tokens per minute at per-GPU / per-replica / per-node
// bases, and $ per 1M tokens.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/point_quality.hpp"
#include "model/atlas_cell.hpp"

namespace ptr {

using json = nlohmann::json;

struct CostRate {
  double usd_per_gpu_hour;
  bool estimate = false;  // no public list rate
  std::string source;     // "default" | "config"
};

struct TpmConfig {
  double ttft_sla_ms = 2000;
  double tpot_sla_ms = 50;
  std::string sla_percentile = "mean";  // mean | p50 | p90 | p99
  long gpus_per_node = 8;
  std::map<std::string, CostRate> cost;  // hardware -> rate
  json to_json() const;
};

// Defaults, overlaid by the campaign's tpm: / cost: blocks (one function used
// by tpm_summary, the report and the lake). Malformed blocks raise, naming the key.
TpmConfig discover_tpm_config(const json& tpm_block, const json& cost_block, const std::string& file);

struct Basis {
  std::optional<double> output_tpm_per_gpu, output_tpm_per_replica, output_tpm_per_node;
  std::optional<double> total_tpm_per_gpu, total_tpm_per_replica, total_tpm_per_node;  // null when no total
  std::optional<double> usd_per_1m_output_tokens, usd_per_1m_total_tokens;
};

struct TpmPoint {
  std::string cell_id;
  std::optional<long> max_num_batched_tokens;
  double concurrency = 0;  // fractional when interpolated
  double output_tok_s_per_gpu = 0;
  std::optional<double> total_tok_s_per_gpu;
  std::optional<double> ttft_ms, tpot_ms;  // at the chosen statistic
  bool interpolated = false;
  std::string binding_constraint;  // ttft | tpot (SLA point), empty for peak
  std::string range_note;          // "" | "above sweep" (SLA still met at the highest tested concurrency)
  PointQuality quality;            // of the measured point(s) behind it (both neighbours when interpolated)
  long trials = 1;
  Basis basis;
  // GPU power while the point ran (dcgm_correlate joined to the atlas): the
  // point's own window when points carry windows (interpolated like the
  // rest), else the cell's bench-window mean; tokens/W = output tok/s/GPU / W.
  std::optional<double> power_watts_per_gpu, tokens_per_watt;
  std::string power_basis;  // "point window" | "cell window mean" | "" (no power captured)
};

struct TpmGroup {
  std::string key;    // identity_key without mbt (+ the cell id when two cells tie on the whole descriptor)
  std::string label;  // the identity fields that vary in the campaign (model always when several)
  std::string variant;  // the same without model and ISL/OSL (tables show those in their own columns)
  std::string model, hardware, quant, strategy, engine;
  long tensor_parallel = 0, pipeline_parallel = 1, replica_gpus = 0;
  bool mtp = false;
  std::optional<long> isl, osl;
  std::optional<TpmPoint> peak, sla;
  std::string sla_status;  // "met" | "interpolated" | "above sweep" | "below sweep" | "no decode metric" | "no data"
  std::string sla_reason;
  std::optional<CostRate> cost;
  std::string cost_reason;  // why there is no $ figure ("no price for A100 in the cost table")
  std::string total_reason;  // why there is no total-token figure, when there is none
  std::vector<std::string> cells;
  std::vector<std::string> workloads;  // "ISL/OSL dataset warm|cold" of the rows behind it
};

// One cell's SLA point: scan its sweep up; between the last point that meets
// both limits (lo) and the first that does not (hi) interpolate on
// log2(concurrency) to where the binding limit is reached (fraction t).
struct CellSla {
  std::optional<TpmPoint> point;
  std::string status, reason;
  const Point* lo = nullptr;  // the measured point at or below it
  const Point* hi = nullptr;  // the next measured point, when it lies between two
  double t = 0;               // fraction of the way from lo to hi
};
CellSla cell_sla(const AtlasCell& cell, const TpmConfig& cfg);

std::vector<TpmGroup> compute_tpm(const std::vector<AtlasCell>& cells, const TpmConfig& cfg);

// The statistic `pct` of a latency object (mean | p50 | p90 | p99).
std::optional<double> stat_at(const LatencyStat& s, const std::string& pct);

}  // namespace ptr
