#pragma once
// Statistics recomputed from per-request arrays (vLLM --save-detailed,
// SGLang --output-details). Arrays are seconds; statistics come out in ms,
// computed as the clients do (on seconds, then x1000).
#include "ingest/run_result.hpp"

namespace ptr {

// Fills statistics that the file's summary lacks (p90, median ...) from the
// arrays; a statistic the file reports is kept, with a warning when the
// arrays disagree by more than 1 %.
void fill_from_per_request_arrays(const json& obj, RunResult& r, const std::string& file);

LatencyStat stat_of(std::vector<double> values, double scale);

// The summary keys vLLM and SGLang both write: mean_<m>_ms, median_<m>_ms,
// p90_<m>_ms, p99_<m>_ms, std_<m>_ms.
LatencyStat stat_from_keys(const json& obj, const std::string& metric, const std::string& file);

}  // namespace ptr
