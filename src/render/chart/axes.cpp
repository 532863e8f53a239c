#include "render/chart/axes.hpp"

namespace ptr::chart {

const Font kTitleFont{8.5, true};
const Font kTickFont{6.5};
const Font kLabelFont{7.5};

static const Color kGrid = Color::hex(0xe3e3e3);
static const Color kAxis = Color::hex(0x555555);
static const Color kText = Color::hex(0x222222);

Panel make_panel(const Rect& outer, double xlo, double xhi, const AxisSpec& xs, double ylo, double yhi, const AxisSpec& ys) {
  Panel p;
  p.outer = outer;
  const double left = 46, right = 8, top = 16, bottom = 28;
  p.plot = {outer.x + left, outer.y + top, outer.w - left - right, outer.h - top - bottom};
  p.x = xs.log ? log_scale(xlo, xhi, p.plot.x, p.plot.right()) : linear_scale(xlo, xhi, p.plot.x, p.plot.right(), xs.include_zero);
  p.y = ys.log ? log_scale(ylo, yhi, p.plot.bottom(), p.plot.y) : linear_scale(ylo, yhi, p.plot.bottom(), p.plot.y, ys.include_zero);
  return p;
}

void draw_axes(Canvas& c, const Panel& p, const std::string& title, const AxisSpec& xs, const AxisSpec& ys) {
  const Rect& r = p.plot;
  c.rect_fill(r, Color::hex(0xffffff));
  using Seg = std::pair<std::pair<double, double>, std::pair<double, double>>;
  // Grid lines at major ticks only: minor ticks mark the log decades, and
  // minor grid lines would double the strokes of every panel (a report of
  // small multiples has hundreds).
  std::vector<Seg> major, ticks;
  for (const auto& t : p.x->ticks()) {
    double x = p.px(t.value);
    if (t.major) major.push_back({{x, r.y}, {x, r.bottom()}});
    ticks.push_back({{x, r.bottom()}, {x, r.bottom() + (t.major ? 3 : 1.5)}});
  }
  for (const auto& t : p.y->ticks()) {
    double y = p.py(t.value);
    if (t.major) major.push_back({{r.x, y}, {r.right(), y}});
    ticks.push_back({{r.x - (t.major ? 3 : 1.5), y}, {r.x, y}});
  }
  c.segments(major, kGrid, 0.5);
  c.segments(ticks, kAxis, 0.5);
  for (const auto& t : p.x->ticks())
    if (!t.label.empty()) c.text(p.px(t.value), r.bottom() + 3.5, t.label, kTickFont, kText, Align::center, VAlign::top);
  for (const auto& t : p.y->ticks())
    if (!t.label.empty()) c.text(r.x - 4.5, p.py(t.value), t.label, kTickFont, kText, Align::right, VAlign::middle);
  c.rect_stroke(r, kAxis, 0.6);
  c.text(r.x + r.w / 2, r.bottom() + 14, xs.label, kLabelFont, kText, Align::center, VAlign::top);
  c.text_rotated(p.outer.x + 8, r.y + r.h / 2, ys.label, kLabelFont, kText);
  c.text(r.x, p.outer.y + 2, title, kTitleFont, kText, Align::left, VAlign::top, r.w);
}

void draw_empty_panel(Canvas& c, const Rect& outer, const std::string& title, const std::string& reason) {
  Rect r{outer.x + 46, outer.y + 16, outer.w - 54, outer.h - 44};
  c.hatch(r, Color::hex(0xf7f7f7), Color::hex(0xdddddd), 6);
  c.rect_stroke(r, Color::hex(0xaaaaaa), 0.5);
  c.text(r.x, outer.y + 2, title, kTitleFont, kText, Align::left, VAlign::top, r.w);
  c.text(r.x + r.w / 2, r.y + r.h / 2, reason, Font{7.5, false, true}, Color::hex(0x666666), Align::center, VAlign::middle, r.w - 20);
}

}  // namespace ptr::chart
