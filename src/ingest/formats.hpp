#pragma once
// The format table: every foreign file format the ingester understands, each
// with a content sniffer (how sure, and why) and a parser. Detection is by
// content only, never by file name.
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/products.hpp"
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

// How copies of one run seen through several files are told apart (discover.cpp).
enum class Dedupe {
  none,
  same_run,             // vLLM run files: one key per run (stamp, run number, counts, throughput)
  rounded_copy,         // stdout captures, CSV exports: a rounded copy of a run imported exactly elsewhere
  per_request_records,  // AIPerf records: covered by their run's aggregate when both are imported
  run_aggregate,        // AIPerf per-run aggregate export
  sweep_aggregate,      // AIPerf sweep aggregate: the per-run exports win when imported too
};

struct FormatAdapter {
  const char* name;     // e.g. vllm-bench-serve
  const char* backend;  // vllm | vllm-sweep | sglang | aiperf for runs ("" = from the data); telemetry | model | roofline | kernels
  ProductKind product;
  // 3 = the bench tool's own per-run file, 2 = a summary of runs, 1 = CSV
  // export, 0 = stdout capture: duplicates of a run keep the highest.
  int fidelity;
  Dedupe dedupe;
  bool arm_from_folder;       // a sweep's experiment folder is the arm of runs of this backend
  bool runs_are_deployments;  // several runs in one file may be different deployments (a log, a README)
  Sniff (*sniff)(const FileView&);
  void (*parse)(const FileView&, Products&);
  // Line-per-record formats read a large file in bounded chunks instead of
  // whole (discover.cpp decides when); null = the document is read whole.
  void (*parse_file)(const std::filesystem::path&, const std::string& shown, Products&);
};

const std::vector<FormatAdapter>& format_table();
// The --backend values: auto, then every run backend of the table.
std::vector<std::string> backend_choices();
// Whether runs parsed by `a` answer --backend `wanted` (a sweep run is also a
// bench-serve run; bench-serve runs with run numbers are sweep runs).
bool adapter_serves_backend(const FormatAdapter& a, const std::string& wanted, const std::vector<RunResult>& runs);
// Whether a run's sweep experiment folder is its arm: its backend (as read
// from the data: a bench-serve file with a run number is a sweep run) is one
// whose table rows say so.
bool arm_from_sweep_folder(const RunResult& r);

// Run adapters keep the simple signature; the table wraps them.
template <std::vector<RunResult> (*F)(const FileView&)>
void runs_of(const FileView& f, Products& p) {
  for (auto& r : F(f)) p.runs.push_back(std::move(r));
}

template <std::vector<RunResult> (*F)(const std::filesystem::path&, const std::string&, size_t)>
void runs_of_file(const std::filesystem::path& file, const std::string& shown, Products& p) {
  for (auto& r : F(file, shown, 32u << 20)) p.runs.push_back(std::move(r));
}

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
// The same, read from `file` `chunk_bytes` at a time (memory bounded by the
// chunk, not the file); `shown` names it in messages.
std::vector<RunResult> parse_aiperf_jsonl_file(const std::filesystem::path& file, const std::string& shown,
                                               size_t chunk_bytes);
Sniff sniff_aiperf_csv(const FileView&);
std::vector<RunResult> parse_aiperf_csv(const FileView&);
Sniff sniff_aiperf_gpu_telemetry(const FileView&);
void parse_aiperf_gpu_telemetry(const FileView&, Products&);
Sniff sniff_nvidia_smi_dmon(const FileView&);
void parse_nvidia_smi_dmon(const FileView&, Products&);
Sniff sniff_nvidia_smi_query(const FileView&);
void parse_nvidia_smi_query(const FileView&, Products&);
Sniff sniff_dcgm_frozen(const FileView&);
void parse_dcgm_frozen(const FileView&, Products&);
Sniff sniff_dcgmi_dmon(const FileView&);
void parse_dcgmi_dmon(const FileView&, Products&);
Sniff sniff_prometheus_dcgm(const FileView&);
void parse_prometheus_dcgm(const FileView&, Products&);
Sniff sniff_prometheus_api(const FileView&);
void parse_prometheus_api(const FileView&, Products&);
Sniff sniff_hf_config(const FileView&);
void parse_hf_config(const FileView&, Products&);
Sniff sniff_roofline_table(const FileView&);
void parse_roofline_table(const FileView&, Products&);
Sniff sniff_ncu_csv(const FileView&);
void parse_ncu_csv(const FileView&, Products&);
Sniff sniff_nsys_kern_sum(const FileView&);
void parse_nsys_kern_sum(const FileView&, Products&);
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
// The lines of `text` without their '\n' (and a trailing '\r').
std::vector<std::string_view> lines_of(std::string_view text);
// The runs of non-blank characters of a line (spaces, tabs and CR separate).
std::vector<std::string> words_of(std::string_view line);
// Keys of the top-level JSON object found in the first `max_bytes` (values
// skipped, not parsed); empty when the text is not an object.
std::set<std::string> top_level_keys(std::string_view text, size_t max_bytes = 4u << 20);

}  // namespace ptr
