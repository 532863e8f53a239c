#include "ingest/formats.hpp"

#include "util/json_scan.hpp"

namespace ptr {

const std::vector<FormatAdapter>& format_table() {
  static const std::vector<FormatAdapter> table = {
      {"vllm-bench-serve", "vllm", FileRole::results, sniff_vllm_bench, parse_vllm_bench},
      {"vllm-bench-sweep-summary", "vllm-sweep", FileRole::results, sniff_vllm_sweep_summary, parse_vllm_sweep_summary},
      {"vllm-bench-sweep-failure", "vllm-sweep", FileRole::results, sniff_vllm_sweep_failure, parse_vllm_sweep_failure},
      {"vllm-bench-sweep-summary-csv", "vllm-sweep", FileRole::results, sniff_vllm_sweep_csv, parse_vllm_sweep_csv},
      {"sglang-bench-serving", "sglang", FileRole::results, sniff_sglang_bench, parse_sglang_bench},
      {"bench-serve-stdout", "", FileRole::results, sniff_bench_stdout, parse_bench_stdout},
      {"aiperf-profile-export-json", "aiperf", FileRole::results, sniff_aiperf_json, parse_aiperf_json},
      {"aiperf-sweep-aggregate-json", "aiperf", FileRole::results, sniff_aiperf_sweep, parse_aiperf_sweep},
      {"aiperf-profile-export-jsonl", "aiperf", FileRole::results, sniff_aiperf_jsonl, parse_aiperf_jsonl},
      {"aiperf-profile-export-csv", "aiperf", FileRole::results, sniff_aiperf_csv, parse_aiperf_csv},
      {"aiperf-gpu-telemetry-jsonl", "aiperf", FileRole::telemetry, sniff_aiperf_gpu_telemetry, parse_no_results},
  };
  return table;
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

std::vector<RunResult> parse_no_results(const FileView&) { return {}; }

}  // namespace ptr
