#pragma once
// A GPU telemetry series as the tool keeps it, whatever wrote it (nvidia-smi,
// AIPerf, later DCGM): samples of canonical metrics (model/telemetry_names.hpp)
// per GPU, on a stated clock.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ptr {

// One telemetry reading. Metrics under canonical names (src/model/telemetry_names.hpp):
// power_w, sm_clock_mhz, dram_active_pct, tensor_active_pct, ... ; a value
// the tool printed as '-' or N/A is absent, never 0.
struct TelemetrySample {
  std::optional<double> t_s;  // seconds since the epoch on the file's clock (see TelemetrySeries::clock)
  long gpu = 0;
  std::map<std::string, double> metric;
};

struct TelemetrySeries {
  std::string file, format;
  // "host-local": stamps in the capturing host's local time (nvidia-smi);
  // "utc": stamps in UTC; "none": the file has no timestamps.
  std::string clock = "host-local";
  double sample_period_s = 1;  // the spacing the tool was asked for (median of the stamps)
  std::vector<TelemetrySample> samples;
  // Metrics whose samples describe the period before the previous stamp
  // (nvidia-smi's GPM columns lag about one sample): aligned one period later.
  std::set<std::string> lagged_metrics;
  bool truncated = false;                // a partial last record was left out (a logger killed mid-write)
  std::optional<std::string> node;      // the host the capture names, when it does
  // A frozen snapshot's own bench window (UTC seconds), when it records one.
  std::optional<std::pair<double, double>> frozen_window;
};

}  // namespace ptr
