#include "util/stats.hpp"

#include <algorithm>
#include <cmath>

namespace ptr::stats {

// Two-pass (mean then deviations) with compensated summation: the fixtures'
// expected values are correctly rounded, so naive left-to-right sums can drift
// by an ulp or two on long inputs.
static double kahan_sum(const std::vector<double>& xs, double shift) {
  double sum = 0, c = 0;
  for (double x : xs) {
    double y = (x - shift) - c;
    double t = sum + y;
    c = (t - sum) - y;
    sum = t;
  }
  return sum;
}

std::optional<double> mean(const std::vector<double>& xs) {
  if (xs.empty()) return std::nullopt;
  double m = kahan_sum(xs, 0) / xs.size();
  // One refinement step removes the residual rounding of the first pass.
  return m + kahan_sum(xs, m) / xs.size();
}

static std::optional<double> stdev(const std::vector<double>& xs, size_t ddof, std::optional<double> known_mean = {}) {
  if (xs.size() <= ddof) return std::nullopt;
  double m = known_mean ? *known_mean : *mean(xs);
  double ss = 0, c = 0;
  for (double x : xs) {
    double d = (x - m) * (x - m) - c;
    double t = ss + d;
    c = (t - ss) - d;
    ss = t;
  }
  return std::sqrt(ss / (xs.size() - ddof));
}

std::optional<double> sample_stdev(const std::vector<double>& xs) { return stdev(xs, 1); }
std::optional<double> population_stdev(const std::vector<double>& xs, std::optional<double> known_mean) {
  if (xs.empty()) return std::nullopt;
  return stdev(xs, 0, known_mean);
}

std::optional<double> percentile_sorted(const std::vector<double>& x, double q) {
  if (x.empty()) return std::nullopt;
  double h = (q / 100.0) * (x.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(h));
  if (lo + 1 >= x.size()) return x.back();
  double g = h - lo;
  double a = x[lo], b = x[lo + 1];
  return g < 0.5 ? a + (b - a) * g : b - (b - a) * (1 - g);
}

std::optional<double> percentile_select(std::vector<double>& x, double q) {
  if (x.empty()) return std::nullopt;
  double h = (q / 100.0) * (x.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(h));
  std::nth_element(x.begin(), x.begin() + lo, x.end());
  double a = x[lo];
  if (lo + 1 >= x.size()) return a;
  double b = *std::min_element(x.begin() + lo + 1, x.end());
  double g = h - lo;
  return g < 0.5 ? a + (b - a) * g : b - (b - a) * (1 - g);
}

}  // namespace ptr::stats
