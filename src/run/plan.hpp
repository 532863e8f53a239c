#pragma once
// The cell_run planner: config + flags -> every command of a run, as argv
// vectors, with no side effect. The executor (executor.hpp) runs a plan; the
// dry run prints it; tests assert it argv for argv.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "campaign/config.hpp"
#include "run/backends.hpp"
#include "util/warning.hpp"

namespace ptr {

// A measured point's results are fetched into this hidden folder of the cell
// (folder walks skip it: never ingested), then renamed into raw/ whole, so a
// run killed mid-fetch leaves no partial result beside the cell's data.
inline std::string landing_dir(const std::string& local_dir) { return ".landing/" + local_dir; }

struct CellRunRequest {
  std::string campaign, cell, backend;
  std::optional<std::string> ns;  // required: no implicit "default"
  std::optional<std::string> bench_pod, container, kube_context, endpoint_url, served_model;
  // The pod that sees the GPUs (nvidia-smi, dcgmi) and whose node is recorded;
  // default the bench pod (roofline-sweep: its block's telemetry_pod first).
  std::optional<std::string> telemetry_pod;
  // Serving cells: GPU metrics beside each point: nvidia-smi | dcgmi (in the
  // telemetry pod, started and stopped around each bench) | prometheus=URL (a
  // query_range over each point's window afterwards).
  std::optional<std::string> telemetry;
  std::string mode = "exec";  // exec | job
  bool dry_run = false;
  bool resume = false;
  bool allow_default_namespace = false;
  std::optional<double> timeout_per_point_s;
  double poll_interval_s = 2.0;  // job status polling
};

struct Step {
  std::string name;  // check-* | guard | stop | mkdir | bench | fetch | apply | status | logs | delete | params | sweep | teardown | leftovers | standing
  Argv argv;
  std::optional<double> timeout_s;
  std::string stdout_to;  // a result capture (job logs): where it goes
  std::string expect;     // a check: what its stdout must be (trimmed), else exit 0 suffices
  std::string fails_with; // a check: the error to report when it fails
};

struct PointPlan {
  long concurrency = 0;  // 0: one `vllm bench sweep serve` runs every concurrency
  std::string phase;     // roofline-sweep: decode | prefill ("" for serving points)
  std::optional<long> isl;  // roofline-sweep prefill: the prompt length
  long num_prompts = 0;
  std::string remote_dir;  // in the pod
  std::string local_dir;   // under cells/<id>/raw/ (fetched first to landing_dir(local_dir))
  std::vector<Step> steps;
  // Job mode: the Job, its status (polled until Complete or Failed), its log tail.
  nlohmann::json manifest;
  std::string manifest_file;
  std::string job_name;
  std::optional<Step> status, log_tail;
  std::vector<nlohmann::json> sweep_points;  // sweep serve: {max_concurrency, num_prompts} per concurrency
  // --telemetry prometheus: run after the point; the executor replaces the
  // argv words {node}, {start} and {end} (UTC epoch seconds of the bench).
  std::vector<Step> after;
};

struct RunPlan {
  std::string campaign, cell, backend, mode, ns, experiment, run;
  const BackendSpec* spec = nullptr;
  nlohmann::json workload = nlohmann::json::object();  // what the runs will measure, and how
  std::vector<Step> preflight;
  std::optional<Step> standing;  // objects of the namespace not from this experiment (before and after)
  Step guard, stop;              // is anything of this experiment still running; stop it
  std::vector<PointPlan> points;
  std::vector<Step> teardown;
  Step leftovers;                // what still carries the run's labels after teardown (must be nothing)
  std::vector<long> skipped_as_measured;
  // roofline-sweep: the points land as a roofline bundle (docs/formats/roofline-bundle.md)
  // under cells/<cell>/raw/<bundle_dir>, imported at the end as <cell>-decode/-prefill;
  // `collect` runs once after the points (the model's config.json).
  bool roofline = false;
  std::string bundle_dir;
  std::vector<Step> collect;
  // --telemetry (serving cells): the capture kind, the step that reads the
  // node the GPUs' pod runs on, and where each point's capture lands
  // (cells/<cell>/raw/<telemetry_dir>/c<N>/); dcgm_correlate runs at the end.
  std::string telemetry;  // "" | nvidia-smi | dcgmi | prometheus
  std::optional<Step> node;
  std::string telemetry_dir;
  nlohmann::json to_json() const;
};

struct PlanInputs {
  std::string campaign_id, campaign_slug;
  const CellConfig* cell = nullptr;
  nlohmann::json provenance = nlohmann::json::object();
  std::string stamp;               // UTC stamp of this run (compact)
  std::string cell_dir;            // for local paths in fetch steps
  std::string commands_dir;        // where scripts and manifests go
  std::vector<long> done;          // concurrencies already measured ok (--resume)
};

// Validates names (namespace, pod, context, image) by the Kubernetes rules and
// refuses what it cannot plan (a platform namespace, a dataset without its
// path, job mode without an image); warnings name what it adjusted.
RunPlan plan_cell_run(const CellRunRequest& req, const PlanInputs& in, Warnings& warnings);

// In job mode the container prints each result file between these lines
// ("<<<perftunereport-file NAME>>>" ... "<<<perftunereport-end>>>").
inline constexpr const char* kJobFileBegin = "<<<perftunereport-file";
inline constexpr const char* kJobFileEnd = "<<<perftunereport-end>>>";

// The placeholders of PointPlan::after, filled by the executor.
inline constexpr const char* kNodeWord = "{node}";
inline constexpr const char* kStartWord = "{start}";
inline constexpr const char* kEndWord = "{end}";

// Names no generated object may take (platform and standing services).
const std::vector<std::string>& protected_names();

}  // namespace ptr
