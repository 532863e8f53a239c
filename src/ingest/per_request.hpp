#pragma once
// Statistics recomputed from per-request arrays (vLLM --save-detailed,
// SGLang --output-details). Arrays are seconds; statistics come out in ms,
// computed as the clients do (on seconds, then x1000).
#include "ingest/run_result.hpp"

namespace ptr {

// Fills statistics that the file's summary lacks (p90, median ...) from the
// arrays, and warns when a statistic present in the file disagrees.
void fill_from_per_request_arrays(const json& obj, RunResult& r, const std::string& file);

// Merge helper: keep `have` where present, else take `computed`.
void fill_missing(LatencyStat& have, const LatencyStat& computed);

LatencyStat stat_of(std::vector<double> values, double scale);

// The summary keys vLLM and SGLang both write: mean_<m>_ms, median_<m>_ms,
// p90_<m>_ms, p99_<m>_ms, std_<m>_ms.
LatencyStat stat_from_keys(const json& obj, const std::string& metric, const std::string& file);

}  // namespace ptr
