#pragma once
// Mapping of one `vllm bench serve` result object (any version, also a sweep
// run or a summary.csv row) onto RunResult.
#include "ingest/run_result.hpp"

namespace ptr {
RunResult vllm_result_from_object(const json& obj, const std::string& file, std::optional<long> line);
}
