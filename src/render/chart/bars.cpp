#include "render/chart/bars.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "render/chart/marks.hpp"

namespace ptr::chart {

void draw_bar_chart(Canvas& c, const Rect& area, const BarChart& chart, const std::vector<BarRow>& rows) {
  const Font label_font{6.5}, inside_font{6}, note_font{6.5};
  const Color grid = Color::hex(0xdddddd), text = Color::hex(0x222222), muted = Color::hex(0x555555);
  double label_w = area.w * chart.label_share;
  Rect plot{area.x + label_w + 6, area.y, area.w - label_w - 6 - chart.note_width - 6, bar_chart_height(rows.size()) - kBarAxisHeight};
  if (plot.w < 40) plot.w = 40;
  auto px = [&](double v) { return plot.x + std::clamp(v / chart.max, 0.0, 1.0) * plot.w; };
  // Grid and ticks.
  std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>> segs;
  for (double t = 0; t <= chart.max + 1e-9; t += chart.tick_step) {
    segs.push_back({{px(t), plot.y}, {px(t), plot.bottom()}});
    c.text(px(t), plot.bottom() + 2, fmt::format("{:g}", t), Font{6}, muted, Align::center);
  }
  c.segments(segs, grid, 0.4);
  c.text(plot.x + plot.w / 2, plot.bottom() + 11, chart.axis_label, Font{6.5}, muted, Align::center);
  for (size_t i = 0; i < rows.size(); ++i) {
    const BarRow& r = rows[i];
    double y = plot.y + static_cast<double>(i) * kBarRowHeight;
    TagScope tag(c, {"data", r.tag});
    c.text(plot.x - 6, y + kBarRowHeight / 2, fit_text(c, r.label, label_font, label_w), label_font, text, Align::right, VAlign::middle);
    double bar_h = kBarRowHeight - 4, x = plot.x;
    size_t n = std::max<size_t>(1, r.segments.size());
    for (size_t k = 0; k < r.segments.size(); ++k) {
      const BarSegment& s = r.segments[k];
      Rect bar;
      if (chart.stacked) {
        double w = s.value ? px(*s.value) - plot.x : 0;
        bar = {x, y + 2, std::min(w, plot.right() - x), bar_h};
        x += bar.w;
      } else {
        double h = bar_h / static_cast<double>(n);
        bar = {plot.x, y + 2 + h * static_cast<double>(k), s.value ? px(*s.value) - plot.x : 0, h - 0.6};
      }
      if (!s.value) {
        // Missing is shown as missing: a short hatched stub saying so.
        Rect stub{bar.x, bar.y, 14, bar.h};
        c.hatch(stub, Color::hex(0xeeeeee), Color::hex(0xbbbbbb), 2.5);
        if (!chart.stacked) c.text(stub.right() + 2, stub.y + stub.h / 2, "n/a", Font{5.5}, muted, Align::left, VAlign::middle);
        continue;
      }
      if (bar.w > 0) c.rect_fill(bar, s.color);
      if (!s.inside.empty()) {
        Rect m = c.measure(s.inside, inside_font);
        Color ink = s.color.luminance() < 0.45 ? Color::hex(0xffffff) : Color::hex(0x111111);
        if (m.w + 3 <= bar.w && m.h <= bar.h + 2)
          c.text(bar.x + bar.w / 2, bar.y + bar.h / 2, s.inside, inside_font, ink, Align::center, VAlign::middle);
        else if (!chart.stacked)
          c.text(bar.right() + 2, bar.y + bar.h / 2, s.inside, Font{5.5}, text, Align::left, VAlign::middle);
      }
    }
    if (!r.note.empty())
      c.text(plot.right() + 6, y + kBarRowHeight / 2, fit_text(c, r.note, note_font, chart.note_width), note_font, muted, Align::left,
             VAlign::middle);
  }
  for (double g : chart.guides) c.line(px(g), plot.y, px(g), plot.bottom(), Color::hex(0x7f0000), 0.6, true);
  c.line(plot.x, plot.y, plot.x, plot.bottom(), Color::hex(0x444444), 0.6);
}

}  // namespace ptr::chart
