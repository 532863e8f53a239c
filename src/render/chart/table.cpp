#include "render/chart/table.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "render/chart/axes.hpp"

namespace ptr::chart {

Color sequential(double t) {
  // Anchors of matplotlib's viridis.
  static const Color stops[] = {Color::hex(0x440154), Color::hex(0x3b528b), Color::hex(0x21918c),
                                Color::hex(0x5ec962), Color::hex(0xfde725)};
  t = std::clamp(t, 0.0, 1.0) * 4;
  int i = std::min(3, static_cast<int>(t));
  double f = t - i;
  const Color &a = stops[i], &b = stops[i + 1];
  return {a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f, 1};
}

double ColorScale::t(double v) const {
  double x = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  x = std::clamp(x, 0.0, 1.0);
  return higher_is_better ? x : 1 - x;
}

static const Color kText = Color::hex(0x222222);
static const Font kCellFont{6.5};
static const Font kHeadFont{6.5, true};

double table_height(size_t rows) { return kTableTitleHeight + kTableHeadHeight + kTableRowHeight * std::max<size_t>(1, rows) + 2; }

double row_label_width(Canvas& c, const std::vector<std::string>& labels) {
  double w = 0;
  for (const auto& l : labels) w = std::max(w, c.measure(l, kCellFont).w);
  return w + 6;
}

void draw_heat_table(Canvas& c, const Rect& area, const HeatTable& t) {
  c.text(area.x, area.y, t.title, kTitleFont, kText, Align::left, VAlign::top, area.w);
  double label_w = std::min(row_label_width(c, t.row_labels), area.w * 0.55);
  const double bar_w = t.scale ? 44 : 0;  // colour bar + its labels
  double top = area.y + kTableTitleHeight;
  double grid_x = area.x + label_w, grid_w = area.w - label_w - bar_w;
  double cols = std::max<size_t>(1, t.col_labels.size());
  double cw = grid_w / cols, ch = kTableRowHeight;

  if (!t.corner_label.empty())
    c.text(area.x, top + kTableHeadHeight / 2, t.corner_label, kHeadFont, kText, Align::left, VAlign::middle, label_w - 2);
  for (size_t j = 0; j < t.col_labels.size(); ++j)
    c.text(grid_x + (j + 0.5) * cw, top + kTableHeadHeight / 2, t.col_labels[j], kHeadFont, kText, Align::center, VAlign::middle, cw);
  double y0 = top + kTableHeadHeight;
  for (size_t i = 0; i < t.row_labels.size(); ++i) {
    double y = y0 + i * ch;
    c.text(area.x, y + ch / 2, t.row_labels[i], kCellFont, kText, Align::left, VAlign::middle, label_w - 2);
    if (!t.scale) c.line(area.x, y + ch, grid_x + grid_w, y + ch, Color::hex(0xe0e0e0), 0.4);
    for (size_t j = 0; j < t.col_labels.size(); ++j) {
      Rect r{grid_x + j * cw + 0.5, y + 0.5, cw - 1, ch - 1};
      const HeatCell& cell = t.cells[i][j];
      TagScope tag(c, cell.tag.role.empty() ? c.tag() : cell.tag);
      if (cell.value) {
        int decimals = j < t.col_decimals.size() ? t.col_decimals[j] : t.decimals;
        std::string number = fmt::format("{:.{}f}{}", *cell.value, decimals, cell.marks);
        Color fg = kText;
        if (cell.off_scale) {
          c.hatch(r, Color::hex(0xe6e6e6), Color::hex(0xc8c8c8), 3.5);
        } else if (t.scale) {
          Color bg = sequential(t.scale->t(*cell.value));
          c.rect_fill(r, bg);
          fg = bg.luminance() > 0.35 ? Color::hex(0x111111) : Color::hex(0xffffff);
        } else if (!cell.tag.role.empty()) {
          c.rect_fill(r, Color{1, 1, 1, 0});  // invisible: the cell's focusable area in the HTML report
        }
        c.text(r.x + r.w / 2, r.y + r.h / 2, number, kCellFont, fg, Align::center, VAlign::middle, cw);
      } else {
        c.hatch(r, Color::hex(0xe6e6e6), Color::hex(0xbdbdbd), 3.5);
        c.text(r.x + r.w / 2, r.y + r.h / 2, cell.state, Font{6.5, false, true}, Color::hex(0x555555), Align::center,
               VAlign::middle, cw);
      }
    }
  }
  if (!t.scale) {
    if (!t.unit.empty()) c.text(grid_x + grid_w, area.y, t.unit, Font{6.5}, Color::hex(0x555555), Align::right);
    return;
  }
  // Colour bar of the shared scale.
  double rows = std::max<size_t>(1, t.row_labels.size());
  double bx = area.right() - bar_w + 8, by = y0, bh = std::max(ch * rows, 30.0);
  std::vector<std::pair<double, Color>> stops;
  for (int k = 0; k <= 4; ++k) stops.push_back({k / 4.0, sequential(t.scale->higher_is_better ? k / 4.0 : 1 - k / 4.0)});
  c.gradient_rect({bx, by, 8, bh}, stops);
  c.rect_stroke({bx, by, 8, bh}, Color::hex(0x888888), 0.4);
  c.text(bx + 10, by, fmt::format("{:.{}f}", t.scale->hi, t.decimals), Font{6.5}, kText, Align::left, VAlign::top);
  c.text(bx + 10, by + bh, fmt::format("{:.{}f}", t.scale->lo, t.decimals), Font{6.5}, kText, Align::left, VAlign::bottom);
  // Over the bar and its labels, never reaching back over the last column's header.
  if (!t.unit.empty()) c.text(bx, by - 2, t.unit, Font{6.5}, Color::hex(0x555555), Align::left, VAlign::bottom, area.right() - bx);
}

}  // namespace ptr::chart
