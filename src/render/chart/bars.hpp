#pragma once
// Horizontal bar rows on a shared 0..max axis: stacked (segments side by side,
// e.g. shares of a whole) or grouped (one thin bar per segment, e.g. two
// percentages of one item). Knows nothing about what the bars measure.
#include <optional>
#include <string>
#include <vector>

#include "render/chart/canvas.hpp"

namespace ptr::chart {

struct BarSegment {
  std::optional<double> value;  // absent: drawn as a hatched "n/a" stub, never as 0
  Color color;
  std::string inside;  // text drawn inside the bar when it fits (e.g. "41%")
};

struct BarRow {
  std::string label;  // left of the bar, shortened to fit
  std::vector<BarSegment> segments;
  std::string note;  // right of the axis (e.g. "123 ms · decode")
  std::string tag;   // identity for backends that keep it (cell, kernel)
};

struct BarChart {
  std::string axis_label;  // under the axis, with units
  double max = 100;
  double tick_step = 20;
  bool stacked = true;
  std::vector<double> guides;  // dashed vertical lines at these values
  double label_share = 0.34;   // of the width, for the row labels
  double note_width = 120;     // points, for the notes
};

inline constexpr double kBarRowHeight = 15, kBarAxisHeight = 22;
inline double bar_chart_height(size_t rows) { return static_cast<double>(rows) * kBarRowHeight + kBarAxisHeight; }

void draw_bar_chart(Canvas& c, const Rect& area, const BarChart& chart, const std::vector<BarRow>& rows);

}  // namespace ptr::chart
