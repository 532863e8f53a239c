#include "ingest/formats.hpp"

#include <algorithm>

#include "util/json_scan.hpp"

namespace ptr {

const std::vector<FormatAdapter>& format_table() {
  using K = ProductKind;
  using D = Dedupe;
  // name, backend, product, fidelity, dedupe, arm from folder, runs are deployments, sniff, parse,
  // streamed parse (large files)
  static const std::vector<FormatAdapter> table = {
      {"vllm-bench-serve", "vllm", K::runs, 3, D::same_run, false, true, sniff_vllm_bench, runs_of<parse_vllm_bench>, nullptr},
      {"vllm-bench-sweep-summary", "vllm-sweep", K::runs, 2, D::same_run, true, false, sniff_vllm_sweep_summary,
       runs_of<parse_vllm_sweep_summary>, nullptr},
      {"vllm-bench-sweep-failure", "vllm-sweep", K::runs, 3, D::same_run, true, true, sniff_vllm_sweep_failure,
       runs_of<parse_vllm_sweep_failure>, nullptr},
      {"vllm-bench-sweep-summary-csv", "vllm-sweep", K::runs, 1, D::same_run, true, false, sniff_vllm_sweep_csv,
       runs_of<parse_vllm_sweep_csv>, nullptr},
      {"sglang-bench-serving", "sglang", K::runs, 3, D::none, false, true, sniff_sglang_bench, runs_of<parse_sglang_bench>, nullptr},
      {"bench-serve-stdout", "", K::runs, 0, D::rounded_copy, false, true, sniff_bench_stdout, runs_of<parse_bench_stdout>, nullptr},
      {"aiperf-profile-export-json", "aiperf", K::runs, 3, D::run_aggregate, false, true, sniff_aiperf_json,
       runs_of<parse_aiperf_json>, nullptr},
      {"aiperf-sweep-aggregate-json", "aiperf", K::runs, 2, D::sweep_aggregate, false, false, sniff_aiperf_sweep,
       runs_of<parse_aiperf_sweep>, nullptr},
      {"aiperf-profile-export-jsonl", "aiperf", K::runs, 2, D::per_request_records, false, true, sniff_aiperf_jsonl,
       runs_of<parse_aiperf_jsonl>,
       runs_of_file<parse_aiperf_jsonl_file>},
      {"aiperf-profile-export-csv", "aiperf", K::runs, 1, D::rounded_copy, false, true, sniff_aiperf_csv, runs_of<parse_aiperf_csv>, nullptr},
      {"aiperf-gpu-telemetry-jsonl", "telemetry", K::telemetry, 3, D::none, false, false, sniff_aiperf_gpu_telemetry,
       parse_aiperf_gpu_telemetry, nullptr},
      {"nvidia-smi-dmon", "telemetry", K::telemetry, 3, D::none, false, false, sniff_nvidia_smi_dmon, parse_nvidia_smi_dmon, nullptr},
      {"nvidia-smi-query-csv", "telemetry", K::telemetry, 3, D::none, false, false, sniff_nvidia_smi_query, parse_nvidia_smi_query, nullptr},
      {"dcgm-frozen-v1", "telemetry", K::telemetry, 3, D::none, false, false, sniff_dcgm_frozen, parse_dcgm_frozen, nullptr},
      {"dcgmi-dmon", "telemetry", K::telemetry, 3, D::none, false, false, sniff_dcgmi_dmon, parse_dcgmi_dmon, nullptr},
      {"dcgm-exporter-prometheus", "telemetry", K::telemetry, 3, D::none, false, false, sniff_prometheus_dcgm, parse_prometheus_dcgm, nullptr},
      {"prometheus-api-json", "telemetry", K::telemetry, 3, D::none, false, false, sniff_prometheus_api, parse_prometheus_api, nullptr},
      {"hf-model-config-json", "model", K::model_config, 3, D::none, false, false, sniff_hf_config, parse_hf_config, nullptr},
      {"roofline-sweep-table-csv", "roofline", K::roofline_table, 3, D::none, false, false, sniff_roofline_table,
       parse_roofline_table, nullptr},
      {"ncu-csv", "kernels", K::kernel_profile, 3, D::none, false, false, sniff_ncu_csv, parse_ncu_csv, nullptr},
      {"nsys-cuda-gpu-kern-sum-csv", "kernels", K::kernel_profile, 3, D::none, false, false, sniff_nsys_kern_sum,
       parse_nsys_kern_sum, nullptr},
  };
  return table;
}

std::vector<std::string> backend_choices() {
  std::vector<std::string> out = {"auto"};
  for (const auto& a : format_table())
    if (a.product == ProductKind::runs && *a.backend && std::find(out.begin(), out.end(), a.backend) == out.end())
      out.push_back(a.backend);
  return out;
}

bool adapter_serves_backend(const FormatAdapter& a, const std::string& wanted, const std::vector<RunResult>& rs) {
  if (wanted == "auto" || a.product != ProductKind::runs) return true;
  std::string b = a.backend;
  if (b.empty() && !rs.empty()) b = rs.front().backend;  // stdout captures: vllm or sglang, from the data
  // A sweep run is a bench-serve result file; bench-serve files with run
  // numbers are the runs of a sweep.
  if (wanted == "vllm" && b == "vllm-sweep") return true;
  if (wanted == "vllm-sweep" && b == "vllm") {
    for (const auto& r : rs)
      if (!r.run_number) return false;
    return true;
  }
  return b == wanted;
}

bool arm_from_sweep_folder(const RunResult& r) {
  for (const auto& a : format_table())
    if (a.arm_from_folder && r.backend == a.backend) return true;
  return false;
}

std::string_view head(std::string_view text, size_t n) { return text.substr(0, std::min(n, text.size())); }

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

std::string_view first_nonblank_line(std::string_view text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) return line;
    start = end + 1;
  }
  return {};
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto l = text.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    start = end + 1;
  }
  return out;
}

std::vector<std::string> words_of(std::string_view line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\r') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::set<std::string> top_level_keys(std::string_view text, size_t max_bytes) {
  std::set<std::string> keys;
  std::string_view t = text.substr(0, std::min(max_bytes, text.size()));
  JsonScanner s(t.data(), t.data() + t.size());
  try {
    if (s.peek() != '{') return keys;
    bool first = true;
    std::string_view k;
    s.begin_object();
    while (s.next_key(k, first)) {
      keys.emplace(k);
      s.skip_value();
    }
  } catch (const JsonScanError&) {
    // Cut at max_bytes or malformed: the keys seen so far are the answer.
  }
  return keys;
}


}  // namespace ptr
