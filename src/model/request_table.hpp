#pragma once
// The compact per-request table of a cell: cells/<id>/requests.csv, written
// beside normalized.json by the same commit, from the per-request data the
// clients can save (vLLM --save-detailed, SGLang --output-details, AIPerf
// profile_export.jsonl). One row per successful request; the latency
// distribution page reads it instead of re-reading the raw arrays.
//
//   point,trial,ttft_ms,tpot_ms,e2el_ms,output_tokens
//
// point = index into normalized.json's points, trial = index into that
// point's source list (the run the request belongs to). An empty field is a
// value the client did not record (TPOT of a one-token answer). See
// docs/metrics.md ("The per-request table").
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptr {

inline constexpr const char* kRequestTableFile = "requests.csv";

// One successful request, in ms and tokens; NaN = not recorded.
struct RequestSample {
  double ttft_ms = NAN, tpot_ms = NAN, e2el_ms = NAN, output_tokens = NAN;
};

struct RequestRow {
  long point = 0, trial = 0;
  RequestSample sample;
};

std::string request_table_csv(const std::vector<RequestRow>& rows);
// A malformed row raises naming the file and line.
std::vector<RequestRow> parse_request_table(std::string_view text, const std::string& file);

// The distribution of one metric over a set of requests: sorted finite
// values and the percentiles the page marks (numpy 'linear', as the clients).
struct RequestDistribution {
  std::vector<double> sorted;
  std::optional<double> p50, p90, p99;
  size_t count() const { return sorted.size(); }
};
RequestDistribution distribution_of(std::vector<double> values);

}  // namespace ptr
