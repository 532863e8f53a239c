#include "analysis/dcgm_correlation.hpp"

#include <cmath>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/telemetry_window.hpp"
#include "model/telemetry_names.hpp"
#include "util/error.hpp"
#include "util/time_utc.hpp"
#include "util/timestamp.hpp"

namespace ptr {

using json = nlohmann::json;

namespace {

struct Means {
  std::map<long, std::map<std::string, double>> per_gpu;
  std::map<std::string, double> mean;
  size_t samples = 0;
  std::vector<std::string> notes;
};

// Per-GPU means over the window, across every series that has samples in
// it (several files: one capture per point), weighted by the samples each
// contributes. Untimed series count whole; `only_folder`, when given, keeps
// the untimed series whose file lies in that folder (a point's own capture).
Means means_over(const std::vector<TelemetrySeries>& series, double start, double end, double offset,
                 const std::string& only_folder = {}) {
  Means m;
  MetricSums acc;  // weighted by the samples each series contributes
  bool any_in_folder = false;
  if (!only_folder.empty())
    for (const auto& s : series) any_in_folder = any_in_folder || (s.clock == "none" && s.file.find(only_folder) != std::string::npos);
  bool noted = false;
  for (const auto& s : series) {
    std::optional<WindowTelemetry> w;
    if (s.clock == "none") {
      if (any_in_folder && s.file.find(only_folder) == std::string::npos) continue;
      w = whole_capture(s);
      if (!noted) m.notes.push_back("captures without timestamps (" + s.format + ") are taken whole, one per point folder where each point has one");
      noted = true;
    } else {
      w = window_telemetry(s, start, end, s.clock == "utc" ? 0 : offset);
    }
    if (!w) continue;
    m.samples += w->samples_used;
    double weight = std::max<double>(1, static_cast<double>(w->samples_used));
    for (const auto& [gpu, metrics] : w->per_gpu_mean)
      for (const auto& [name, v] : metrics) {
        auto& a = acc[gpu][name];
        a.first += weight * v;
        a.second += weight;
      }
  }
  means_of(acc, m.per_gpu, m.mean);
  return m;
}

std::string covers(const std::vector<TelemetrySeries>& series, double offset) {
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& s : series)
    for (const auto& x : s.samples)
      if (x.t_s) {
        double t = *x.t_s + (s.clock == "utc" ? 0 : offset);
        lo = std::min(lo, t);
        hi = std::max(hi, t);
      }
  return hi >= lo ? utc_iso_ms(lo) + ".." + utc_iso_ms(hi) : "no timestamps";
}

json derived(const Means& m, const GpuCeiling* gpu, const std::string& weight_dtype) {
  using namespace telemetry;
  json d = json::object();
  auto get = [&](const char* k) -> std::optional<double> {
    auto it = m.mean.find(k);
    return it == m.mean.end() ? std::nullopt : std::optional<double>(it->second);
  };
  if (auto dram = get(kDramActivePct); dram && gpu) {
    double theoretical = gpu->hbm_theoretical_tb_s.value_or(gpu->hbm_tb_s);
    double bw = dcgm_bandwidth_tb_s(*dram, theoretical);
    d["dcgm_bandwidth_tb_s"] = bw;
    d["dcgm_bandwidth_pct_of_datasheet"] = bw / gpu->hbm_tb_s * 100;
    d["dcgm_bandwidth_basis"] = fmt::format("DRAM_ACTIVE {:.1f} % x {:g} TB/s {} (duty-cycle proxy)", *dram, theoretical,
                                            gpu->hbm_theoretical_tb_s ? "theoretical (clock x bus)" : "datasheet (no theoretical figure)");
  }
  if (auto tensor = get(kTensorActivePct); tensor && gpu) {
    if (auto roof = gpu->compute_roof_tflops(weight_dtype)) {
      double tflops = *tensor / 100 * roof->first;
      std::string basis = fmt::format("tensor active {:.1f} % x {} dense {:g} TFLOP/s", *tensor, roof->second, roof->first);
      if (auto clock = get(kSmClockMhz); clock && gpu->boost_clock_mhz) {
        tflops *= *clock / *gpu->boost_clock_mhz;
        basis += fmt::format(" x SM clock {:.0f} / {:g} MHz", *clock, *gpu->boost_clock_mhz);
      }
      d["tensor_tflops_per_gpu"] = tflops;
      d["tensor_tflops_basis"] = basis;
    }
  }
  if (auto p = get(kPowerW)) d["power_watts_per_gpu"] = *p;
  return d;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

json correlate_cell(const AtlasCell& cell, const std::vector<TelemetrySeries>& series, const CorrelationWindow& window,
                    const GpuCeiling* gpu, double offset) {
  Means m = means_over(series, window.start, window.end, offset);
  if (m.per_gpu.empty())
    throw_input(series.empty() ? "" : series.front().file,
                fmt::format("no telemetry sample in the window {}..{} (the capture covers {})", utc_iso_ms(window.start),
                            utc_iso_ms(window.end), covers(series, offset)),
                -1, {}, "give the bench window with --window START..END (UTC), or the capture of this run");
  std::string q = lower(cell.quant.value_or("bf16"));
  std::string weight = q.find("nvfp4") != std::string::npos ? "nvfp4" : q.find("fp8") != std::string::npos ? "fp8" : "bf16";
  json per_gpu = json::object();
  for (const auto& [g, metrics] : m.per_gpu) per_gpu[std::to_string(g)] = metrics;
  json out = {{"schema", "dcgm_correlation_v1"},
              {"cell", cell.cell_id},
              {"window", {{"start", utc_iso_ms(window.start)}, {"end", utc_iso_ms(window.end)}, {"source", window.source}}},
              {"samples_used", m.samples},
              {"gpus", per_gpu},
              {"mean", m.mean},
              {"notes", m.notes}};
  json d = derived(m, gpu, weight);
  for (auto it = d.begin(); it != d.end(); ++it) out[it.key()] = it.value();
  // Tokens per watt: output tokens per second per GPU (duration-weighted over
  // the cell's measured points inside the window, when points carry windows)
  // per watt per GPU = tokens per joule.
  auto inside = [&](const Point& p) {
    auto w = p.extra.find("window_utc");
    if (w == p.extra.end() || !w->is_object()) return true;
    auto s = parse_timestamp(w->value("start", "")), e = parse_timestamp(w->value("end", ""));
    return !s || !e || (s->seconds >= window.start - 1 && e->seconds <= window.end + 1);
  };
  double tok = 0, dur = 0;
  for (const auto& p : cell.points)
    if (plot_ready(p) && p.output_tok_s_per_gpu && p.duration_s && inside(p)) {
      tok += *p.output_tok_s_per_gpu * *p.duration_s;
      dur += *p.duration_s;
    }
  if (out.contains("power_watts_per_gpu") && dur > 0 && out["power_watts_per_gpu"].get<double>() > 0)
    out["tokens_per_watt"] = tok / dur / out["power_watts_per_gpu"].get<double>();
  // Per point, where the points carry their own windows (roofline sweeps, cell_run).
  json points = json::array();
  for (const auto& p : cell.points) {
    auto w = p.extra.find("window_utc");
    if (w == p.extra.end() || !w->is_object()) continue;
    auto s = parse_timestamp((*w).value("start", ""));
    auto e = parse_timestamp((*w).value("end", ""));
    if (!s || !e) continue;
    Means pm = means_over(series, s->seconds, e->seconds, offset, p.concurrency ? fmt::format("/c{}/", *p.concurrency) : std::string());
    json pj = {{"concurrency", p.concurrency ? json(*p.concurrency) : json()}, {"isl", p.isl ? json(*p.isl) : json()},
               {"samples_used", pm.samples}, {"mean", pm.mean}};
    json pd = derived(pm, gpu, weight);
    for (auto it = pd.begin(); it != pd.end(); ++it) pj[it.key()] = it.value();
    if (pj.contains("power_watts_per_gpu") && p.output_tok_s_per_gpu && pj["power_watts_per_gpu"].get<double>() > 0)
      pj["tokens_per_watt"] = *p.output_tok_s_per_gpu / pj["power_watts_per_gpu"].get<double>();
    points.push_back(pj);
  }
  out["points"] = points;
  return out;
}

}  // namespace ptr
