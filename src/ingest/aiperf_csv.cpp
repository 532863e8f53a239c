// AIPerf profile_export_aiperf.csv (a fallback when the JSON is absent):
// a multi-table CSV with CRLF endings; columns are mapped by header name and
// metrics by display name ("Time to First Token (ms)"). Values are rounded to
// 2 decimals by the exporter.
#include <cstdlib>
#include <map>

#include "ingest/formats.hpp"
#include "util/csv.hpp"
#include "util/error.hpp"

namespace ptr {

Sniff sniff_aiperf_csv(const FileView& f) {
  auto line = first_nonblank_line(f.text);
  if (line.rfind("Metric,avg,", 0) == 0) return {85, "CSV whose header starts 'Metric,avg,' (AIPerf export)"};
  if (line.rfind("Metric,Value", 0) == 0) return {60, "CSV starting with a 'Metric,Value' table (AIPerf export)"};
  return {};
}

static std::optional<double> num(const std::string& s) {
  if (s.empty() || s == "N/A") return std::nullopt;
  std::string clean;
  for (char c : s)
    if (c != ',') clean.push_back(c);
  char* end = nullptr;
  double d = std::strtod(clean.c_str(), &end);
  if (end == clean.c_str()) return std::nullopt;
  return d;
}

std::vector<RunResult> parse_aiperf_csv(const FileView& f) {
  auto rows = parse_csv(f.text, f.path);
  // name -> (column -> value)
  std::map<std::string, std::map<std::string, std::string>> table;
  std::vector<std::string> header;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (row.empty() || (row.size() == 1 && row[0].empty())) {
      header.clear();
      continue;
    }
    if (header.empty()) {
      header = row;
      continue;
    }
    if (header[0] != "Metric") continue;  // the GPU telemetry table
    auto& cells = table[row[0]];
    for (size_t c = 1; c < row.size() && c < header.size(); ++c) cells[header[c]] = row[c];
  }
  if (table.empty()) throw_input(f.path, "no 'Metric' rows found in AIPerf CSV");
  auto scalar = [&](std::initializer_list<const char*> names) -> std::optional<double> {
    for (const char* n : names) {
      auto it = table.find(n);
      if (it == table.end()) continue;
      for (const char* col : {"Value", "avg"})
        if (auto c = it->second.find(col); c != it->second.end()) return num(c->second);
    }
    return std::nullopt;
  };
  auto lat = [&](const char* name) {
    LatencyStat s;
    auto it = table.find(name);
    if (it == table.end()) return s;
    auto get = [&](const char* col) -> std::optional<double> {
      auto c = it->second.find(col);
      return c == it->second.end() ? std::nullopt : num(c->second);
    };
    s.mean = get("avg");
    s.median = get("p50");
    s.p90 = get("p90");
    s.p99 = get("p99");
    s.std = get("std");
    return s;
  };
  RunResult r;
  r.file = f.path;
  r.format = "aiperf-profile-export-csv";
  r.format_version = "csv";
  r.backend = "aiperf";
  r.completed = scalar({"Request Count"});
  r.failed = scalar({"Error Request Count"});
  r.request_throughput = scalar({"Request Throughput (requests/sec)"});
  r.output_throughput = scalar({"Output Token Throughput (tokens/sec)"});
  r.total_token_throughput = scalar({"Total Token Throughput (tokens/sec)"});
  r.duration_s = scalar({"Benchmark Duration (sec)"});
  r.total_input_tokens = scalar({"Total Input Sequence Length (tokens)"});
  r.total_output_tokens = scalar({"Total Output Tokens (tokens)"});
  r.ttft = lat("Time to First Token (ms)");
  r.tpot = lat("Inter Token Latency (ms)");
  r.itl = lat("Inter Chunk Latency (ms)");
  r.e2el = lat("Request Latency (ms)");
  if (!r.completed && !r.request_throughput)
    throw_input(f.path, "AIPerf CSV without 'Request Count' or 'Request Throughput (requests/sec)'");
  r.warn("rounded_values", "AIPerf CSV values are rounded to 2 decimals and carry no concurrency; prefer the JSON export");
  return {r};
}

}  // namespace ptr
