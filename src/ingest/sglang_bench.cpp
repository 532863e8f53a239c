// `python -m sglang.bench_serving --output-file` JSONL: one object per run,
// appended. Key sets differ by generation (Gen A 2024 medians only, Gen B,
// Gen C 2026 with server_info); bare Infinity/NaN tokens occur.
#include "ingest/formats.hpp"
#include "ingest/per_request.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

Sniff sniff_sglang_bench(const FileView& f) {
  auto line = first_nonblank_line(f.text);
  auto start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos || line[start] != '{') return {};
  auto h = head(line, 1 << 20);
  if (contains(h, "\"dataset_name\"") &&
      (contains(h, "_e2e_latency_ms\"") || contains(h, "\"total_output_tokens_retokenized\"")))
    return {85, "JSON object with SGLang bench_serving keys (dataset_name, *_e2e_latency_ms)"};
  return {};
}

static std::string generation(const json& o) {
  if (!o.contains("request_throughput")) return "gen-a-2024";
  if (!o.contains("total_throughput")) return "gen-b";
  if (o.contains("p90_ttft_ms")) return "new";
  return "gen-c-2026";
}

std::vector<RunResult> parse_sglang_bench(const FileView& f) {
  std::vector<RunResult> out;
  for (auto& jl : parse_json_lines(f.text, f.path)) {
    const json& o = jl.value;
    if (!o.is_object()) throw_input(f.path, "expected one JSON object per line", jl.line + 1);
    RunResult r;
    r.file = f.path;
    r.line = jl.line;
    r.format = "sglang-bench-serving";
    r.format_version = generation(o);
    r.backend = "sglang";
    r.api_backend = string_at(o, "backend");
    r.engine = r.api_backend.value_or("sglang");
    r.dataset = string_at(o, "dataset_name");
    r.max_concurrency = integer_at(o, "max_concurrency", f.path, 1);
    if (o.contains("request_rate") && o["request_rate"].is_string() && o["request_rate"] == "trace")
      r.params["request_rate"] = "trace";
    else
      r.request_rate = number_at(o, "request_rate", f.path);
    r.completed = number_at(o, "completed", f.path);
    r.duration_s = number_at(o, "duration", f.path);
    r.request_throughput = number_at(o, "request_throughput", f.path);
    r.output_throughput = number_at(o, "output_throughput", f.path);
    r.total_token_throughput = number_at(o, "total_throughput", f.path);
    r.total_input_tokens = number_at(o, "total_input_tokens", f.path);
    r.total_output_tokens = number_at(o, "total_output_tokens", f.path);
    r.max_concurrent_requests = number_at(o, "max_concurrent_requests", f.path);
    r.measured_concurrency = number_at(o, "concurrency", f.path);
    r.ttft = stat_from_keys(o, "ttft", f.path);
    r.tpot = stat_from_keys(o, "tpot", f.path);
    r.itl = stat_from_keys(o, "itl", f.path);
    r.e2el = stat_from_keys(o, "e2e_latency", f.path);
    if (!r.completed) throw_input(f.path, "SGLang result without 'completed'", jl.line + 1, "completed");
    if (const json* si = find_path(o, {"server_info", "model_path"}); si && si->is_string())
      r.model_id = si->get<std::string>();
    if (const json* t = find_path(o, {"server_info", "tokenizer_path"}); t && t->is_string())
      r.tokenizer_id = t->get<std::string>();
    if (const json* v = find_path(o, {"server_info", "version"}); v && v->is_string()) {
      r.native["server_version"] = *v;
      r.engine_version = v->get<std::string>();
    }
    if (r.dataset && (*r.dataset == "random" || *r.dataset == "random-ids")) {
      r.configured_input_len = number_at(o, "random_input_len", f.path);
      r.configured_output_len = number_at(o, "random_output_len", f.path);
    }
    if (const json* hit = find_path(o, {"cache_report", "cache_hit_rate_pct"}); hit && hit->is_number())
      r.prefix_cache_hit_rate = hit->get<double>() / 100.0;
    for (const char* k : {"tag", "dataset_name", "random_input_len", "random_output_len", "random_range_ratio",
                          "sharegpt_output_len"})
      if (o.contains(k) && !o[k].is_null()) r.params[k] = o[k];
    for (const char* k : {"accept_length", "max_output_tokens_per_s", "total_output_tokens_retokenized", "input_throughput"})
      if (o.contains(k) && !o[k].is_null()) r.native[k] = o[k];
    fill_from_per_request_arrays(o, r, f.path);
    out.push_back(std::move(r));
  }
  if (out.empty()) throw_input(f.path, "empty file; expected SGLang bench_serving JSONL");
  return out;
}

}  // namespace ptr
