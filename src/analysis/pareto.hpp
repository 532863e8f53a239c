#pragma once
// Pareto frontier for "more is better" on both axes, by exact dominance: a
// point is on the frontier unless another point is >= on both axes and > on
// at least one. Identical points are both kept (neither dominates).
#include <cstddef>
#include <utility>
#include <vector>

namespace ptr {
// Indices of frontier points, sorted by x ascending.
std::vector<size_t> pareto_front(const std::vector<std::pair<double, double>>& xy);
}  // namespace ptr
