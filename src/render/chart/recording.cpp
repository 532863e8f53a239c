#include "render/chart/recording.hpp"

#include <algorithm>
#include <cairo.h>
#include <cmath>

namespace ptr::chart {

namespace {

cairo_t* new_context(cairo_surface_t* s) {
  cairo_t* cr = cairo_create(s);
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);
  return cr;
}

cairo_surface_t* new_surface(double w, double h) {
  cairo_rectangle_t extents{0, 0, w, h};
  return cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents);
}

}  // namespace

// The context holds its own reference to the surface; ours (from creating
// it) is dropped through the context's target when the canvas goes (a member
// cannot be set before the base class it is passed to is built).
RecordingCanvas::RecordingCanvas(double width, double height) : CairoCanvas(new_context(new_surface(width, height))) {}

RecordingCanvas::~RecordingCanvas() {
  cairo_surface_t* surface = cairo_get_target(cairo());
  cairo_destroy(cairo());
  cairo_surface_destroy(surface);
}

void RecordingCanvas::add(std::string kind, Rect box, std::string text, Color c) {
  items_.push_back({std::move(kind), box, std::move(text), c, tag()});
}

Rect RecordingCanvas::text(double x, double y, const std::string& s, const Font& f, Color c, Align a, VAlign v, double w) {
  Rect r = CairoCanvas::text(x, y, s, f, c, a, v, w);
  add("text", r, s, c);
  return r;
}

Rect RecordingCanvas::markup(double x, double y, const std::string& m, const Font& f, Color c, Align a, VAlign v, double w) {
  Rect r = CairoCanvas::markup(x, y, m, f, c, a, v, w);
  add("markup", r, m, c);
  return r;
}

void RecordingCanvas::text_rotated(double x, double y, const std::string& s, const Font& f, Color c) {
  CairoCanvas::text_rotated(x, y, s, f, c);
  Rect m = measure(s, f);
  add("text", {x - m.h / 2, y - m.w / 2, m.h, m.w}, s, c);
}

void RecordingCanvas::line(double x0, double y0, double x1, double y1, Color c, double width, bool dashed) {
  CairoCanvas::line(x0, y0, x1, y1, c, width, dashed);
  add("line", {std::min(x0, x1), std::min(y0, y1), std::fabs(x1 - x0), std::fabs(y1 - y0)}, "", c);
}

void RecordingCanvas::polyline(const std::vector<std::pair<double, double>>& pts, Color c, double width, bool dashed) {
  CairoCanvas::polyline(pts, c, width, dashed);
  if (pts.empty()) return;
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
  for (const auto& [x, y] : pts) {
    x0 = std::min(x0, x);
    y0 = std::min(y0, y);
    x1 = std::max(x1, x);
    y1 = std::max(y1, y);
  }
  add("polyline", {x0, y0, x1 - x0, y1 - y0}, "", c);
}

void RecordingCanvas::segments(const std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>>& segs,
                               Color c, double width) {
  CairoCanvas::segments(segs, c, width);
  for (const auto& [a, b] : segs)
    add("segment", {std::min(a.first, b.first), std::min(a.second, b.second), std::fabs(b.first - a.first),
                    std::fabs(b.second - a.second)},
        "", c);
}

void RecordingCanvas::rect_fill(const Rect& r, Color c) {
  CairoCanvas::rect_fill(r, c);
  add("rect_fill", r, "", c);
}

void RecordingCanvas::rect_stroke(const Rect& r, Color c, double width) {
  CairoCanvas::rect_stroke(r, c, width);
  add("rect_stroke", r, "", c);
}

void RecordingCanvas::hatch(const Rect& r, Color bg, Color line, double spacing) {
  CairoCanvas::hatch(r, bg, line, spacing);
  add("hatch", r, "", bg);
}

void RecordingCanvas::markers(const std::vector<std::pair<double, double>>& at, const MarkStyle& s) {
  CairoCanvas::markers(at, s);
  for (const auto& [x, y] : at) add("marker", {x - s.size, y - s.size, 2 * s.size, 2 * s.size}, "", s.color);
}

void RecordingCanvas::link(const Rect& r, const std::string& url) {
  CairoCanvas::link(r, url);
  add("link", r, url, {});
}

std::vector<const RecordedItem*> RecordingCanvas::with_role(const std::string& role) const {
  std::vector<const RecordedItem*> out;
  for (const auto& i : items_)
    if (i.tag.role == role) out.push_back(&i);
  return out;
}

std::string RecordingCanvas::all_text() const {
  std::string out;
  for (const auto& i : items_)
    if (i.kind == "text" || i.kind == "markup") out += i.text + "\n";
  return out;
}

std::vector<std::pair<const RecordedItem*, const RecordedItem*>> RecordingCanvas::covering_data(const std::string& over) const {
  std::vector<std::pair<const RecordedItem*, const RecordedItem*>> out;
  auto data = with_role("data");
  for (const auto* a : with_role(over))
    for (const auto* d : data)
      if (d->kind == "marker" && a->box.intersects(d->box)) out.push_back({a, d});
  return out;
}

}  // namespace ptr::chart
