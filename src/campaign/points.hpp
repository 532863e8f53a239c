#pragma once
// From runs to points: runs of one configuration at one concurrency (or one
// offered rate) become one Point with `trials`, averaged statistics and the
// spread across trials. Failed runs stay as trials; a point with no completed
// request is `failed`, never dropped and never zero.
#include <optional>
#include <string>
#include <vector>

#include "ingest/run_result.hpp"
#include "model/atlas_cell.hpp"

namespace ptr {

std::vector<Point> build_points(const std::vector<RunResult>& runs, std::optional<long> gpus);

// full: every requested concurrency has an ok point and no point is failed or
// partial; failed: no point completed a request; else partial.
std::string cell_status(const std::vector<Point>& points, const std::vector<long>& requested);

struct Coverage {
  long cells = 0, full = 0, partial = 0, failed = 0, plot_ready_points = 0;
  std::string line() const;
  json to_json() const;
};

// A point is plot-ready when it has a concurrency, did not fail, and has an
// output throughput to place it.
bool plot_ready(const Point& p);
void add_to_coverage(Coverage& cov, const AtlasCell& cell);

}  // namespace ptr
