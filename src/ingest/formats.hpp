#pragma once
// The format table: every foreign file format the ingester understands, each
// with a content sniffer (how sure, and why) and a parser. Detection is by
// content only, never by file name.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/run_result.hpp"

namespace ptr {

struct FileView {
  std::string path;      // for messages and provenance
  std::string_view text;
};

struct Sniff {
  int confidence = 0;  // 0 = not this format; higher wins
  std::string why;
};

enum class FileRole { results, telemetry };

struct FormatAdapter {
  const char* name;     // e.g. vllm-bench-serve
  const char* backend;  // vllm | vllm-sweep | sglang | aiperf
  FileRole role;
  Sniff (*sniff)(const FileView&);
  std::vector<RunResult> (*parse)(const FileView&);
};

const std::vector<FormatAdapter>& format_table();

// Adapters (one file each).
Sniff sniff_vllm_bench(const FileView&);
std::vector<RunResult> parse_vllm_bench(const FileView&);
Sniff sniff_vllm_sweep_summary(const FileView&);
std::vector<RunResult> parse_vllm_sweep_summary(const FileView&);
Sniff sniff_vllm_sweep_failure(const FileView&);
std::vector<RunResult> parse_vllm_sweep_failure(const FileView&);
Sniff sniff_vllm_sweep_csv(const FileView&);
std::vector<RunResult> parse_vllm_sweep_csv(const FileView&);
Sniff sniff_sglang_bench(const FileView&);
std::vector<RunResult> parse_sglang_bench(const FileView&);
Sniff sniff_bench_stdout(const FileView&);
std::vector<RunResult> parse_bench_stdout(const FileView&);
Sniff sniff_aiperf_json(const FileView&);
std::vector<RunResult> parse_aiperf_json(const FileView&);
Sniff sniff_aiperf_jsonl(const FileView&);
std::vector<RunResult> parse_aiperf_jsonl(const FileView&);
Sniff sniff_aiperf_csv(const FileView&);
std::vector<RunResult> parse_aiperf_csv(const FileView&);
Sniff sniff_aiperf_gpu_telemetry(const FileView&);
std::vector<RunResult> parse_no_results(const FileView&);
Sniff sniff_aiperf_sweep(const FileView&);
std::vector<RunResult> parse_aiperf_sweep(const FileView&);

// After parsing: range checks on every number (NaN becomes missing; negative,
// infinite or absurd values are input errors naming the file and key).
void validate_run(RunResult& r, const std::string& file);
// "looks like X, but has no Y" for a file no adapter claims.
std::optional<std::string> near_miss(const FileView& f);

// Helpers shared by the adapters.
std::string_view head(std::string_view text, size_t n = 65536);
bool contains(std::string_view hay, std::string_view needle);
std::string_view first_nonblank_line(std::string_view text);
// Keys of the top-level JSON object found in the first `max_bytes` (values
// skipped, not parsed); empty when the text is not an object.
std::set<std::string> top_level_keys(std::string_view text, size_t max_bytes = 4u << 20);

}  // namespace ptr
