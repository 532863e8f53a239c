// AIPerf gpu_telemetry_export.jsonl: one JSON object per scrape of a
// dcgm-exporter endpoint, stamped in UTC nanoseconds. Read into a telemetry
// series under the canonical names.
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "ingest/formats.hpp"
#include "model/telemetry_names.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

Sniff sniff_aiperf_gpu_telemetry(const FileView& f) {
  auto line = first_nonblank_line(f.text);
  if (contains(line, "\"timestamp_ns\"") && contains(line, "\"gpu_uuid\"") && contains(line, "\"telemetry_data\""))
    return {90, "JSONL with timestamp_ns/gpu_uuid/telemetry_data (AIPerf GPU telemetry)"};
  return {};
}

void parse_aiperf_gpu_telemetry(const FileView& f, Products& out) {
  using namespace telemetry;
  static const std::map<std::string, const char*> names = {
      {"gpu_power_usage", kPowerW},       {"gpu_utilization", kGpuUtilPct},   {"sm_clock_frequency", kSmClockMhz},
      {"memory_clock_frequency", kMemClockMhz}, {"gpu_temperature", kGpuTempC}, {"memory_copy_utilization", kMemUtilPct},
  };
  TelemetrySeries s;
  s.file = f.path;
  s.format = "aiperf-gpu-telemetry-jsonl";
  s.clock = "utc";
  long line_no = 0;
  size_t start = 0;
  std::vector<double> stamps;
  while (start < f.text.size()) {
    size_t end = f.text.find('\n', start);
    if (end == std::string_view::npos) end = f.text.size();
    std::string_view line = f.text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    json j = parse_json_lenient(std::string(line), f.path, line_no - 1);
    if (!j.is_object() || !j.contains("timestamp_ns") || !j["timestamp_ns"].is_number() || !j.contains("telemetry_data") ||
        !j["telemetry_data"].is_object())
      throw_input(f.path, "expected an object with timestamp_ns and telemetry_data", line_no);
    TelemetrySample sample;
    sample.t_s = j["timestamp_ns"].get<double>() / 1e9;
    stamps.push_back(*sample.t_s);
    sample.gpu = j.value("gpu_index", 0L);
    for (auto it = j["telemetry_data"].begin(); it != j["telemetry_data"].end(); ++it) {
      auto n = names.find(it.key());
      if (n == names.end() || !it.value().is_number()) continue;
      double v = it.value().get<double>();
      if (std::isfinite(v) && v >= 0) sample.metric[n->second] = v;
    }
    s.samples.push_back(std::move(sample));
  }
  if (s.samples.empty()) throw_input(f.path, "no telemetry records");
  if (stamps.size() >= 2) s.sample_period_s = (stamps.back() - stamps.front()) / static_cast<double>(stamps.size() - 1);
  out.telemetry.push_back(std::move(s));
}

}  // namespace ptr
