#pragma once
// Heat tables: a grid of cells coloured by value on a sequential colour scale,
// numbers in every measured cell (text colour chosen by luminance), hatched
// gray cells for states without a number, and a colour bar.
#include <optional>
#include <string>
#include <vector>

#include "render/chart/canvas.hpp"

namespace ptr::chart {

// Sequential colour map (viridis-like), t in [0, 1].
Color sequential(double t);

struct HeatCell {
  std::optional<double> value;  // measured value, drawn with its number
  std::string state;            // when no value: short tag drawn in the hatched cell ("missing", "failed")
  bool hatched_partial = false;  // value from a partial sweep: gray hatched, number with '*', off the colour scale
};

struct HeatTable {
  std::string title;
  std::vector<std::string> row_labels, col_labels;
  std::string corner_label;  // above the row labels
  std::vector<std::vector<HeatCell>> cells;  // [row][col]
  bool higher_is_better = true;  // colour direction: better = brighter
  std::string unit;
  int decimals = 0;
};

void draw_heat_table(Canvas& c, const Rect& area, const HeatTable& t);

}  // namespace ptr::chart
