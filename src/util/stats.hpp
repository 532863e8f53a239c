#pragma once
#include <optional>
#include <vector>

namespace ptr::stats {
std::optional<double> mean(const std::vector<double>& xs);
// Sample standard deviation (n-1); nullopt for fewer than two values.
std::optional<double> sample_stdev(const std::vector<double>& xs);
// Population standard deviation (n), as numpy.std — what the benchmarks report.
std::optional<double> population_stdev(const std::vector<double>& xs, std::optional<double> known_mean = {});
// numpy.percentile's default 'linear' method on an already sorted vector.
std::optional<double> percentile_sorted(const std::vector<double>& sorted, double q);
// Same result as percentile_sorted, by partial selection (reorders `xs`).
std::optional<double> percentile_select(std::vector<double>& xs, double q);
}  // namespace ptr::stats
