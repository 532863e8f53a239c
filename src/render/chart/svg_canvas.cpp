#include "render/chart/svg_canvas.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <cmath>
#include <fmt/format.h>
#include <string_view>

#include "render/chart/shapes.hpp"
#include "util/gzip_base64.hpp"

namespace ptr::chart {

namespace {

std::string rgb(Color c) {
  return fmt::format("#{:02x}{:02x}{:02x}", static_cast<int>(std::lround(c.r * 255)), static_cast<int>(std::lround(c.g * 255)),
                     static_cast<int>(std::lround(c.b * 255)));
}
std::string opacity(const char* what, Color c) { return c.a < 1 ? fmt::format(" {}-opacity=\"{:.3g}\"", what, c.a) : ""; }
// 0.1 pt is far below what a screen shows at any zoom that matters.
// Written from the value in tenths (as path data is), without fmt's parsing.
// A value in tenths as a decimal ("-12.5", "3"), appended.
void append_tenths(std::string& out, long t) {
  if (t < 0) out += '-';
  unsigned long a = static_cast<unsigned long>(std::labs(t));
  fmt::format_int whole(a / 10);
  out.append(whole.data(), whole.size());
  if (a % 10) {
    out += '.';
    out += static_cast<char>('0' + a % 10);
  }
}

std::string num(double v) {
  if (!(std::fabs(v) < 1e15)) return fmt::format("{:.1f}", v);  // not a coordinate: say what it is
  std::string out;
  append_tenths(out, std::lround(v * 10));
  return out;
}

// Path data in tenths of a point: the first move absolute, everything after
// relative to the previous *rounded* point, so rounding never accumulates and
// a marker's outline costs about half the bytes of absolute coordinates.
class PathData {
 public:
  void move(double x, double y) {
    if (d_.empty()) {
      d_ += 'M';
      put(tenth(x), tenth(y), true);
    } else {
      d_ += 'm';
      put(tenth(x) - x_, tenth(y) - y_, true);
    }
    x_ = start_x_ = tenth(x);
    y_ = start_y_ = tenth(y);
    last_ = 'm';
  }
  void line(double x, double y) {
    if (last_ != 'l') d_ += 'l';
    put(tenth(x) - x_, tenth(y) - y_, last_ != 'l');
    last_ = 'l';
    x_ = tenth(x);
    y_ = tenth(y);
  }
  void curve(double x1, double y1, double x2, double y2, double x3, double y3) {
    bool fresh = last_ != 'c';
    if (fresh) d_ += 'c';
    put(tenth(x1) - x_, tenth(y1) - y_, fresh);
    put(tenth(x2) - x_, tenth(y2) - y_, false);
    put(tenth(x3) - x_, tenth(y3) - y_, false);
    last_ = 'c';
    x_ = tenth(x3);
    y_ = tenth(y3);
  }
  void close() {
    d_ += 'z';
    last_ = 'z';
    x_ = start_x_;
    y_ = start_y_;
  }
  // A shape whose outline (`body`, relative commands) was built once: it
  // starts at (x, y) and leaves the pen at (end_x, end_y), all in tenths.
  void place(long x, long y, const std::string& body, long end_x, long end_y) {
    bool first = d_.empty();
    d_ += first ? 'M' : 'm';
    put(first ? x : x - x_, first ? y : y - y_, true);
    d_ += body;
    x_ = end_x;
    y_ = end_y;
    last_ = 0;
  }
  const std::string& str() const { return d_; }
  long x() const { return x_; }
  long y() const { return y_; }
  static long tenth(double v) { return std::lround(v * 10); }

 private:
  void number(long t, bool after_command) {
    if (!after_command && t >= 0) d_ += ' ';  // a minus sign separates by itself
    append_tenths(d_, t);
  }
  void put(long dx, long dy, bool after_command) {
    number(dx, after_command);
    number(dy, false);
  }
  std::string d_;
  long x_ = 0, y_ = 0, start_x_ = 0, start_y_ = 0;
  char last_ = 0;
};

// The sans family is the document's default (CSS): only mono is said.
std::string font_attributes(const Font& f) {
  return fmt::format("{}font-size=\"{:.3g}\"{}{}", f.mono ? "font-family=\"DejaVu Sans Mono, monospace\" " : "", f.size,
                     f.bold ? " font-weight=\"bold\"" : "", f.italic ? " font-style=\"italic\"" : "");
}

}  // namespace

SvgCanvas::SvgCanvas(double width, double height) : width_(width), height_(height) {
  // A PDF surface that writes nothing: text is measured with the PDF's own
  // metrics (unhinted), so it lays out exactly as in the PDF, and the fonts
  // warm_fonts() loaded for the PDF are the ones used here.
  scratch_ = cairo_pdf_surface_create_for_stream([](void*, const unsigned char*, unsigned int) { return CAIRO_STATUS_SUCCESS; }, nullptr,
                                                 width, height);
  cr_ = cairo_create(scratch_);
  metrics_ = std::make_unique<CairoCanvas>(cr_);
}

SvgCanvas::~SvgCanvas() {
  metrics_.reset();
  cairo_destroy(cr_);
  cairo_surface_destroy(scratch_);
}

void SvgCanvas::set_tag(const Tag& t) {
  if (t.view != tag_.view) {
    end_packed_run();
    if (packing_views_ && !t.view.empty() && !shown_views_.count(t.view)) {
      held_.swap(out_);
      packed_view_ = t.view;
    }
  }
  Canvas::set_tag(t);
}

void SvgCanvas::end_packed_run() {
  if (packed_view_.empty()) return;
  std::string run;
  run.swap(out_);
  out_.swap(held_);
  // Level 1: a third of the time of the default for a few percent more bytes.
  fmt::format_to(std::back_inserter(out_), "<g data-view=\"{}\"><script type=\"application/gzip;base64\" class=\"packed\">{}</script></g>\n", xml_escape(packed_view_),
                      gzip_base64(run, 1, "report.html"));
  packed_view_.clear();
}

std::string SvgCanvas::take_svg(const std::string& extra) {
  end_packed_run();
  while (!open_groups_.empty()) restore();
  std::string svg = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" class=\"page\"{}>\n", num(width_), num(height_), extra);
  svg += out_;
  svg += "</svg>\n";
  out_.clear();
  return svg;
}

std::string SvgCanvas::tag_attributes(bool focusable) const {
  std::string a;
  // ` name="value"`, the value escaped as XML, appended in place: this runs
  // for every element of every page.
  auto attr = [&a](const char* name, const std::string& value) {
    a += ' ';
    a += name;
    a += "=\"";
    append_escaped_markup(a, value);
    a += '"';
  };
  if (!tag_.series.empty()) attr("data-series", tag_.series);
  if (!tag_.layer.empty()) attr("data-layer", tag_.layer);
  if (!tag_.view.empty()) attr("data-view", tag_.view);
  if (tag_.role.empty() && tag_.id.empty()) return a;
  attr("data-role", tag_.role);
  if (!tag_.id.empty()) attr("data-id", tag_.id);
  if (tag_.role == "legend") a += " tabindex=\"0\" class=\"legend\"";
  if (tag_.points.size() == 1) {
    attr("data-c", tag_.points[0]);
    // Marks and cells take keyboard focus; the texts inside them do not.
    if (focusable) a += " tabindex=\"0\" class=\"mark\"";
  }
  return a;
}

Rect SvgCanvas::place_text(double x, double y, const std::string& s, const Font& f, Color c, Align a, VAlign v, double max_width,
                           bool is_markup) {
  CairoCanvas::Lines l = metrics_->lines(s, f, max_width, is_markup);
  double w = l.box.w, h = l.box.h;
  double left = a == Align::left ? x : a == Align::center ? x - w / 2.0 : x - w;
  double top = y;
  if (v == VAlign::middle) top = y - h / 2.0;
  else if (v == VAlign::bottom) top = y - h;
  else if (v == VAlign::baseline) top = y - (l.lines.empty() ? 0 : l.lines.front().second);
  if (!l.lines.empty()) {
    // Pango's lines start at the layout's left edge; one-line texts anchor at
    // their own alignment point so the browser's font keeps them in place.
    const char* anchor = l.lines.size() == 1 && a == Align::right ? "end" : l.lines.size() == 1 && a == Align::center ? "middle" : "start";
    double ax = l.lines.size() == 1 && a == Align::right ? left + w : l.lines.size() == 1 && a == Align::center ? left + w / 2 : left;
    fmt::format_to(std::back_inserter(out_), "<text {} fill=\"{}\"{}{}{}>", font_attributes(f), rgb(c), opacity("fill", c),
                        std::string_view(anchor) == "start" ? "" : fmt::format(" text-anchor=\"{}\"", anchor), tag_attributes());
    for (const auto& [line, baseline] : l.lines)
      fmt::format_to(std::back_inserter(out_), "<tspan x=\"{}\" y=\"{}\">{}</tspan>", num(ax), num(top + baseline), xml_escape(line));
    out_ += "</text>\n";
  }
  return {left, top, w, h};
}

Rect SvgCanvas::text(double x, double y, const std::string& s, const Font& f, Color c, Align a, VAlign v, double max_width) {
  return place_text(x, y, s, f, c, a, v, max_width, false);
}
Rect SvgCanvas::markup(double x, double y, const std::string& m, const Font& f, Color c, Align a, VAlign v, double max_width) {
  return place_text(x, y, m, f, c, a, v, max_width, true);
}
Rect SvgCanvas::measure(const std::string& s, const Font& f, double max_width) { return metrics_->measure(s, f, max_width); }
Rect SvgCanvas::measure_markup(const std::string& m, const Font& f, double max_width) { return metrics_->measure_markup(m, f, max_width); }

void SvgCanvas::text_rotated(double x, double y, const std::string& s, const Font& f, Color c) {
  fmt::format_to(std::back_inserter(out_), "<text {} fill=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\" transform=\"rotate(-90 {} {})\" x=\"{}\" y=\"{}\"{}>{}</text>\n",
                      font_attributes(f), rgb(c), num(x), num(y), num(x), num(y), tag_attributes(), xml_escape(s));
}

void SvgCanvas::line(double x0, double y0, double x1, double y1, Color c, double width, bool dashed) {
  fmt::format_to(std::back_inserter(out_), "<path d=\"M{} {}L{} {}\" stroke=\"{}\"{} stroke-width=\"{:.3g}\" fill=\"none\"{}{}/>\n", num(x0), num(y0), num(x1), num(y1),
                      rgb(c), opacity("stroke", c), width, dashed ? " stroke-dasharray=\"3 2\"" : "", tag_attributes());
}

void SvgCanvas::segments(const std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>>& segs, Color c, double width) {
  if (segs.empty()) return;
  PathData path;
  for (const auto& [a, b] : segs) {
    path.move(a.first, a.second);
    path.line(b.first, b.second);
  }
  const std::string& d = path.str();
  fmt::format_to(std::back_inserter(out_), "<path d=\"{}\" stroke=\"{}\"{} stroke-width=\"{:.3g}\" fill=\"none\"{}/>\n", d, rgb(c), opacity("stroke", c), width, tag_attributes());
}

void SvgCanvas::polyline(const std::vector<std::pair<double, double>>& pts, Color c, double width, bool dashed) {
  if (pts.size() < 2) return;
  PathData path;
  path.move(pts[0].first, pts[0].second);
  for (size_t i = 1; i < pts.size(); ++i) path.line(pts[i].first, pts[i].second);
  const std::string& d = path.str();
  fmt::format_to(std::back_inserter(out_), "<path d=\"{}\" stroke=\"{}\"{} stroke-width=\"{:.3g}\" fill=\"none\" stroke-linejoin=\"round\"{}{}/>\n", d, rgb(c),
                      opacity("stroke", c), width, dashed ? " stroke-dasharray=\"3 2\"" : "", tag_attributes());
}

void SvgCanvas::rect_fill(const Rect& r, Color c) {
  fmt::format_to(std::back_inserter(out_), "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}{}/>\n", num(r.x), num(r.y), num(r.w), num(r.h), rgb(c),
                      opacity("fill", c), tag_attributes(true));
}

void SvgCanvas::rect_stroke(const Rect& r, Color c, double width) {
  fmt::format_to(std::back_inserter(out_), "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\"{} stroke-width=\"{:.3g}\"{}/>\n", num(r.x), num(r.y),
                      num(r.w), num(r.h), rgb(c), opacity("stroke", c), width, tag_attributes());
}

void SvgCanvas::hatch(const Rect& r, Color bg, Color line_color, double spacing) {
  rect_fill(r, bg);
  save();
  clip(r);
  std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>> segs;
  for (double d = -r.h; d < r.w; d += spacing) segs.push_back({{r.x + d, r.bottom()}, {r.x + d + r.h, r.y}});
  segments(segs, line_color, 0.5);
  restore();
}

void SvgCanvas::markers(const std::vector<std::pair<double, double>>& at, const MarkStyle& s) {
  if (at.empty()) return;
  // The PDF's own shapes: built as a Cairo path, copied into path data.
  auto path_of = [&](auto&& build) {
    cairo_new_path(cr_);
    build();
    cairo_path_t* p = cairo_copy_path(cr_);
    PathData d;
    for (int i = 0; i < p->num_data; i += p->data[i].header.length) {
      const cairo_path_data_t* e = &p->data[i];
      switch (e->header.type) {
        case CAIRO_PATH_MOVE_TO: d.move(e[1].point.x, e[1].point.y); break;
        case CAIRO_PATH_LINE_TO: d.line(e[1].point.x, e[1].point.y); break;
        case CAIRO_PATH_CURVE_TO: d.curve(e[1].point.x, e[1].point.y, e[2].point.x, e[2].point.y, e[3].point.x, e[3].point.y); break;
        case CAIRO_PATH_CLOSE_PATH: d.close(); break;
      }
    }
    cairo_path_destroy(p);
    cairo_new_path(cr_);
    return d.str();
  };
  if (tag_.points.size() == at.size() && at.size() > 1) {
    // One element per point: each carries its concurrency and takes keyboard focus.
    Tag whole = tag_;
    for (size_t i = 0; i < at.size(); ++i) {
      tag_.points = {whole.points[i]};
      markers({at[i]}, s);
    }
    tag_ = whole;
    return;
  }
  // Each marker is its shape's outline, built once per (shape, size) around
  // a centre rounded to the tenth, then placed: every marker of a style is
  // the same outline, and no Cairo path is built per point.
  const MarkerOutline& outline = marker_outline(s);
  PathData placed;
  for (const auto& [x, y] : at) {
    long cx = PathData::tenth(x), cy = PathData::tenth(y);
    placed.place(cx + outline.start_x, cy + outline.start_y, outline.body, cx + outline.end_x, cy + outline.end_y);
  }
  const std::string& d = placed.str();
  if (s.shape == Shape::x)
    fmt::format_to(std::back_inserter(out_), "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{}/>\n", d, rgb(s.color), s.filled ? "1.6" : "0.9", tag_attributes(true));
  else if (s.filled)
    fmt::format_to(std::back_inserter(out_), "<path d=\"{}\" fill=\"{}\"{}{}/>\n", d, rgb(s.color), opacity("fill", s.color), tag_attributes(true));
  else
    fmt::format_to(std::back_inserter(out_), "<path d=\"{}\" fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"1.1\"{}/>\n", d, rgb(s.color), tag_attributes(true));
  if (s.emphasized_edge) {
    std::string ring = path_of([&] {
      for (const auto& [x, y] : at) add_circle(cr_, x, y, s.size + 1.6);
    });
    fmt::format_to(std::back_inserter(out_), "<path d=\"{}\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"0.6\" stroke-dasharray=\"1.2 1.2\"{}/>\n", ring,
                        tag_attributes());
  }
  if (s.undercount_mark) {
    std::string frames;
    for (const auto& [x, y] : at) {
      double q = s.size + 2.2;
      frames += fmt::format("M{} {}h{}v{}h{}Z", num(x - q), num(y - q), num(2 * q), num(2 * q), num(-2 * q));
    }
    fmt::format_to(std::back_inserter(out_), "<path d=\"{}\" fill=\"none\" stroke=\"#262626\" stroke-width=\"0.6\"{}/>\n", frames, tag_attributes());
  }
}

const SvgCanvas::MarkerOutline& SvgCanvas::marker_outline(const MarkStyle& s) {
  auto key = std::make_pair(static_cast<int>(s.shape), std::lround(s.size * 1000));
  auto it = outlines_.find(key);
  if (it != outlines_.end()) return it->second;
  cairo_new_path(cr_);
  add_shape(cr_, 0, 0, s);
  cairo_path_t* p = cairo_copy_path(cr_);
  PathData d;
  size_t head = 0;
  MarkerOutline o;
  for (int i = 0; i < p->num_data; i += p->data[i].header.length) {
    const cairo_path_data_t* e = &p->data[i];
    switch (e->header.type) {
      case CAIRO_PATH_MOVE_TO:
        d.move(e[1].point.x, e[1].point.y);
        if (i == 0) {
          o.start_x = d.x();
          o.start_y = d.y();
          head = d.str().size();
        }
        break;
      case CAIRO_PATH_LINE_TO: d.line(e[1].point.x, e[1].point.y); break;
      case CAIRO_PATH_CURVE_TO: d.curve(e[1].point.x, e[1].point.y, e[2].point.x, e[2].point.y, e[3].point.x, e[3].point.y); break;
      case CAIRO_PATH_CLOSE_PATH: d.close(); break;
    }
  }
  cairo_path_destroy(p);
  cairo_new_path(cr_);
  o.body = d.str().substr(head);
  o.end_x = d.x();
  o.end_y = d.y();
  return outlines_.emplace(key, std::move(o)).first->second;
}

void SvgCanvas::gradient_rect(const Rect& r, const std::vector<std::pair<double, Color>>& stops) {
  std::string id = fmt::format("g{}", ++defs_);
  fmt::format_to(std::back_inserter(out_), "<defs><linearGradient id=\"{}\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">", id);
  for (const auto& [t, c] : stops) fmt::format_to(std::back_inserter(out_), "<stop offset=\"{:.4g}\" stop-color=\"{}\"/>", t, rgb(c));
  fmt::format_to(std::back_inserter(out_), "</linearGradient></defs><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"url(#{})\"{}/>\n", num(r.x),
                      num(r.y), num(r.w), num(r.h), id, tag_attributes());
}

void SvgCanvas::save() { open_groups_.push_back(0); }

void SvgCanvas::restore() {
  if (open_groups_.empty()) return;
  for (int i = 0; i < open_groups_.back(); ++i) out_ += "</g>\n";
  open_groups_.pop_back();
}

void SvgCanvas::clip(const Rect& r) {
  std::string id = fmt::format("c{}", ++defs_);
  fmt::format_to(std::back_inserter(out_), "<clipPath id=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath><g clip-path=\"url(#{})\">\n", id, num(r.x),
                      num(r.y), num(r.w), num(r.h), id);
  if (open_groups_.empty()) open_groups_.push_back(0);
  ++open_groups_.back();
}

void SvgCanvas::link(const Rect& r, const std::string& url) {
  fmt::format_to(std::back_inserter(out_), "<a href=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"transparent\"/></a>\n", xml_escape(url), num(r.x),
                      num(r.y), num(r.w), num(r.h));
}

}  // namespace ptr::chart
