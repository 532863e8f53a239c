// `vllm bench sweep serve` / `serve_workload` trees: summary.json (a JSON array
// of run objects), *.failure.json, and the experiment-level summary.csv. The
// run=N.json files are plain bench-serve results (vllm_bench.cpp). Parameters
// come from the JSON content, never from folder names.
#include <cmath>
#include <cstdlib>

#include "ingest/formats.hpp"
#include "ingest/vllm_result.hpp"
#include "util/csv.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

Sniff sniff_vllm_sweep_summary(const FileView& f) {
  auto line = first_nonblank_line(f.text);
  auto start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos || line[start] != '[') return {};
  auto h = head(f.text, 1 << 20);
  if (!(contains(h, "\"request_throughput\"") || contains(h, "\"output_throughput\""))) return {};
  if (!contains(h, "\"model_id\"") && !contains(h, "\"mean_ttft_ms\"")) return {};
  return {80, "JSON array of vLLM bench serve results (sweep summary.json)"};
}

std::vector<RunResult> parse_vllm_sweep_summary(const FileView& f) {
  json doc = parse_json_lenient(f.text, f.path);
  if (!doc.is_array()) throw_input(f.path, "expected a JSON array of run objects");
  std::vector<RunResult> out;
  for (size_t i = 0; i < doc.size(); ++i) {
    auto r = vllm_result_from_object(doc[i], f.path + "[" + std::to_string(i) + "]", std::nullopt);
    r.file = f.path;
    r.format = "vllm-bench-sweep-summary";
    out.push_back(std::move(r));
  }
  return out;
}

Sniff sniff_vllm_sweep_failure(const FileView& f) {
  auto h = head(f.text);
  if (first_nonblank_line(f.text).find('{') == std::string_view::npos) return {};
  if (contains(h, "\"error_type\"") && (contains(h, "\"serve_overrides\"") || contains(h, "\"bench_overrides\"")))
    return {85, "JSON object with error_type + serve/bench overrides (sweep failure record)"};
  return {};
}

std::vector<RunResult> parse_vllm_sweep_failure(const FileView& f) {
  json o = parse_json_lenient(f.text, f.path);
  if (!o.is_object()) throw_input(f.path, "expected a failure object");
  RunResult r;
  r.file = f.path;
  r.format = "vllm-bench-sweep-failure";
  r.format_version = o.contains("run_number") ? "run" : "server";
  r.backend = "vllm-sweep";
  r.engine = "vllm";
  r.run_failed = true;
  std::string type = o.value("error_type", std::string("error"));
  std::string msg = o.contains("error") ? (o["error"].is_string() ? o["error"].get<std::string>() : o["error"].dump()) : "";
  r.error = type + (msg.empty() ? "" : ": " + msg);
  r.run_number = integer_at(o, "run_number", f.path, -1);
  r.completed = 0;
  for (const char* block : {"serve_overrides", "bench_overrides"}) {
    auto it = o.find(block);
    if (it == o.end() || !it->is_object()) continue;
    for (auto kv = it->begin(); kv != it->end(); ++kv) {
      const std::string& k = kv.key();
      if (k == "max_concurrency" || k == "max-concurrency") {
        r.max_concurrency = as_integer(kv.value(), f.path, k, 1);
      } else if (k == "request_rate" || k == "request-rate") {
        r.request_rate = as_number(kv.value(), f.path, k);
      } else if (k == "num_prompts" || k == "num-prompts") {
        r.num_prompts = as_number(kv.value(), f.path, k);
      } else {
        r.params[k] = kv.value();
      }
    }
  }
  return {r};
}

Sniff sniff_vllm_sweep_csv(const FileView& f) {
  auto line = first_nonblank_line(f.text);
  if (line.rfind(",date,", 0) == 0 || (contains(line, ",output_throughput,") && contains(line, ",request_throughput,")))
    return {75, "CSV whose header has vLLM result columns (pandas summary.csv)"};
  return {};
}

static json csv_cell_value(const std::string& s) {
  if (s.empty()) return nullptr;
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end && *end == '\0') {
    bool integral = s.find_first_of(".eEnN") == std::string::npos && std::fabs(d) < 9e15;
    if (integral) return static_cast<long>(d);
    return d;
  }
  if (s == "True") return true;
  if (s == "False") return false;
  return s;
}

std::vector<RunResult> parse_vllm_sweep_csv(const FileView& f) {
  auto rows = parse_csv(f.text, f.path);
  if (rows.empty()) throw_input(f.path, "empty CSV");
  const auto& header = rows[0];
  std::vector<RunResult> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (row.empty() || (row.size() == 1 && row[0].empty())) continue;
    if (row.size() != header.size())
      throw_input(f.path, "row has " + std::to_string(row.size()) + " cells, header has " +
                              std::to_string(header.size()), static_cast<long>(i + 1));
    json o = json::object();
    for (size_t c = 0; c < header.size(); ++c) {
      if (header[c].empty()) continue;  // pandas' unnamed index column
      o[header[c]] = csv_cell_value(row[c]);
    }
    auto r = vllm_result_from_object(o, f.path, static_cast<long>(i));
    r.format = "vllm-bench-sweep-summary-csv";
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace ptr
