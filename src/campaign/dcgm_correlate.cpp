#include "campaign/dcgm_correlate.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

#include "analysis/dcgm_correlation.hpp"
#include "campaign/operations.hpp"
#include "ingest/discover.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"
#include "util/text.hpp"
#include "util/timestamp.hpp"
#include "util/tool_config.hpp"

namespace ptr {

namespace {

// Which adapters each input flag accepts.
const std::map<std::string, std::vector<std::string>>& kinds() {
  static const std::map<std::string, std::vector<std::string>> k = {
      {"frozen-yaml", {"dcgm-frozen-v1"}},
      {"dcgmi-dmon", {"dcgmi-dmon"}},
      {"prometheus", {"dcgm-exporter-prometheus", "prometheus-api-json"}},
      {"nvidia-smi", {"nvidia-smi-dmon", "nvidia-smi-query-csv"}},
      {"aiperf-telemetry", {"aiperf-gpu-telemetry-jsonl"}},
  };
  return k;
}

double utc_or_throw(const std::string& s, const std::string& what) {
  auto t = parse_timestamp(trim(s));
  if (!t || !t->zone_known) throw_usage(fmt::format("--window {}: expected a UTC time like 2026-11-27T17:32:32Z, got '{}'", what, excerpt(s)));
  return t->seconds;
}

// The window: --window, else the points' own windows, else a snapshot's,
// else the cell's bench stamps (read as UTC when they carry no zone).
CorrelationWindow window_of(const CorrelateRequest& req, const AtlasCell& cell, const TelemetrySeries& s, Warnings& warnings) {
  if (req.window) {
    size_t dots = req.window->find("..");
    if (dots == std::string::npos) throw_usage("--window must be START..END (UTC), got '" + excerpt(*req.window) + "'");
    CorrelationWindow w{utc_or_throw(req.window->substr(0, dots), "start"), utc_or_throw(req.window->substr(dots + 2), "end"), "--window"};
    if (!(w.end > w.start)) throw_usage("--window ends before it starts");
    return w;
  }
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& p : cell.points)
    if (auto it = p.extra.find("window_utc"); it != p.extra.end() && it->is_object()) {
      auto a = parse_timestamp(it->value("start", "")), b = parse_timestamp(it->value("end", ""));
      if (a && b) {
        lo = std::min(lo, a->seconds);
        hi = std::max(hi, b->seconds);
      }
    }
  if (hi > lo) return {lo, hi, "the points' windows"};
  if (s.frozen_window) return {s.frozen_window->first, s.frozen_window->second, "the snapshot's window"};
  if (auto ts = cell.extra.find("bench_timestamps"); ts != cell.extra.end() && ts->contains("stamps") && (*ts)["stamps"].is_array()) {
    std::vector<std::string> stamps;
    for (const auto& x : (*ts)["stamps"])
      if (x.is_string()) stamps.push_back(x.get<std::string>());
    if (auto r = time_range(stamps); r && r->second.seconds > r->first.seconds) {
      if (!r->first.zone_known)
        add_warning(warnings, {"window_zone_unknown", "the cell's bench stamps carry no zone; read as UTC", cell.cell_id, {}, {},
                               "give --window START..END in UTC when the client ran on another zone", {}});
      return {r->first.seconds, r->second.seconds, "the cell's bench stamps (first..last)"};
    }
  }
  throw_usage("no bench window for cell " + cell.cell_id, "give --window START..END (UTC)");
}

}  // namespace

json dcgm_correlate(const fs::path& root, const CorrelateRequest& req, Warnings& warnings) {
  Campaign c = open_campaign(root, req.campaign);
  fs::path dir = c.cell_dir(req.cell);
  fs::path norm = dir / "normalized.json";
  if (!fs::exists(norm)) throw_input(norm.string(), "cell '" + req.cell + "' has no data yet", -1, {}, "import its results first");
  AtlasCell cell = cell_from_json(parse_json_lenient(read_file(norm), norm.string()), norm.string());
  auto accepted = kinds().find(req.kind);
  if (accepted == kinds().end()) throw_usage("unknown telemetry kind '" + req.kind + "'");
  // One capture file, or a folder of them (cell_run --telemetry: one per point).
  IngestBatch batch = ingest_paths({req.file}, "auto");
  if (batch.telemetry.empty() || batch.files.empty())
    throw_input(req.file.string(), "not a GPU telemetry capture", -1, {}, "expected " + accepted->second.front());
  for (const auto& f : batch.files)
    if (f.telemetry && std::find(accepted->second.begin(), accepted->second.end(), f.format) == accepted->second.end())
      throw_usage(fmt::format("{} was detected as {}, which --{} does not take", f.abs.string(), f.format, req.kind),
                  "pass it with the flag of its kind");
  for (const auto& w : batch.warnings) add_warning(warnings, w);
  bool folder = fs::is_directory(req.file);
  std::vector<TelemetrySeries>& series = batch.telemetry;
  for (auto& s : series) s.file = folder ? (req.file.parent_path() / s.file).string() : req.file.string();
  // The node: the capture's, checked against the cell's and --node.
  std::optional<std::string> node;
  for (const auto& s : series) {
    for (const auto& expected : {req.node, cell.node, node})
      if (expected && s.node && *expected != *s.node)
        throw_input(s.file, fmt::format("the capture comes from node {}, not {}", *s.node, *expected), -1, "node",
                    "correlate each cell with a capture from the node it was served on");
    if (s.node) node = s.node;
  }
  if (!node) node = req.node ? req.node : cell.node;
  const TelemetrySeries& s = series.front();
  CorrelationWindow window = window_of(req, cell, s, warnings);
  std::optional<SolCeilings> ceilings;
  const GpuCeiling* gpu = nullptr;
  if (find_tool_config("sol-ceilings.yaml", "SOL_CEILINGS_YAML", c.dir)) {
    ceilings = load_sol_ceilings(c.dir);
    gpu = ceilings->for_hardware(cell.hardware.value_or(""));
  }
  if (!gpu)
    add_warning(warnings, {"no_gpu_ceiling", "no ceiling for hardware " + cell.hardware.value_or("?") +
                                                 ": no bandwidth or TFLOP/s figures", cell.cell_id, {}, {}, {}, {}});
  FileLock lock(c.dir, "dcgm_correlate " + req.cell, lock_wait_seconds());
  json out = correlate_cell(cell, series, window, gpu, req.utc_offset_s);
  out["node"] = node ? json(*node) : json();
  size_t samples = 0;
  for (const auto& x : series) samples += x.samples.size();
  out["source"] = {{"file", req.file.string()}, {"format", s.format}, {"clock", s.clock}, {"utc_offset_s", req.utc_offset_s},
                   {"samples", samples}, {"files", series.size()}};
  out["hardware"] = gpu ? json({{"key", gpu->key}, {"hbm_tb_s", gpu->hbm_tb_s}}) : json();
  atomic_write(dir / "dcgm_correlation.json", out.dump(2) + "\n");
  out["written"] = (dir / "dcgm_correlation.json").string();
  return out;
}

}  // namespace ptr
