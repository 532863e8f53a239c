#include "campaign/request_rows.hpp"

#include <map>
#include <set>
#include <tuple>

namespace ptr {

std::vector<RequestRow> attach_request_rows(AtlasCell& cell, const std::vector<RunResult>& runs) {
  // A point's trial is the run its source entry names (file, line, run number).
  using RunKey = std::tuple<std::string, long, long>;
  std::map<RunKey, const RunResult*> by_key;
  for (const auto& r : runs)
    if (!r.requests.empty()) by_key.emplace(RunKey{r.file, r.line.value_or(-1), r.run_number.value_or(-1)}, &r);
  std::vector<RequestRow> rows;
  if (by_key.empty()) return rows;
  for (size_t i = 0; i < cell.points.size(); ++i) {
    Point& p = cell.points[i];
    p.extra.erase("per_request");
    long count = 0, trials = 0;
    std::set<std::string> from;
    for (size_t j = 0; j < p.source.size(); ++j) {
      const PointSource& s = p.source[j];
      auto it = by_key.find(RunKey{s.file, s.line.value_or(-1), s.run_number.value_or(-1)});
      if (it == by_key.end()) continue;
      const RunResult& r = *it->second;
      ++trials;
      from.insert(r.requests_file.empty() ? r.file : r.requests_file);
      for (const auto& sample : r.requests) rows.push_back({static_cast<long>(i), static_cast<long>(j), sample});
      count += static_cast<long>(r.requests.size());
    }
    if (trials == 0) continue;
    p.extra["per_request"] = {{"table", kRequestTableFile},
                              {"requests", count},
                              {"trials_with_requests", trials},
                              {"from", std::vector<std::string>(from.begin(), from.end())}};
  }
  return rows;
}

}  // namespace ptr
