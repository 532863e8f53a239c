#include "analysis/pareto.hpp"

#include <algorithm>
#include <numeric>

namespace ptr {

std::vector<size_t> pareto_front(const std::vector<std::pair<double, double>>& xy) {
  std::vector<size_t> idx(xy.size());
  std::iota(idx.begin(), idx.end(), 0);
  // Sort by x descending, then y descending; sweep keeping the best y so far.
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    if (xy[a].first != xy[b].first) return xy[a].first > xy[b].first;
    return xy[a].second > xy[b].second;
  });
  std::vector<size_t> front;
  double best_y = -1e300, best_y_x = 0;
  bool any = false;
  for (size_t i : idx) {
    const auto& p = xy[i];
    // Dominated if some earlier point (x >= p.x) has y > p.y, or y == p.y with x > p.x.
    bool dominated = any && (best_y > p.second || (best_y == p.second && best_y_x > p.first));
    if (!dominated) front.push_back(i);
    if (!any || p.second > best_y || (p.second == best_y && p.first > best_y_x)) {
      best_y = p.second;
      best_y_x = p.first;
      any = true;
    }
  }
  std::sort(front.begin(), front.end(), [&](size_t a, size_t b) { return xy[a].first < xy[b].first; });
  return front;
}

}  // namespace ptr
