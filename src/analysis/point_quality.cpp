#include "analysis/point_quality.hpp"

#include <algorithm>
#include <cmath>

namespace ptr {

std::optional<double> spread_of(const Point& p, const char* key) {
  if (p.trials < 2 || !p.spread.is_object()) return std::nullopt;
  auto it = p.spread.find(key);
  if (it == p.spread.end() || !it->is_number()) return std::nullopt;
  double v = it->get<double>();
  if (!std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

PointQuality quality_of(const Point& p) {
  PointQuality q;
  q.partial = p.status == "partial";
  q.undercount = p.steady_window_undercount.value_or(false);
  if (auto sd = spread_of(p, "output_tok_s"); sd && p.output_tok_s && *p.output_tok_s > 0) {
    q.output_cv = *sd / *p.output_tok_s;
    q.high_variance = *q.output_cv > kHighVarianceCv;
  }
  return q;
}

PointQuality merged(const PointQuality& a, const PointQuality& b) {
  PointQuality q;
  q.partial = a.partial || b.partial;
  q.undercount = a.undercount || b.undercount;
  q.high_variance = a.high_variance || b.high_variance;
  if (a.output_cv || b.output_cv) q.output_cv = std::max(a.output_cv.value_or(0), b.output_cv.value_or(0));
  return q;
}

}  // namespace ptr
