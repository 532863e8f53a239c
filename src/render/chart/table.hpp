#pragma once
// Tables of numbers: heat tables (cells coloured on a sequential scale the
// caller fixes, so every table of a metric shares one) and plain tables.
// A cell without a number is gray and hatched and says why in a short tag.
#include <optional>
#include <string>
#include <vector>

#include "render/chart/canvas.hpp"

namespace ptr::chart {

// Sequential colour map (viridis-like), t in [0, 1].
Color sequential(double t);

struct HeatCell {
  std::optional<double> value;  // measured value, drawn with its number
  std::string state;            // when no value: short tag drawn in the hatched cell ("missing", "failed 0/80")
  std::string marks;            // drawn after the number ("*", "u"); the caller's legend explains them
  bool off_scale = false;       // value not coloured (e.g. a partial point): gray hatched, number kept
  Tag tag = {};                 // what the cell stands for (the HTML report's tooltip): role, id, point
};

// The colour range of a metric, fixed by the caller for every table of it.
struct ColorScale {
  double lo = 0, hi = 1;
  bool higher_is_better = true;  // better = brighter
  double t(double v) const;      // 0..1 on the colour map
};

struct HeatTable {
  std::string title;
  std::vector<std::string> row_labels, col_labels;
  std::string corner_label;                  // above the row labels
  std::vector<std::vector<HeatCell>> cells;  // [row][col]
  std::optional<ColorScale> scale;           // none: a plain table (no colours, no bar)
  std::string unit;
  int decimals = 0;
  std::vector<int> col_decimals;  // per column, when the columns differ (counts next to percentages)
};

inline constexpr double kTableRowHeight = 15, kTableHeadHeight = 13, kTableTitleHeight = 16;
// Height a table of `rows` rows takes.
double table_height(size_t rows);
// The widest row label, so a page can size its columns before drawing.
double row_label_width(Canvas& c, const std::vector<std::string>& labels);
void draw_heat_table(Canvas& c, const Rect& area, const HeatTable& t);

}  // namespace ptr::chart
