#pragma once
// A panel: a frame with two scales, a light grid, ticks, tick labels, axis
// labels with units and a title.
#include <memory>
#include <string>

#include "render/chart/canvas.hpp"
#include "render/chart/scale.hpp"

namespace ptr::chart {

struct AxisSpec {
  std::string label;  // with units, e.g. "TTFT avg (ms)"
  bool log = false;
  bool include_zero = false;
};

struct Panel {
  Rect outer;  // everything incl. labels
  Rect plot;   // the data area
  std::unique_ptr<Scale> x, y;
  double px(double v) const { return x->map(v); }
  double py(double v) const { return y->map(v); }
};

// Lays out the plot area inside `outer` (room for title, tick labels, axis
// labels) and builds scales from the data extents.
Panel make_panel(const Rect& outer, double xlo, double xhi, const AxisSpec& xs, double ylo, double yhi, const AxisSpec& ys);
void draw_axes(Canvas& c, const Panel& p, const std::string& title, const AxisSpec& xs, const AxisSpec& ys);
// A panel with nothing to plot: frame, title and a centred reason.
void draw_empty_panel(Canvas& c, const Rect& outer, const std::string& title, const std::string& reason);

extern const Font kTitleFont, kTickFont, kLabelFont;

}  // namespace ptr::chart
