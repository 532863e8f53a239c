#pragma once
// Marks: markers, lines, inline labels that avoid each other, and legends
// placed where they cover the fewest points. Marks take plain coordinates and
// style values; they never see benchmark data.
#include <string>
#include <vector>

#include "render/chart/canvas.hpp"

namespace ptr::chart {

void draw_marker(Canvas& c, double x, double y, const MarkStyle& s);
// Many markers of one style as one path: one PDF fill/stroke instead of one per point.
void draw_markers(Canvas& c, const std::vector<std::pair<double, double>>& at, const MarkStyle& s);
// Half the width of a drawn marker with its ring or frame, and its box.
double marker_extent(const MarkStyle& s);
Rect marker_box(double x, double y, const MarkStyle& s);

// `s` cut with "…" to fit `width` (whole when it fits): one line in a table
// cell, without a clip (a clip per cell is costly in a PDF).
std::string fit_text(Canvas& c, const std::string& s, const Font& f, double width);
// The same, cut in the middle: for labels whose end tells rows apart (an arm's name).
std::string fit_text_middle(Canvas& c, const std::string& s, const Font& f, double width);

// ± spread around a point, in page coordinates (caps at both ends).
struct ErrorBar {
  double x, y;
  double x_lo, x_hi, y_lo, y_hi;  // equal to x / y when that direction has none
};
void draw_error_bars(Canvas& c, const std::vector<ErrorBar>& bars, Color color);

// A label's box widened by the gap other labels keep from it, so two labels
// on one line never touch ("c=8c=32").
constexpr double kLabelGap = 1.5;
Rect label_keepout(const Rect& r);

// Places short labels next to anchors without overlapping the obstacles
// (markers, earlier labels) and inside `bounds`; a label with no free spot is
// skipped rather than drawn over data (the count of skipped labels is kept).
class LabelPlacer {
 public:
  explicit LabelPlacer(Rect bounds);
  void add_obstacle(const Rect& r);
  // `gap`: from the anchor to the label's nearest edge (clear of the marker).
  bool place(Canvas& c, double ax, double ay, const std::string& text, const Font& f, Color color, double gap = 4.5);
  int skipped() const { return skipped_; }
  const std::vector<Rect>& placed() const { return placed_; }  // boxes of the labels drawn

 private:
  // Obstacles are bucketed on a coarse grid so a dense panel (thousands of
  // markers) checks only its neighbourhood.
  bool clashes(const Rect& r) const;
  template <class F>
  void for_buckets(const Rect& r, F f) const;
  Rect bounds_;
  std::vector<Rect> obstacles_, placed_;
  std::vector<std::vector<unsigned>> buckets_;
  int cols_ = 1, rows_ = 1;
  int skipped_ = 0;
};

struct LegendEntry {
  std::string text;
  MarkStyle style;
  std::string series = {};  // the Tag series its marks carry ("" = a key to the marks, not a series)
};

Rect legend_size(Canvas& c, const std::vector<LegendEntry>& entries, const Font& f, int columns);
// The corner of `frame` where a box of `size` covers the fewest `points`.
Rect best_legend_corner(const Rect& frame, const Rect& size, const std::vector<std::pair<double, double>>& points);
void draw_legend(Canvas& c, const Rect& where, const std::vector<LegendEntry>& entries, const Font& f, int columns,
                 bool boxed = true);

}  // namespace ptr::chart
