// dcgm_frozen_v1 (docs/formats/dcgm-frozen.md): a frozen snapshot of DCGM
// metrics over a bench window, per GPU as means or as timed series, with the
// node it came from. The window and the node are required: an artifact
// without them cannot be checked against the cell or re-queried.
#include <cmath>
#include <fmt/format.h>

#include "ingest/dcgm_fields.hpp"
#include "ingest/formats.hpp"
#include "model/telemetry_names.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/timestamp.hpp"
#include "util/yaml_json.hpp"

namespace ptr {

namespace {

double utc_at(const json& j, const std::string& file, const std::string& key) {
  if (!j.is_string()) throw_input(file, "expected a UTC time like 2026-11-27T17:32:32Z", -1, key);
  auto t = parse_timestamp(j.get<std::string>());
  if (!t || !t->zone_known)
    throw_input(file, "expected a UTC time with Z or an offset, got '" + excerpt(j.get<std::string>()) + "'", -1, key);
  return t->seconds;
}

void add_metrics(TelemetrySample& s, const json& values, const std::string& file, const std::string& where) {
  for (auto it = values.begin(); it != values.end(); ++it) {
    if (it.key() == "t") continue;
    const DcgmField* f = dcgm_field_by_name(it.key());
    if (!f) throw_input(file, "unknown DCGM field (expected a DCGM_FI_* name)", -1, where + "." + it.key());
    if (!it.value().is_number() || !std::isfinite(it.value().get<double>()) || it.value().get<double>() < 0)
      throw_input(file, "expected a number >= 0", -1, where + "." + it.key());
    s.metric[f->metric] = it.value().get<double>() * f->scale;
  }
}

}  // namespace

Sniff sniff_dcgm_frozen(const FileView& f) {
  auto h = head(f.text, 4096);
  if (contains(h, "dcgm_frozen_v1") && contains(h, "schema")) return {95, "schema: dcgm_frozen_v1 (frozen DCGM snapshot)"};
  return {};
}

void parse_dcgm_frozen(const FileView& f, Products& out) {
  json d = parse_yaml_document(std::string(f.text), f.path);
  if (!d.is_object() || d.value("schema", "") != "dcgm_frozen_v1")
    throw_input(f.path, "expected schema: dcgm_frozen_v1", -1, "schema");
  if (!d.contains("node") || !d["node"].is_string() || d["node"].get<std::string>().empty())
    throw_input(f.path, "missing: the node the metrics came from", -1, "node", "a window-only snapshot cannot be checked or re-queried");
  if (!d.contains("window") || !d["window"].is_object())
    throw_input(f.path, "missing: the bench window {start, end} (UTC)", -1, "window");
  double start = utc_at(d["window"].value("start", json()), f.path, "window.start");
  double end = utc_at(d["window"].value("end", json()), f.path, "window.end");
  if (!(end > start)) throw_input(f.path, "the window ends before it starts", -1, "window.end");
  if (!d.contains("gpus") || !d["gpus"].is_array() || d["gpus"].empty())
    throw_input(f.path, "expected a list of GPUs with means or series", -1, "gpus");
  TelemetrySeries s;
  s.file = f.path;
  s.format = "dcgm-frozen-v1";
  s.clock = "utc";
  s.node = d["node"].get<std::string>();
  s.frozen_window = {start, end};
  for (size_t i = 0; i < d["gpus"].size(); ++i) {
    const json& g = d["gpus"][i];
    std::string where = fmt::format("gpus[{}]", i);
    if (!g.is_object() || !g.contains("gpu") || !g["gpu"].is_number_integer())
      throw_input(f.path, "expected {gpu: <index>, means: {...}} or {gpu, series: [...]}", -1, where);
    long gpu = g["gpu"].get<long>();
    if (g.contains("means")) {
      if (!g["means"].is_object()) throw_input(f.path, "expected a mapping of DCGM field -> mean", -1, where + ".means");
      // Means stand for the whole window: one sample at its end.
      TelemetrySample smp{end, gpu, {}};
      add_metrics(smp, g["means"], f.path, where + ".means");
      s.samples.push_back(std::move(smp));
    } else if (g.contains("series") && g["series"].is_array()) {
      for (size_t k = 0; k < g["series"].size(); ++k) {
        const json& row = g["series"][k];
        std::string w2 = fmt::format("{}.series[{}]", where, k);
        if (!row.is_object()) throw_input(f.path, "expected {t: <UTC time>, <field>: <value>, ...}", -1, w2);
        TelemetrySample smp{utc_at(row.value("t", json()), f.path, w2 + ".t"), gpu, {}};
        add_metrics(smp, row, f.path, w2);
        s.samples.push_back(std::move(smp));
      }
    } else {
      throw_input(f.path, "expected means or series", -1, where);
    }
  }
  if (d.contains("power_watts_per_gpu")) {
    if (!d["power_watts_per_gpu"].is_number() || !(d["power_watts_per_gpu"].get<double>() >= 0))
      throw_input(f.path, "expected watts >= 0", -1, "power_watts_per_gpu");
    for (auto& smp : s.samples) smp.metric.emplace(telemetry::kPowerW, d["power_watts_per_gpu"].get<double>());
  }
  out.telemetry.push_back(std::move(s));
}

}  // namespace ptr
