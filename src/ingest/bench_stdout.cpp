// Stdout captures of `vllm bench serve` and `sglang.bench_serving`: the
// "Serving Benchmark Result" block ("{:<40} {:<10}" lines with trailing
// spaces), plus num_prompts / model from the Namespace(...) line before it.
// Values are rounded to 2 decimals by the printer; a structured file of the
// same run wins over a capture.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <cctype>
#include <cmath>
#include <fmt/format.h>

#include "ingest/formats.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace ptr {

static constexpr std::string_view kBlockTitle = " Serving Benchmark Result ";

Sniff sniff_bench_stdout(const FileView& f) {
  if (contains(f.text, kBlockTitle)) return {70, "text with a 'Serving Benchmark Result' block (bench stdout)"};
  return {};
}

namespace {

std::optional<double> to_number(const std::string& v) {
  if (v.empty()) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (end == v.c_str()) return std::nullopt;
  return d;
}

// A concurrency is a positive integer; anything else is left unknown (and the
// run is then never merged with another).
std::optional<long> checked_concurrency(double v) {
  if (!(v >= 1 && v <= 1e9) || v != std::floor(v)) return std::nullopt;
  return static_cast<long>(v);
}

using Setter = void (*)(RunResult&, double);

const std::map<std::string, Setter>& label_table() {
  static const std::map<std::string, Setter> t = {
      {"Successful requests", [](RunResult& r, double v) { r.completed = v; }},
      {"Failed requests", [](RunResult& r, double v) { r.failed = v; }},
      {"Maximum request concurrency", [](RunResult& r, double v) { r.max_concurrency = checked_concurrency(v); }},
      {"Max request concurrency", [](RunResult& r, double v) { r.max_concurrency = checked_concurrency(v); }},
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
bool set_latency(RunResult& r, std::string_view label, double v) {
  constexpr std::string_view unit = " (ms)";
  if (label.size() < unit.size() || label.substr(label.size() - unit.size()) != unit) return false;
  label.remove_suffix(unit.size());
  size_t sp = label.find(' ');
  if (sp == std::string_view::npos) return false;
  std::string_view stat = label.substr(0, sp), metric = label.substr(sp + 1);
  LatencyStat* s = metric == "TTFT" ? &r.ttft : metric == "TPOT" ? &r.tpot : metric == "ITL" ? &r.itl
                   : (metric == "E2EL" || metric == "E2E Latency") ? &r.e2el : nullptr;
  std::optional<double> LatencyStat::*field = stat == "Mean" ? &LatencyStat::mean : stat == "Median" ? &LatencyStat::median
                                              : stat == "P90" ? &LatencyStat::p90 : stat == "P99" ? &LatencyStat::p99
                                              : stat == "Std" ? &LatencyStat::std : nullptr;
  if (!s || !field) return false;
  s->*field = v;
  return true;
}

// The preamble is free text (argument dumps, tracebacks) and can be huge: it is
// searched by hand, never with std::regex (its recursion overflows the stack).
std::string_view digits_after(std::string_view text, std::string_view marker) {
  size_t at = text.find(marker);
  if (at == std::string_view::npos) return {};
  size_t p = at + marker.size();
  while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
  size_t e = p;
  while (e < text.size() && ((text[e] >= '0' && text[e] <= '9') || text[e] == '.')) ++e;
  if (e == p && text.substr(p, 3) == "inf") e = p + 3;
  return text.substr(p, e - p);
}

constexpr size_t kMaxModelName = 512;

// model='...' as a whole word (not served_model='...').
std::optional<std::string> quoted_model(std::string_view text, const std::string& file) {
  for (size_t at = text.find("model='"); at != std::string_view::npos; at = text.find("model='", at + 1)) {
    if (at > 0) {
      char b = text[at - 1];
      if (std::isalnum(static_cast<unsigned char>(b)) || b == '_') continue;
    }
    size_t start = at + 7, end = text.find('\'', start);
    if (end == std::string_view::npos) return std::nullopt;
    if (end - start > kMaxModelName)
      throw_input(file, fmt::format("model='...' is {} characters long; expected a model name of at most {}", end - start,
                                    kMaxModelName), -1, "model");
    return std::string(text.substr(start, end - start));
  }
  return std::nullopt;
}

// The first "SomeError: message" / "x.y.SomeException: message" line.
std::optional<std::string> exception_line(std::string_view text) {
  size_t p = 0;
  while (p < text.size()) {
    size_t e = text.find('\n', p);
    if (e == std::string_view::npos) e = text.size();
    std::string_view line = text.substr(p, e - p);
    p = e + 1;
    size_t colon = line.find(": ");
    if (colon == std::string_view::npos || colon == 0) continue;
    std::string_view name = line.substr(0, colon);
    bool word = std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '.';
    });
    if (word && (name.find("Error") != std::string_view::npos || name.find("Exception") != std::string_view::npos))
      return excerpt(trim(line), 300);
  }
  return std::nullopt;
}

}  // namespace

std::vector<RunResult> parse_bench_stdout(const FileView& f) {
  std::vector<RunResult> out;
  std::string_view t = f.text;
  size_t pos = 0, preamble_start = 0;
  while ((pos = t.find(kBlockTitle, pos)) != std::string_view::npos) {
    RunResult r;
    r.file = f.path;
    size_t line_start = t.rfind('\n', pos);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    r.line = static_cast<long>(std::count(t.begin(), t.begin() + line_start, '\n'));
    std::string_view preamble = t.substr(preamble_start, line_start - preamble_start);
    if (auto n = digits_after(preamble, "num_prompts="); !n.empty() && n.find('.') == std::string_view::npos)
      r.num_prompts = std::strtod(std::string(n).c_str(), nullptr);
    r.model_id = quoted_model(preamble, f.path);
    // vLLM prints the first failed requests' tracebacks before the block; the
    // exception line ("ConnectionRefusedError: ...") is the useful part.
    if (preamble.find("Failed requests during benchmark run") != std::string_view::npos) r.error = exception_line(preamble);
    bool sglang = false;
    // Lines before the block that vLLM prints: "Maximum request concurrency: 100", "Traffic request rate: inf".
    size_t p = line_start;
    size_t block_end = t.size();
    bool first = true, closed = false;
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
        closed = true;
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
      auto n = digits_after(preamble, "Maximum request concurrency:");
      if (!n.empty() && n.size() < 10 && n.find('.') == std::string_view::npos) r.max_concurrency = std::stol(std::string(n));
    }
    if (!r.request_rate) {
      if (auto n = digits_after(preamble, "Traffic request rate:"); !n.empty())
        r.request_rate = std::strtod(std::string(n).c_str(), nullptr);
    }
    r.backend = sglang ? "sglang" : "vllm";
    if (!r.engine) r.engine = sglang ? "sglang" : "vllm";
    r.format = sglang ? "sglang-bench-serving-stdout" : "vllm-bench-serve-stdout";
    r.format_version = "stdout";
    r.warn("rounded_values", "values from a stdout capture are rounded to 2 decimals");
    if (!closed)
      r.warn("truncated_capture", "the 'Serving Benchmark Result' block ends without its closing ===== line: the "
                                  "capture was cut, statistics after the cut are missing");
    out.push_back(std::move(r));
    pos = block_end;
    preamble_start = block_end;
  }
  if (out.empty()) throw_input(f.path, "no 'Serving Benchmark Result' block found");
  return out;
}

}  // namespace ptr
