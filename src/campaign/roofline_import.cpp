#include "campaign/roofline_import.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "analysis/roofline/model_source.hpp"
#include "analysis/roofline/sweep_point.hpp"
#include "analysis/telemetry_window.hpp"
#include "campaign/config.hpp"
#include "campaign/operations.hpp"
#include "ingest/discover.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/fs.hpp"
#include "util/staged_commit.hpp"
#include "util/time_utc.hpp"
#include "util/timestamp.hpp"

namespace ptr {

namespace {

constexpr const char* kEdgeRule =
    "samples stamped start < t <= end; GPM columns shifted one sample period; first and last sample dropped when >= 3 "
    "(src/analysis/telemetry_window.hpp)";

struct Window {
  double start = 0, end = 0;
};

// A bench run's UTC window: start and end when the client wrote them, else
// its save stamp minus its duration. Stamps without a zone are read as UTC.
std::optional<Window> run_window(const RunResult& r) {
  auto at = [](const std::optional<std::string>& s) -> std::optional<double> {
    if (!s) return std::nullopt;
    auto t = parse_timestamp(*s);
    return t ? std::optional<double>(t->seconds) : std::nullopt;
  };
  auto start = at(r.start_time), end = at(r.end_time);
  if (start && end && *end > *start) return Window{*start, *end};
  if (auto d = at(r.date); d && r.duration_s) return Window{*d - *r.duration_s, *d};
  return std::nullopt;
}

// The phase of a bench output: the first path component named decode or prefill.
std::optional<std::string> phase_of(const std::string& rel) {
  for (const auto& part : std::filesystem::path(rel))
    if (part == "decode" || part == "prefill") return part.string();
  return std::nullopt;
}

std::string default_label(const json& id) {
  auto text = [&](const char* k) {
    if (!id.contains(k) || id[k].is_null()) return std::string("x");
    return id[k].is_string() ? id[k].get<std::string>() : id[k].dump();
  };
  return slugify(fmt::format("{}-tp{}-{}-roofline", text("hardware"), text("tensor_parallel"), text("quant")));
}

struct Shape {
  std::optional<ModelShape> shape;
  std::string from;  // how it was found
};

Shape find_shape(const RooflineImportRequest& req, const IngestBatch& batch, const std::optional<std::string>& model) {
  if (req.model_config) return {shape_from_config_file(*req.model_config, req.quant_config), "--model-config"};
  const ModelConfigFile *config = nullptr, *quant = nullptr;
  for (const auto& m : batch.model_configs) {
    const ModelConfigFile*& slot = m.quant_config ? quant : config;
    if (slot) throw_input(m.file, "a second " + std::string(m.quant_config ? "quantization config" : "model config") +
                                      " in the bundle (the first is " + slot->file + ")", -1, {}, "keep one, or give --model-config");
    slot = &m;
  }
  if (config) {
    ModelShape s = shape_from_config(config->config, config->file, quant ? &quant->config : nullptr);
    s.name = model.value_or(config->config.value("_name_or_path", s.model_type));
    return {s, config->file};
  }
  if (model)
    if (auto s = builtin_shape(*model)) return {*s, s->source};
  return {};
}

// "decode/c8" for a point whose bench output sits under decode/c8/...
std::string point_folder(const Point& p) {
  if (p.source.empty()) return {};
  std::filesystem::path f(p.source.front().file);
  std::string prev;
  for (const auto& part : f) {
    if (prev == "decode" || prev == "prefill") return prev + "-" + part.string();
    prev = part.string();
  }
  return {};
}

// A capture without timestamps belongs to the point whose folder it is in:
// telemetry/<phase>-<point>/ (what cell_run's dcgmi capture writes).
bool untimed_capture_of(const TelemetrySeries& s, const Point& p) {
  std::string folder = point_folder(p);
  return !folder.empty() && s.file.find("/telemetry/" + folder + "/") != std::string::npos;
}

void add_telemetry(Point& p, const Window& w, const std::vector<const TelemetrySeries*>& series, double offset) {
  json means = json::object(), files = json::object();
  size_t samples = 0;
  for (const TelemetrySeries* s : series) {
    double shift = s->clock == "utc" ? 0 : offset;
    std::optional<WindowTelemetry> wt;
    if (s->clock == "none") {
      if (untimed_capture_of(*s, p)) wt = whole_capture(*s);
    } else {
      wt = window_telemetry(*s, w.start, w.end, shift);
    }
    if (!wt) continue;
    for (const auto& [metric, v] : wt->mean)
      if (!means.contains(metric)) {
        means[metric] = v;
        files[metric] = s->file;
      }
    samples = std::max(samples, wt->samples_used);
  }
  if (w.end > w.start) p.extra["window_utc"] = {{"start", utc_iso_ms(w.start)}, {"end", utc_iso_ms(w.end)}};
  if (means.empty()) return;
  p.extra["telemetry"] = means;
  p.extra["telemetry_source"] = files;
  p.extra["telemetry_samples"] = samples;
}

Point table_point(const RooflineRow& row, const std::string& file, std::optional<long> gpus) {
  Point p;
  p.concurrency = row.batch;
  p.duration_s = row.end_utc_s - row.start_utc_s;
  if (row.phase == "decode") {
    p.output_tok_s = row.tok_s;
    if (gpus) p.output_tok_s_per_gpu = row.tok_s / static_cast<double>(*gpus);
    p.tok_s_per_user = row.tok_s / static_cast<double>(row.batch);
    p.interactivity_tok_s = 1000.0 / row.step_ms;
  } else {
    p.isl = row.isl;
    p.total_tok_s = row.tok_s;
  }
  p.extra["step_ms"] = row.step_ms;
  if (row.steps) p.extra["steps"] = *row.steps;
  if (row.context) p.extra["context"] = *row.context;
  p.source.push_back({file, "roofline-sweep-table-csv", "", row.line - 1, std::nullopt});
  return p;
}

struct PhaseCell {
  AtlasCell cell;
  std::vector<Window> windows;  // per point, nullopt-free; points without one get no telemetry
  std::vector<bool> has_window;
};

}  // namespace

json import_roofline_sweep(const fs::path& root, const RooflineImportRequest& req, Warnings& warnings) {
  Campaign c = open_campaign(root, req.campaign);
  if (!fs::is_directory(req.bundle)) throw_input(req.bundle.string(), "not a folder", -1, {}, "give the roofline bundle folder");
  json id = req.identity;
  std::string label = req.label.value_or(default_label(id));
  for (const char* suffix : {"-decode", "-prefill"})
    if (!valid_cell_id(label + suffix))
      throw_usage(fmt::format("--label '{}' makes the cell id '{}{}', which must {}", label, label, suffix, kCellIdRule),
                  "give a shorter --label of letters, digits, '.', '_' and '-'");
  FileLock lock(c.dir, "import_roofline_sweep " + label, lock_wait_seconds());

  IngestBatch batch = ingest_paths({req.bundle}, "auto");
  std::string top = batch.files.empty() ? req.bundle.filename().string() : batch.files.front().rel.substr(0, batch.files.front().rel.find('/'));
  relocate(batch, [](const std::string& rel) { return "raw/" + rel; });
  for (const auto& w : batch.warnings) add_warning(warnings, w);

  std::optional<std::string> model = id.contains("model") ? std::optional<std::string>(id["model"].get<std::string>()) : std::nullopt;
  for (const auto& r : batch.results)
    if (!model && r.model_id) model = r.model_id;
  Shape shape = find_shape(req, batch, model);
  if (!model && shape.shape) model = shape.shape->name;
  if (!model) throw_usage("the model is not known: give --model (or a model_config.json in the bundle)");
  json defaults = json::array();
  id["model"] = *model;
  if (!id.contains("parallel_strategy")) {
    id["parallel_strategy"] = "TP";
    defaults.push_back("parallel_strategy=TP");
  }
  if (!id.contains("mtp")) {
    id["mtp"] = false;
    defaults.push_back("mtp=false");
  }
  if (!shape.shape)
    add_warning(warnings, {"no_model_shape",
                           fmt::format("no model shape for '{}': points carry telemetry but no analytical coordinates; page 7 "
                                       "falls back to the DRAM_ACTIVE proxy", *model),
                           {}, {}, {}, "put the model's config.json in the bundle or give --model-config", {}});

  std::map<std::string, PhaseCell> phases;
  auto phase_cell = [&](const std::string& phase) -> PhaseCell& {
    auto it = phases.find(phase);
    if (it != phases.end()) return it->second;
    PhaseCell& pc = phases[phase];
    pc.cell = cell_identity_from_flags(c.id, label + "-" + phase, id);
    pc.cell.sweep_kind = phase;
    pc.cell.backend = "roofline-sweep";
    return pc;
  };
  // Engine-free captures: a table of points.
  for (const auto& t : batch.roofline_tables)
    for (const auto& row : t.rows) {
      PhaseCell& pc = phase_cell(row.phase);
      pc.cell.points.push_back(table_point(row, t.file, pc.cell.gpus));
      pc.windows.push_back({row.start_utc_s, row.end_utc_s});
      pc.has_window.push_back(true);
    }
  // Serving captures: bench outputs under decode/ and prefill/.
  std::map<std::string, std::vector<RunResult>> runs_of;
  for (auto& r : batch.results) {
    auto phase = phase_of(r.file);
    if (!phase)
      throw_input(r.file, "a bench output outside decode/ and prefill/", -1, {},
                  "a roofline bundle keeps each point's bench output under decode/c<N>/ or prefill/isl<N>/");
    runs_of[*phase].push_back(std::move(r));
  }
  for (auto& [phase, runs] : runs_of) {
    PhaseCell& pc = phase_cell(phase);
    check_runs_fit_one_cell(runs, pc.cell.cell_id, false, pc.cell.warnings);
    for (auto& p : build_points(runs, pc.cell.gpus, {}, pc.cell.warnings)) {
      std::optional<Window> w;
      for (const auto& s : p.source)
        for (const auto& r : runs)
          if (r.file == s.file && r.line == s.line)
            if (auto rw = run_window(r)) w = w ? Window{std::min(w->start, rw->start), std::max(w->end, rw->end)} : *rw;
      if (phase == "prefill" && p.mean_input_tokens) p.isl = std::lround(*p.mean_input_tokens);
      pc.cell.points.push_back(std::move(p));
      pc.windows.push_back(w.value_or(Window{}));
      pc.has_window.push_back(w.has_value());
    }
  }
  if (phases.empty())
    throw_input(req.bundle.string(), "no decode or prefill points", -1, {},
                "a roofline bundle holds a sweep table (phase,batch,...,window_end_utc) or bench outputs under decode/ and prefill/ "
                "(docs/formats/roofline-bundle.md)");

  // Telemetry: per metric, the finest series that covers the window.
  std::vector<const TelemetrySeries*> series;
  for (const auto& s : batch.telemetry) series.push_back(&s);
  std::stable_sort(series.begin(), series.end(),
                   [](const TelemetrySeries* a, const TelemetrySeries* b) { return a->sample_period_s < b->sample_period_s; });
  if (series.empty())
    add_warning(warnings, {"no_telemetry", "the bundle has no GPU telemetry: points carry no DRAM/tensor activity or power", {}, {}, {},
                           "capture nvidia-smi dmon --gpm-metrics or dcgmi dmon during the sweep", {}});

  json result_cells = json::array();
  for (auto& [phase, pc] : phases) {
    AtlasCell& cell = pc.cell;
    long gpus = cell.gpus.value_or(1), replicas = cell.data_parallel.value_or(1);
    for (size_t i = 0; i < cell.points.size(); ++i) {
      Point& p = cell.points[i];
      if (pc.has_window[i] || !series.empty()) add_telemetry(p, pc.windows[i], series, req.telemetry_utc_offset_s);
      if (!pc.has_window[i] && !series.empty() && !p.extra.contains("telemetry"))
        add_warning(cell.warnings, {"no_window", "the point's bench output has no start/end or date stamp: telemetry not aligned", {},
                                    p.source.empty() ? "" : p.source.front().file, {}, {}, p.concurrency});
      if (!shape.shape || !p.concurrency) continue;
      double batch_size = static_cast<double>(*p.concurrency);
      if (phase == "decode") {
        double context = p.extra.contains("context") ? p.extra["context"].get<double>()
                                                     : p.mean_input_tokens.value_or(0) + p.mean_output_tokens.value_or(0) / 2;
        p.extra["roofline"] = to_json(decode_coordinates(*shape.shape, batch_size, context, p.output_tok_s, gpus, replicas));
      } else if (p.isl) {
        std::optional<double> prompt_tok_s = p.total_tok_s;
        if (p.request_throughput_rps && p.mean_input_tokens) prompt_tok_s = *p.request_throughput_rps * *p.mean_input_tokens;
        p.extra["roofline"] = to_json(prefill_coordinates(*shape.shape, batch_size, static_cast<double>(*p.isl), prompt_tok_s, gpus, replicas));
      }
    }
    std::stable_sort(cell.points.begin(), cell.points.end(), [](const Point& a, const Point& b) {
      return std::make_pair(a.concurrency.value_or(0), a.isl.value_or(0)) < std::make_pair(b.concurrency.value_or(0), b.isl.value_or(0));
    });
    cell.status = cell_status(cell.points, {});
    for (auto& w : cell.warnings)
      if (w.cell.empty()) w.cell = cell.cell_id;
    for (const auto& w : cell.warnings) add_warning(warnings, w);
  }

  json telemetry = json::array();
  for (const TelemetrySeries* s : series) {
    json lagged = json::array();
    for (const auto& m : s->lagged_metrics) lagged.push_back(m);
    telemetry.push_back({{"file", s->file}, {"format", s->format}, {"clock", s->clock}, {"sample_period_s", s->sample_period_s},
                         {"utc_offset_s", s->clock == "utc" ? 0.0 : req.telemetry_utc_offset_s}, {"lagged_metrics", lagged},
                         {"samples", s->samples.size()}});
  }
  json sweep = {{"schema", "roofline_sweep_v1"},
                {"label", label},
                {"bundle", req.bundle.string()},
                {"model", *model},
                {"model_shape_from", shape.shape ? json(shape.from) : json()},
                {"model_shape", shape.shape ? to_json(*shape.shape) : json()},
                {"prefill_causal_halving", true},
                {"telemetry", telemetry},
                {"edge_rule", kEdgeRule},
                {"cells", json::array()}};
  for (const auto& [phase, pc] : phases) sweep["cells"].push_back(pc.cell.cell_id);
  // The report reads the shape from the atlas: each cell carries it.
  for (auto& [phase, pc] : phases)
    pc.cell.extra["roofline_sweep"] = {{"label", label},
                                       {"model_shape_from", sweep["model_shape_from"]},
                                       {"model_shape", sweep["model_shape"]},
                                       {"prefill_causal_halving", true}};

  for (auto& [phase, pc] : phases) {
    AtlasCell& cell = pc.cell;
    fs::path dir = c.cell_dir(cell.cell_id);
    StagedCommit::recover(dir);
    StagedCommit txn(dir);
    for (const auto& f : batch.files) {
      fs::path dest = safe_join(dir, "raw/" + f.rel, "raw file name");
      if (!fs::exists(dest) || !files_equal(dest, f.abs)) txn.copy(f.abs, "raw/" + f.rel);
    }
    AtlasCell id_only = cell;
    id_only.points.clear();
    id_only.warnings.clear();
    txn.write("cell.json", to_json(id_only).dump(2) + "\n");
    txn.write("normalized.json", to_json(cell).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
    txn.write("status.txt", cell.status + "\n");
    txn.write("roofline_sweep.json", sweep.dump(2) + "\n");
    txn.commit();
    result_cells.push_back({{"cell", cell.cell_id}, {"points", cell.points.size()}, {"status", cell.status},
                            {"normalized", (dir / "normalized.json").string()}});
  }
  json files = json::array();
  for (const auto& f : batch.files) files.push_back({{"path", f.abs.string()}, {"raw", "raw/" + f.rel}, {"format", f.format}});
  return {{"campaign", c.id},
          {"label", label},
          {"bundle", top},
          {"cells", result_cells},
          {"model", *model},
          {"model_shape_from", shape.shape ? json(shape.from) : json()},
          {"telemetry", telemetry},
          {"defaults_applied", defaults},
          {"files", files}};
}

}  // namespace ptr
