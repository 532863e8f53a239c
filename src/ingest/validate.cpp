// Range checks on every number a run carries, after its adapter parsed it:
// a negative duration, a NaN throughput or a count of 1e308 is an input error
// naming the file and the key, never a point on a chart.
#include <cmath>
#include <fmt/format.h>

#include "ingest/formats.hpp"
#include "util/error.hpp"

namespace ptr {

namespace {

struct Range {
  const char* key;  // the tool's name for it (docs/metrics.md)
  std::optional<double> RunResult::*field;
  double max;
};

// Upper bounds far beyond any real deployment: they catch garbage, not records.
constexpr double kMaxCount = 9007199254740992.0;  // 2^53
constexpr double kMaxRate = 1e12;                   // tokens or requests per second
constexpr double kMaxSeconds = 1e9;

const Range kRanges[] = {
    {"num_prompts", &RunResult::num_prompts, kMaxCount},
    {"completed", &RunResult::completed, kMaxCount},
    {"failed", &RunResult::failed, kMaxCount},
    {"duration_s", &RunResult::duration_s, kMaxSeconds},
    {"request_throughput", &RunResult::request_throughput, kMaxRate},
    {"output_throughput", &RunResult::output_throughput, kMaxRate},
    {"total_token_throughput", &RunResult::total_token_throughput, kMaxRate},
    {"total_input_tokens", &RunResult::total_input_tokens, kMaxCount},
    {"total_output_tokens", &RunResult::total_output_tokens, kMaxCount},
    {"max_concurrent_requests", &RunResult::max_concurrent_requests, kMaxCount},
    {"measured_concurrency", &RunResult::measured_concurrency, kMaxCount},
};

const char* const kCounts[] = {"num_prompts", "completed", "failed", "total_input_tokens", "total_output_tokens"};

}  // namespace

void validate_run(RunResult& r, const std::string& file) {
  auto where = [&] { return r.line ? *r.line + 1 : -1L; };
  for (const auto& range : kRanges) {
    auto& v = r.*range.field;
    if (!v) continue;
    if (std::isnan(*v)) {
      // NaN is how Python writes "no value" (an all-failed run's mean): missing, not a number.
      v.reset();
      continue;
    }
    if (!std::isfinite(*v) || *v < 0 || *v > range.max)
      throw_input(file, fmt::format("{} is {}; expected a finite value between 0 and {:g}", range.key, *v, range.max),
                  where(), range.key);
    for (const char* count : kCounts)
      if (std::string(count) == range.key && *v != std::floor(*v))
        throw_input(file, fmt::format("{} is {}; expected a whole number", range.key, *v), where(), range.key);
  }
  if (r.request_rate && (std::isnan(*r.request_rate) || *r.request_rate <= 0))
    throw_input(file, fmt::format("request_rate is {}; expected a positive rate or inf", *r.request_rate), where(),
                "request_rate");
  auto check_latency = [&](const char* name, LatencyStat& s) {
    for (auto field : {&LatencyStat::mean, &LatencyStat::median, &LatencyStat::p90, &LatencyStat::p99, &LatencyStat::std}) {
      auto& v = s.*field;
      if (!v) continue;
      if (std::isnan(*v)) {
        v.reset();
        continue;
      }
      if (!std::isfinite(*v) || *v < 0 || *v > kMaxSeconds * 1000)
        throw_input(file, fmt::format("{} statistic is {} ms; expected a finite, non-negative latency", name, *v), where(),
                    name);
    }
  };
  check_latency("ttft_ms", r.ttft);
  check_latency("tpot_ms", r.tpot);
  check_latency("itl_ms", r.itl);
  check_latency("e2el_ms", r.e2el);
  if (r.prefix_cache_hit_rate && !(*r.prefix_cache_hit_rate >= 0 && *r.prefix_cache_hit_rate <= 1)) r.prefix_cache_hit_rate.reset();
}

}  // namespace ptr
