#pragma once
// Telemetry over one measurement window (a sweep point, a bench run).
//
// Edge rule: a sample stamped t covers the interval before t (nvidia-smi
// and DCGM report averages over the last period), so a window [start, end]
// takes the samples with start < t <= end. Metrics the series marks as
// lagged (nvidia-smi's GPM columns: dram, tensor, SM activity, about one
// sample late) take the samples of the window shifted by one sample period.
// The first and last samples of a window straddle its edges; so when three or
// more samples fall inside, the first and the last are dropped. Fewer than
// three: all are kept and `edges_dropped` is false.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/telemetry.hpp"

namespace ptr {

struct WindowTelemetry {
  size_t samples_in_window = 0;  // per GPU, the most of any GPU
  size_t samples_used = 0;       // after dropping the edges
  bool edges_dropped = false;
  std::map<long, std::map<std::string, double>> per_gpu_mean;  // GPU index -> metric -> mean
  std::map<std::string, double> mean;                          // metric -> mean over GPUs of the per-GPU means
};

// `utc_offset_s` is added to the file's stamps to put them on UTC (a capture
// on a host whose local time is UTC+1 needs -3600). A series without stamps
// cannot be aligned: nullopt. No sample inside: nullopt.
std::optional<WindowTelemetry> window_telemetry(const TelemetrySeries& s, double start_utc_s, double end_utc_s,
                                                double utc_offset_s = 0);
// A capture without timestamps (dcgmi dmon, scrapes), started and stopped
// around one window: all of it, with the same edge rule.
std::optional<WindowTelemetry> whole_capture(const TelemetrySeries& s);

// Weighted sums per GPU and metric -> the per-GPU means, and the mean over
// GPUs of those means (every GPU counts once).
using MetricSums = std::map<long, std::map<std::string, std::pair<double, double>>>;  // gpu -> metric -> (sum w*v, sum w)
void means_of(const MetricSums& sums, std::map<long, std::map<std::string, double>>& per_gpu, std::map<std::string, double>& mean);

}  // namespace ptr
