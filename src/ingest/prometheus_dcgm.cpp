// dcgm-exporter's Prometheus text exposition (several scrapes concatenated,
// or pasted inside Markdown code fences), and the Prometheus HTTP API's
// query / query_range JSON for DCGM metrics: a GPU telemetry series.
// Labels: gpu, UUID or uuid, Hostname or hostname (reference §4.3). Ratios
// (DCGM_FI_PROF_*) are 0..1 and become percentages.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "ingest/dcgm_fields.hpp"
#include "ingest/formats.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"
#include "util/text.hpp"

namespace ptr {

namespace {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
  std::optional<double> t_s;
};

// `NAME{a="b",...} value [timestamp_ms]`; nullopt for other lines.
std::optional<Sample> exposition_line(std::string_view line) {
  size_t b = line.find_first_not_of(" \t");
  if (b == std::string_view::npos || line.substr(b, 8) != "DCGM_FI_") return std::nullopt;
  line = line.substr(b);
  Sample s;
  size_t i = 0;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_')) ++i;
  s.name = std::string(line.substr(0, i));
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      size_t eq = line.find('=', i);
      if (eq == std::string_view::npos || eq + 1 >= line.size() || line[eq + 1] != '"') return std::nullopt;
      std::string key(trim(std::string(line.substr(i, eq - i))));
      std::string val;
      size_t j = eq + 2;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\' && j + 1 < line.size()) ++j;
        val.push_back(line[j]);
      }
      if (j >= line.size()) return std::nullopt;
      s.labels[key] = val;
      i = j + 1;
      if (i < line.size() && line[i] == ',') ++i;
    }
    if (i >= line.size()) return std::nullopt;
    ++i;
  }
  std::string rest = trim(std::string(line.substr(i)));
  size_t used = 0;
  try {
    s.value = std::stod(rest, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string ts = trim(rest.substr(used));
  if (!ts.empty()) {
    try {
      s.t_s = std::stod(ts) / 1000.0;  // exposition timestamps are milliseconds
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return s;
}

long gpu_of(const Sample& s, const std::string& file, long line) {
  auto it = s.labels.find("gpu");
  if (it == s.labels.end()) return 0;
  try {
    return std::stol(it->second);
  } catch (const std::exception&) {
    throw_input(file, "expected a GPU index in label gpu, got '" + excerpt(it->second) + "'", line, "gpu");
  }
}

std::optional<std::string> host_of(const std::map<std::string, std::string>& labels) {
  for (const char* k : {"Hostname", "hostname"})
    if (auto it = labels.find(k); it != labels.end() && !it->second.empty()) return it->second;
  return std::nullopt;
}

void set_node(TelemetrySeries& s, const std::optional<std::string>& host, const std::string& file) {
  if (!host) return;
  if (s.node && *s.node != *host)
    throw_input(file, fmt::format("samples from two hosts ({} and {}) in one capture", *s.node, *host), -1, "Hostname",
                "split the capture per node");
  s.node = host;
}

}  // namespace

Sniff sniff_prometheus_dcgm(const FileView& f) {
  int hits = 0;
  for (auto l : lines_of(head(f.text, 65536)))
    if (auto s = exposition_line(l); s && dcgm_field_by_name(s->name)) ++hits;
  if (hits >= 2) return {80, "DCGM_FI_* samples in Prometheus text exposition (dcgm-exporter)"};
  return {};
}

void parse_prometheus_dcgm(const FileView& f, Products& out) {
  TelemetrySeries s;
  s.file = f.path;
  s.format = "dcgm-exporter-prometheus";
  s.clock = "none";
  // Scrapes without timestamps follow each other: a (metric, gpu) seen again starts the next one.
  std::map<long, TelemetrySample> current;
  bool stamped = false;
  long line_no = 0;
  auto flush = [&](long gpu) {
    auto it = current.find(gpu);
    if (it == current.end() || it->second.metric.empty()) return;
    s.samples.push_back(std::move(it->second));
    current.erase(it);
  };
  for (auto l : lines_of(f.text)) {
    ++line_no;
    auto x = exposition_line(l);
    if (!x) continue;
    const DcgmField* field = dcgm_field_by_name(x->name);
    if (!field) continue;
    if (std::isnan(x->value)) continue;  // Prometheus writes NaN for "no value"
    if (!std::isfinite(x->value) || x->value < 0)
      throw_input(f.path, fmt::format("expected a value >= 0, got {}", x->value), line_no, x->name);
    long gpu = gpu_of(*x, f.path, line_no);
    set_node(s, host_of(x->labels), f.path);
    TelemetrySample& cur = current[gpu];
    bool new_scrape = cur.metric.count(field->metric) > 0 || (x->t_s && cur.t_s && *x->t_s != *cur.t_s);
    if (new_scrape) flush(gpu);
    TelemetrySample& now = current[gpu];
    now.gpu = gpu;
    if (x->t_s) {
      now.t_s = x->t_s;
      stamped = true;
    }
    now.metric[field->metric] = x->value * field->scale;
  }
  for (auto& [gpu, sample] : std::map<long, TelemetrySample>(current))
    if (!sample.metric.empty()) s.samples.push_back(sample);
  if (s.samples.empty()) throw_input(f.path, "no DCGM_FI_* sample");
  if (stamped) s.clock = "utc";
  out.telemetry.push_back(std::move(s));
}

Sniff sniff_prometheus_api(const FileView& f) {
  auto h = head(f.text, 4096);
  if (contains(h, "\"resultType\"") && contains(h, "DCGM_FI_") && contains(h, "\"status\""))
    return {82, "a Prometheus HTTP API response (status, data.resultType) of DCGM metrics"};
  return {};
}

namespace {
// The JSON object inside the text (it may sit in a Markdown code fence).
std::string_view json_object_in(std::string_view text) {
  size_t b = text.find("{\"status\"");
  if (b == std::string_view::npos) b = text.find('{');
  size_t e = text.rfind('}');
  if (b == std::string_view::npos || e == std::string_view::npos || e < b) return {};
  return text.substr(b, e - b + 1);
}
}  // namespace

void parse_prometheus_api(const FileView& f, Products& out) {
  std::string_view object = json_object_in(f.text);
  if (object.empty()) throw_input(f.path, "expected a Prometheus API response: a JSON object {\"status\": ..., \"data\": ...}");
  json j = parse_json_lenient(object, f.path);
  if (!j.is_object() || j.value("status", "") != "success" || !j.contains("data") || !j["data"].is_object())
    throw_input(f.path, "expected a Prometheus API response with status success and data", -1, "status");
  std::string type = j["data"].value("resultType", "");
  if (type != "matrix" && type != "vector")
    throw_input(f.path, "expected resultType matrix (query_range) or vector (query), got '" + excerpt(type) + "'", -1, "data.resultType");
  const json& result = j["data"].value("result", json::array());
  TelemetrySeries s;
  s.file = f.path;
  s.format = "prometheus-api-json";
  s.clock = "utc";
  std::map<std::pair<double, long>, TelemetrySample> by_time;
  for (const auto& r : result) {
    if (!r.is_object() || !r.contains("metric") || !r["metric"].is_object()) throw_input(f.path, "a result without metric labels", -1, "data.result");
    std::map<std::string, std::string> labels;
    for (auto it = r["metric"].begin(); it != r["metric"].end(); ++it)
      if (it.value().is_string()) labels[it.key()] = it.value().get<std::string>();
    const DcgmField* field = dcgm_field_by_name(labels["__name__"]);
    if (!field) continue;
    long gpu = 0;
    if (labels.count("gpu")) {
      try {
        gpu = std::stol(labels["gpu"]);
      } catch (const std::exception&) {
        throw_input(f.path, "expected a GPU index in label gpu", -1, "metric.gpu");
      }
    }
    set_node(s, host_of(labels), f.path);
    json values = type == "matrix" ? r.value("values", json::array()) : json::array({r.value("value", json())});
    for (const auto& v : values) {
      if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_string())
        throw_input(f.path, "expected [unix_seconds, \"value\"] pairs", -1, type == "matrix" ? "values" : "value");
      double x = 0;
      try {
        x = std::stod(v[1].get<std::string>());
      } catch (const std::exception&) {
        throw_input(f.path, "expected a number, got '" + excerpt(v[1].get<std::string>()) + "'", -1, "values");
      }
      if (!std::isfinite(x) || x < 0) continue;  // Prometheus NaN: no value
      TelemetrySample& smp = by_time[{v[0].get<double>(), gpu}];
      smp.t_s = v[0].get<double>();
      smp.gpu = gpu;
      smp.metric[field->metric] = x * field->scale;
    }
  }
  for (auto& [k, smp] : by_time) s.samples.push_back(std::move(smp));
  if (s.samples.empty()) throw_input(f.path, "no DCGM_FI_* values in the response");
  if (s.samples.size() >= 2) {
    std::vector<double> ts;
    for (const auto& x : s.samples) ts.push_back(*x.t_s);
    std::sort(ts.begin(), ts.end());
    ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
    if (ts.size() >= 2) s.sample_period_s = (ts.back() - ts.front()) / static_cast<double>(ts.size() - 1);
  }
  out.telemetry.push_back(std::move(s));
}

}  // namespace ptr
