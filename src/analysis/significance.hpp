#pragma once
// Welch's two-sample t-test from summary statistics (mean, sample standard
// deviation, n), two-sided, with the Welch–Satterthwaite degrees of freedom.
#include <optional>

namespace ptr {

struct WelchResult {
  double t = 0, df = 0, p_two_sided = 1;
};

// nullopt when either side has fewer than 2 samples or both spreads are 0.
std::optional<WelchResult> welch_t_test(double mean1, double sd1, long n1, double mean2, double sd2, long n2);

// P(T <= t) for Student's t with `df` degrees of freedom (df > 0).
double student_t_cdf(double t, double df);

}  // namespace ptr
