// Stdout captures of `vllm bench serve` and `sglang.bench_serving`: the
// "Serving Benchmark Result" block ("{:<40} {:<10}" lines with trailing
// spaces), plus num_prompts / model from the Namespace(...) line before it.
// Values are rounded to 2 decimals by the printer; a structured file of the
// same run wins over a capture.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <regex>

#include "ingest/formats.hpp"
#include "util/error.hpp"

namespace ptr {

static constexpr std::string_view kBlockTitle = " Serving Benchmark Result ";

Sniff sniff_bench_stdout(const FileView& f) {
  if (contains(f.text, kBlockTitle)) return {70, "text with a 'Serving Benchmark Result' block (bench stdout)"};
  return {};
}

namespace {

std::string trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string_view::npos) return {};
  size_t b = s.find_last_not_of(" \t\r");
  return std::string(s.substr(a, b - a + 1));
}

std::optional<double> to_number(const std::string& v) {
  if (v.empty()) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (end == v.c_str()) return std::nullopt;
  return d;
}

using Setter = void (*)(RunResult&, double);

const std::map<std::string, Setter>& label_table() {
  static const std::map<std::string, Setter> t = {
      {"Successful requests", [](RunResult& r, double v) { r.completed = v; }},
      {"Failed requests", [](RunResult& r, double v) { r.failed = v; }},
      {"Maximum request concurrency", [](RunResult& r, double v) { r.max_concurrency = static_cast<long>(v); }},
      {"Max request concurrency", [](RunResult& r, double v) { r.max_concurrency = static_cast<long>(v); }},
      {"Traffic request rate", [](RunResult& r, double v) { r.request_rate = v; }},
      {"Request rate configured (RPS)", [](RunResult& r, double v) { r.request_rate = v; }},
      {"Benchmark duration (s)", [](RunResult& r, double v) { r.duration_s = v; }},
      {"Total input tokens", [](RunResult& r, double v) { r.total_input_tokens = v; }},
      {"Total generated tokens", [](RunResult& r, double v) { r.total_output_tokens = v; }},
      {"Request throughput (req/s)", [](RunResult& r, double v) { r.request_throughput = v; }},
      {"Output token throughput (tok/s)", [](RunResult& r, double v) { r.output_throughput = v; }},
      {"Total token throughput (tok/s)", [](RunResult& r, double v) { r.total_token_throughput = v; }},
      {"Total Token throughput (tok/s)", [](RunResult& r, double v) { r.total_token_throughput = v; }},
      {"Total throughput (tok/s)", [](RunResult& r, double v) { r.total_token_throughput = v; }},
      {"Peak concurrent requests", [](RunResult& r, double v) { r.max_concurrent_requests = v; }},
      {"Concurrency", [](RunResult& r, double v) { r.measured_concurrency = v; }},
  };
  return t;
}

// "Mean TTFT (ms)", "P99 E2E Latency (ms)", "Median E2EL (ms)" ...
bool set_latency(RunResult& r, const std::string& label, double v) {
  static const std::regex re(R"(^(Mean|Median|P90|P99|Std) (TTFT|TPOT|ITL|E2EL|E2E Latency) \(ms\)$)");
  std::smatch m;
  if (!std::regex_match(label, m, re)) return false;
  LatencyStat* s = m[2] == "TTFT" ? &r.ttft : m[2] == "TPOT" ? &r.tpot : m[2] == "ITL" ? &r.itl : &r.e2el;
  const std::string stat = m[1];
  (stat == "Mean" ? s->mean : stat == "Median" ? s->median : stat == "P90" ? s->p90 : stat == "P99" ? s->p99 : s->std) = v;
  return true;
}

}  // namespace

std::vector<RunResult> parse_bench_stdout(const FileView& f) {
  std::vector<RunResult> out;
  std::string_view t = f.text;
  static const std::regex num_prompts_re(R"(num_prompts=(\d+))");
  static const std::regex model_re(R"(\bmodel='([^']*)')");
  size_t pos = 0, preamble_start = 0;
  while ((pos = t.find(kBlockTitle, pos)) != std::string_view::npos) {
    RunResult r;
    r.file = f.path;
    r.fidelity = 0;
    size_t line_start = t.rfind('\n', pos);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    r.line = static_cast<long>(std::count(t.begin(), t.begin() + line_start, '\n'));
    std::string preamble(t.substr(preamble_start, line_start - preamble_start));
    std::smatch m;
    if (std::regex_search(preamble, m, num_prompts_re)) r.num_prompts = std::stod(m[1]);
    if (std::regex_search(preamble, m, model_re)) r.model_id = m[1];
    // vLLM prints the first failed requests' tracebacks before the block; the
    // exception line ("ConnectionRefusedError: ...") is the useful part.
    static const std::regex exc_re(R"((?:^|\n)([A-Za-z_.]*(?:Error|Exception)[A-Za-z_.]*: [^\n]+))");
    if (preamble.find("Failed requests during benchmark run") != std::string::npos &&
        std::regex_search(preamble, m, exc_re))
      r.error = trim(m[1].str());
    bool sglang = false;
    // Lines before the block that vLLM prints: "Maximum request concurrency: 100", "Traffic request rate: inf".
    size_t p = line_start;
    size_t block_end = t.size();
    bool first = true;
    while (p < t.size()) {
      size_t e = t.find('\n', p);
      if (e == std::string_view::npos) e = t.size();
      std::string line = trim(t.substr(p, e - p));
      p = e + 1;
      if (first) {
        first = false;
        continue;
      }
      if (line.rfind("=====", 0) == 0) {
        block_end = p;
        break;
      }
      if (line.find("End-to-End") != std::string::npos || line.find("Inter-Token") != std::string::npos) sglang = true;
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string label = trim(std::string_view(line).substr(0, colon));
      std::string value = trim(std::string_view(line).substr(colon + 1));
      if (label == "Backend") {
        sglang = true;
        r.engine = value;
        continue;
      }
      if (value == "not set" || value == "None") continue;
      auto v = to_number(value);
      if (!v) continue;
      if (auto it = label_table().find(label); it != label_table().end()) it->second(r, *v);
      else set_latency(r, label, *v);
    }
    if (!r.completed)
      throw_input(f.path, "'Serving Benchmark Result' block without 'Successful requests'", *r.line + 1);
    // vLLM prints the concurrency cap before the block, not inside it (older versions).
    if (!r.max_concurrency) {
      static const std::regex cap_re(R"(Maximum request concurrency:\s*(\d+))");
      if (std::regex_search(preamble, m, cap_re)) r.max_concurrency = std::stol(m[1]);
    }
    if (!r.request_rate) {
      static const std::regex rate_re(R"(Traffic request rate:\s*(inf|[0-9.]+))");
      if (std::regex_search(preamble, m, rate_re)) r.request_rate = std::strtod(m[1].str().c_str(), nullptr);
    }
    r.backend = sglang ? "sglang" : "vllm";
    if (!r.engine) r.engine = sglang ? "sglang" : "vllm";
    r.format = sglang ? "sglang-bench-serving-stdout" : "vllm-bench-serve-stdout";
    r.format_version = "stdout";
    r.warnings.push_back("values from a stdout capture are rounded to 2 decimals");
    out.push_back(std::move(r));
    pos = block_end;
    preamble_start = block_end;
  }
  if (out.empty()) throw_input(f.path, "no 'Serving Benchmark Result' block found");
  return out;
}

}  // namespace ptr
