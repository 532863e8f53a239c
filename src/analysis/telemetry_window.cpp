#include "analysis/telemetry_window.hpp"

#include <algorithm>

namespace ptr {

namespace {

using Samples = std::vector<const TelemetrySample*>;

std::map<long, Samples> samples_by_gpu(const TelemetrySeries& s, double start, double end, double offset) {
  std::map<long, Samples> by_gpu;
  for (const auto& x : s.samples) {
    if (!x.t_s) continue;
    double t = *x.t_s + offset;
    if (t > start && t <= end) by_gpu[x.gpu].push_back(&x);
  }
  return by_gpu;
}

}  // namespace

std::optional<WindowTelemetry> window_telemetry(const TelemetrySeries& s, double start_utc_s, double end_utc_s,
                                                double utc_offset_s) {
  auto plain = samples_by_gpu(s, start_utc_s, end_utc_s, utc_offset_s);
  if (plain.empty()) return std::nullopt;
  auto shifted = s.lagged_metrics.empty()
                     ? std::map<long, Samples>{}
                     : samples_by_gpu(s, start_utc_s + s.sample_period_s, end_utc_s + s.sample_period_s, utc_offset_s);
  WindowTelemetry w;
  MetricSums sums;
  auto take = [&](const std::map<long, Samples>& by_gpu, bool lagged) {
    for (const auto& [gpu, xs] : by_gpu) {
      size_t lo = 0, hi = xs.size();
      if (xs.size() >= 3) {
        lo = 1;
        hi = xs.size() - 1;
      }
      if (!lagged) {
        w.samples_in_window = std::max(w.samples_in_window, xs.size());
        w.samples_used = std::max(w.samples_used, hi - lo);
        w.edges_dropped = w.edges_dropped || xs.size() >= 3;
      }
      for (size_t i = lo; i < hi; ++i)
        for (const auto& [name, v] : xs[i]->metric) {
          if ((s.lagged_metrics.count(name) > 0) != lagged) continue;
          sums[gpu][name].first += v;
          sums[gpu][name].second += 1;
        }
    }
  };
  take(plain, false);
  take(shifted, true);
  means_of(sums, w.per_gpu_mean, w.mean);
  return w;
}

void means_of(const MetricSums& sums, std::map<long, std::map<std::string, double>>& per_gpu, std::map<std::string, double>& mean) {
  std::map<std::string, std::pair<double, int>> across;
  for (const auto& [gpu, metrics] : sums)
    for (const auto& [name, sc] : metrics) {
      double m = sc.first / sc.second;
      per_gpu[gpu][name] = m;
      across[name].first += m;
      across[name].second += 1;
    }
  for (const auto& [name, sc] : across) mean[name] = sc.first / sc.second;
}

std::optional<WindowTelemetry> whole_capture(const TelemetrySeries& s) {
  TelemetrySeries copy = s;
  std::map<long, double> next;  // per GPU: the sample's position in the capture
  for (auto& x : copy.samples) x.t_s = ++next[x.gpu];
  copy.lagged_metrics.clear();
  double n = 0;
  for (const auto& [gpu, k] : next) n = std::max(n, k);
  return window_telemetry(copy, 0, n + 1);
}

}  // namespace ptr
