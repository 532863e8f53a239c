// When no adapter claims a file: a precise "looks like X, but lacks Y" rather
// than a generic "unknown format", from the keys or lines that nearly matched.
#include <fmt/format.h>

#include "ingest/formats.hpp"

namespace ptr {

namespace {

std::string joined(const std::vector<const char*>& xs) {
  std::string out;
  for (const char* x : xs) out += std::string(out.empty() ? "" : ", ") + x;
  return out;
}

std::vector<const char*> present(const std::set<std::string>& keys, std::initializer_list<const char*> wanted) {
  std::vector<const char*> out;
  for (const char* k : wanted)
    if (keys.count(k)) out.push_back(k);
  return out;
}

}  // namespace

std::optional<std::string> near_miss(const FileView& f) {
  auto line = first_nonblank_line(f.text);
  auto start = line.find_first_not_of(" \t");
  if (start != std::string_view::npos && line[start] == '{') {
    // JSONL: the first record stands for the file.
    auto keys = top_level_keys(line.size() < f.text.size() && line.back() == '}' ? line : f.text);
    if (auto vllm = present(keys, {"model_id", "tokenizer_id", "max_concurrency", "burstiness", "num_prompts", "mean_ttft_ms"});
        !vllm.empty() && !keys.count("dataset_name")) {
      auto missing = present(keys, {"request_throughput", "duration", "completed"});
      if (missing.size() < 3)
        return fmt::format("looks like vLLM bench serve (has {}), but has no request_throughput / duration / completed",
                           joined(vllm));
    }
    if (auto sg = present(keys, {"dataset_name", "random_input_len", "sharegpt_output_len", "server_info"}); !sg.empty())
      return fmt::format("looks like SGLang bench_serving (has {}), but has no completed / *_e2e_latency_ms statistics",
                         joined(sg));
    if (auto ai = present(keys, {"input_config", "aiperf_version", "schema_version", "records", "benchmark_id"}); !ai.empty())
      return fmt::format("looks like an AIPerf export (has {}), but has no metric blocks {{unit, avg, ...}} with "
                         "request_throughput",
                         joined(ai));
    if (keys.count("aggregation_type"))
      return std::string("looks like an AIPerf aggregate (has aggregation_type), but is not a sweep aggregate with "
                         "per_combination_metrics; import the per-run profile_export_aiperf.json files");
  }
  if (contains(f.text, "Successful requests:") || contains(f.text, "Serving Benchmark Result"))
    return std::string("looks like a bench stdout capture (has 'Successful requests:'), but has no "
                       "'============ Serving Benchmark Result ============' block");
  if (line.rfind("Metric,", 0) == 0)
    return std::string("looks like an AIPerf CSV (starts with 'Metric,'), but has neither a 'Metric,avg,...' nor a "
                       "'Metric,Value' table");
  return std::nullopt;
}

}  // namespace ptr
