#pragma once
// What a reader must know before trusting one point: did every request and
// trial complete, was the steady window long enough, is the run-to-run noise
// larger than the differences a page might show. One definition, used by the
// methodology check, the TPM rows and the report's marks.
#include <optional>

#include "model/atlas_cell.hpp"

namespace ptr {

// Run-to-run coefficient of variation of output tok/s above this is "high variance".
inline constexpr double kHighVarianceCv = 0.10;

struct PointQuality {
  bool partial = false;        // some requests or trials failed
  bool undercount = false;     // num_prompts < 2 x concurrency: throughput undercounted
  bool high_variance = false;  // run-to-run CV of output tok/s > kHighVarianceCv
  std::optional<double> output_cv;  // std / mean across trials, when trials >= 2
  bool any() const { return partial || undercount || high_variance; }
};

PointQuality quality_of(const Point& p);
PointQuality merged(const PointQuality& a, const PointQuality& b);

// std across trials of a metric ("ttft_ms_mean", "output_tok_s"...), when trials >= 2.
std::optional<double> spread_of(const Point& p, const char* key);

}  // namespace ptr
