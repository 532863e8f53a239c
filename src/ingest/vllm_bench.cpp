// `vllm bench serve --save-result` files: one object, or several separated by
// newlines (--append-result, wrapper scripts).
#include "ingest/formats.hpp"
#include "ingest/vllm_result.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

static bool looks_like_vllm_object(std::string_view h) {
  bool rates = contains(h, "\"request_throughput\"") || contains(h, "\"output_throughput\"");
  bool vllm_keys = contains(h, "\"model_id\"") || contains(h, "\"mean_ttft_ms\"") || contains(h, "\"tokenizer_id\"");
  return rates && vllm_keys && !contains(h, "\"dataset_name\"") && !contains(h, "\"mean_e2e_latency_ms\"");
}

Sniff sniff_vllm_bench(const FileView& f) {
  auto line = first_nonblank_line(f.text);
  auto start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos || line[start] != '{') return {};
  if (!looks_like_vllm_object(head(f.text, 1 << 20))) return {};
  return {80, "JSON object with vLLM bench serve keys (model_id/request_throughput/mean_ttft_ms)"};
}

std::vector<RunResult> parse_vllm_bench(const FileView& f) {
  // A plain result is one document (one line, or indented by the sweep); an
  // appended file holds one object per line. Try the whole document first.
  std::vector<RunResult> out;
  try {
    out.push_back(vllm_result_from_object(parse_json_lenient(f.text, f.path), f.path, std::nullopt));
    return out;
  } catch (const Error&) {
    auto first = first_nonblank_line(f.text);
    bool indented_document = first.find_first_not_of(" \t\r{[") == std::string_view::npos;
    if (indented_document) throw;  // a broken single document: report it as such
  }
  for (auto& jl : parse_json_lines(f.text, f.path)) {
    auto r = vllm_result_from_object(jl.value, f.path, jl.line);
    if (r.format == "vllm-bench-serve") r.format = "vllm-bench-serve-append";
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace ptr
