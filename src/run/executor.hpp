#pragma once
// Runs a RunPlan: preflight, then point by point (nothing of the previous
// point may still run; each landed point is ingested under the campaign lock,
// failures recorded), then teardown by label and the check that nothing of
// the run is left and no standing object vanished. The transport (exec in a
// pod, or one Job per point) is the seam where the point's bench runs.
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "campaign/layout.hpp"
#include "run/plan.hpp"

namespace ptr {

// Runs one step: captures stdout/stderr beside the command log, appends the
// log line, honours the cancellation flag.
class StepRunner {
 public:
  StepRunner(std::filesystem::path cmd_dir, const std::atomic<bool>* cancel);
  struct Outcome {
    ProcessResult process;
    std::string out, err;  // captured (out: up to 8 MiB, err: last 2 KB)
    std::filesystem::path out_path;  // the whole stdout capture
  };
  // `cancellable`: a cancellation stops the step; teardown steps are not
  // cancellable (they are what a cancellation must still run).
  Outcome run(const Step& s, long concurrency, bool cancellable = true);
  bool cancelled() const { return cancel_ && cancel_->load(); }

 private:
  std::filesystem::path dir_;
  const std::atomic<bool>* cancel_;
  std::string log_;
  int n_ = 0;
};

struct PointOutcome {
  std::optional<std::string> failure;  // why the point failed, if it did
  bool cancelled = false;
  std::string bench_start_utc, bench_end_utc;  // when the point's bench ran (for a telemetry query)
};

class Transport {
 public:
  virtual ~Transport() = default;
  // `landed` is where the point's result files go (under cells/<id>/raw/).
  virtual PointOutcome run_point(const PointPlan& p, StepRunner& run, const std::filesystem::path& landed) = 0;
};

std::unique_ptr<Transport> make_transport(const RunPlan& plan, double poll_interval_s);

struct ExecuteResult {
  int points_ok = 0, points_failed = 0;
  bool cancelled = false;
  std::string status;  // the cell's status after the run
  std::optional<std::string> node;         // --telemetry: the node the GPUs' pod ran on
  std::optional<std::string> correlation;  // --telemetry: the dcgm_correlation.json written
};

ExecuteResult execute_plan(const Campaign& c, const RunPlan& plan, const std::filesystem::path& cmd_dir,
                           const std::atomic<bool>* cancel, double poll_interval_s, Warnings& warnings,
                           const std::function<void(double, double, const std::string&)>& progress);

}  // namespace ptr
