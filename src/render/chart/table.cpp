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

static const Color kText = Color::hex(0x222222);

void draw_heat_table(Canvas& c, const Rect& area, const HeatTable& t) {
  const Font cell_font{6.5};
  const Font head_font{6.5, true};
  c.text(area.x, area.y, t.title, kTitleFont, kText, Align::left, VAlign::top, area.w);
  double label_w = 0;
  for (const auto& l : t.row_labels) label_w = std::max(label_w, c.measure(l, cell_font).w);
  label_w += 6;
  const double bar_w = 44;  // colour bar + labels
  double top = area.y + 16;
  double head_h = 13;
  double grid_x = area.x + label_w, grid_w = area.w - label_w - bar_w;
  double cols = std::max<size_t>(1, t.col_labels.size()), rows = std::max<size_t>(1, t.row_labels.size());
  double cw = grid_w / cols, ch = std::min(22.0, (area.bottom() - top - head_h) / rows);

  double lo = INFINITY, hi = -INFINITY;
  for (const auto& row : t.cells)
    for (const auto& cell : row)
      if (cell.value && !cell.hatched_partial && std::isfinite(*cell.value)) {
        lo = std::min(lo, *cell.value);
        hi = std::max(hi, *cell.value);
      }
  auto norm = [&](double v) {
    double x = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    return t.higher_is_better ? x : 1 - x;
  };

  if (!t.corner_label.empty()) c.text(area.x, top + head_h / 2, t.corner_label, head_font, kText, Align::left, VAlign::middle);
  for (size_t j = 0; j < t.col_labels.size(); ++j)
    c.text(grid_x + (j + 0.5) * cw, top + head_h / 2, t.col_labels[j], head_font, kText, Align::center, VAlign::middle, cw);
  double y0 = top + head_h;
  for (size_t i = 0; i < t.row_labels.size(); ++i) {
    double y = y0 + i * ch;
    c.text(area.x, y + ch / 2, t.row_labels[i], cell_font, kText, Align::left, VAlign::middle);
    for (size_t j = 0; j < t.col_labels.size(); ++j) {
      Rect r{grid_x + j * cw + 0.5, y + 0.5, cw - 1, ch - 1};
      const HeatCell& cell = t.cells[i][j];
      if (cell.value && cell.hatched_partial) {
        c.hatch(r, Color::hex(0xe6e6e6), Color::hex(0xc8c8c8), 3.5);
        c.text(r.x + r.w / 2, r.y + r.h / 2, fmt::format("{:.{}f}*", *cell.value, t.decimals), cell_font,
                 Color::hex(0x222222), Align::center, VAlign::middle);
      } else if (cell.value) {
        Color bg = sequential(norm(*cell.value));
        c.rect_fill(r, bg);
        Color fg = bg.luminance() > 0.35 ? Color::hex(0x111111) : Color::hex(0xffffff);
        c.text(r.x + r.w / 2, r.y + r.h / 2, fmt::format("{:.{}f}", *cell.value, t.decimals), cell_font, fg,
                 Align::center, VAlign::middle);
      } else {
        c.hatch(r, Color::hex(0xe6e6e6), Color::hex(0xbdbdbd), 3.5);
        c.text(r.x + r.w / 2, r.y + r.h / 2, cell.state, Font{6.5, false, true}, Color::hex(0x555555), Align::center,
               VAlign::middle);
      }
    }
  }
  // Colour bar.
  double bx = area.right() - bar_w + 8, by = y0, bh = ch * rows;
  std::vector<std::pair<double, Color>> stops;
  for (int k = 0; k <= 4; ++k) stops.push_back({k / 4.0, sequential(t.higher_is_better ? k / 4.0 : 1 - k / 4.0)});
  c.gradient_rect({bx, by, 8, bh}, stops);
  c.rect_stroke({bx, by, 8, bh}, Color::hex(0x888888), 0.4);
  if (std::isfinite(lo)) {
    c.text(bx + 10, by, fmt::format("{:.{}f}", hi, t.decimals), Font{6.5}, kText, Align::left, VAlign::top);
    c.text(bx + 10, by + bh, fmt::format("{:.{}f}", lo, t.decimals), Font{6.5}, kText, Align::left, VAlign::bottom);
  }
  if (!t.unit.empty()) c.text(bx + 4, by - 2, t.unit, Font{6.5}, Color::hex(0x555555), Align::center, VAlign::bottom);
}

}  // namespace ptr::chart
