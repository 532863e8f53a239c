#include "render/chart/pdf_canvas.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>

#include "render/chart/shapes.hpp"
#include "render/chart/truetype.hpp"
#include "util/error.hpp"

namespace ptr::chart {

namespace {

// A coordinate in hundredths of a point. Non-finite or absurd values (a
// chart bug, never data: pages filter those) are clamped so the file stays
// readable: PDF readers reject numbers far outside a page.
long hundredths(double v) {
  if (!std::isfinite(v)) return 0;
  return std::lround(std::clamp(v, -1e6, 1e6) * 100);
}

// A value in hundredths as a decimal ("-12.5", "3", "0.07"), appended.
void append_hundredths(std::string& out, long h) {
  if (h < 0) out += '-';
  unsigned long a = static_cast<unsigned long>(std::labs(h));
  fmt::format_int whole(a / 100);
  out.append(whole.data(), whole.size());
  unsigned long frac = a % 100;
  if (frac) {
    out += '.';
    out += static_cast<char>('0' + frac / 10);
    if (frac % 10) out += static_cast<char>('0' + frac % 10);
  }
}

// A colour channel, 0..1, in thousandths ("0.251", "1", "0").
void append_channel(std::string& out, double v) {
  long t = std::lround(std::clamp(v, 0.0, 1.0) * 1000);
  if (t == 1000) {
    out += '1';
    return;
  }
  if (t == 0) {
    out += '0';
    return;
  }
  out += "0.";
  char digits[3] = {static_cast<char>('0' + t / 100), static_cast<char>('0' + t / 10 % 10), static_cast<char>('0' + t % 10)};
  int n = digits[2] != '0' ? 3 : digits[1] != '0' ? 2 : 1;
  out.append(digits, static_cast<size_t>(n));
}

long color_key(Color c) {
  auto q = [](double v) { return std::lround(std::clamp(v, 0.0, 1.0) * 1000); };
  return (q(c.r) << 20) | (q(c.g) << 10) | q(c.b);
}

// A glyph id as the two bytes of its Identity-H code inside a literal
// string: half the size of hex, and what deflate then sees.
void append_glyph_code(std::string& out, unsigned id) {
  for (unsigned char b : {static_cast<unsigned char>((id >> 8) & 0xff), static_cast<unsigned char>(id & 0xff)}) {
    switch (b) {
      case '(': out += "\\("; break;
      case ')': out += "\\)"; break;
      case '\\': out += "\\\\"; break;
      case '\r': out += "\\r"; break;  // a raw CR would be read as a line end
      case '\n': out += "\\n"; break;
      default: out.push_back(static_cast<char>(b));
    }
  }
}

}  // namespace

PdfCanvas::PdfCanvas(PdfDocument& doc) : doc_(doc) {
  // Text is measured with the PDF's own metrics (unhinted) on a surface that
  // writes nothing, exactly as the SVG writer measures it.
  scratch_ = cairo_pdf_surface_create_for_stream([](void*, const unsigned char*, unsigned int) { return CAIRO_STATUS_SUCCESS; }, nullptr,
                                                 doc.width(), doc.height());
  cr_ = cairo_create(scratch_);
  metrics_ = std::make_unique<CairoCanvas>(cr_);
  begin_page();
}

PdfCanvas::~PdfCanvas() {
  metrics_.reset();
  cairo_destroy(cr_);
  cairo_surface_destroy(scratch_);
}

void PdfCanvas::begin_page() {
  out_.clear();
  out_.reserve(page_bytes_hint_);  // grown once, not by doubling through every page
  state_ = State{};
  saved_.clear();
  // Top-left origin, y down: the canvas's coordinates, written as they are.
  out_ += "1 0 0 -1 0 ";
  append_hundredths(out_, hundredths(doc_.height()));
  out_ += " cm\n";
}

PdfCanvas::Page PdfCanvas::take_page() {
  while (!saved_.empty()) restore();
  for (auto& [font, glyphs] : new_glyphs_) doc_.use_glyphs(font, glyphs);
  new_glyphs_.clear();
  page_bytes_hint_ = std::max(page_bytes_hint_, out_.size() + out_.size() / 4);
  Page page{std::move(out_), std::move(links_)};
  out_ = {};
  links_ = {};
  begin_page();
  return page;
}

void PdfCanvas::num(double v) {
  append_hundredths(out_, hundredths(v));
  out_ += ' ';
}

void PdfCanvas::op(const char* o) {
  out_ += o;
  out_ += '\n';
}

void PdfCanvas::move(double x, double y) {
  num(x);
  num(y);
  out_ += "m ";
}

void PdfCanvas::line_to(double x, double y) {
  num(x);
  num(y);
  out_ += "l ";
}

void PdfCanvas::rect_path(const Rect& r) {
  num(r.x);
  num(r.y);
  num(r.w);
  num(r.h);
  out_ += "re ";
}

void PdfCanvas::set_alpha(double a) {
  long key = std::lround(std::clamp(a, 0.0, 1.0) * 1000);
  if (key == state_.alpha) return;
  state_.alpha = key;
  fmt::format_to(std::back_inserter(out_), "/G{} gs\n", doc_.alpha_state(key / 1000.0));
}

void PdfCanvas::set_color(Color c, long& current, const char* op) {
  set_alpha(c.a);
  long key = color_key(c);
  if (key == current) return;
  current = key;
  for (double channel : {c.r, c.g, c.b}) {
    append_channel(out_, channel);
    out_ += ' ';
  }
  out_ += op;
  out_ += '\n';
}

void PdfCanvas::set_fill(Color c) { set_color(c, state_.fill, "rg"); }
void PdfCanvas::set_stroke(Color c) { set_color(c, state_.stroke, "RG"); }

void PdfCanvas::set_width(double w) {
  long h = hundredths(w);
  if (h == state_.width) return;
  state_.width = h;
  append_hundredths(out_, h);
  out_ += " w\n";
}

void PdfCanvas::set_dash(int dash) {
  if (dash == state_.dash) return;
  state_.dash = dash;
  op(dash == 1 ? "[3 2] 0 d" : dash == 2 ? "[1.2 1.2] 0 d" : "[] 0 d");
}

void PdfCanvas::set_join(int join) {
  if (join == state_.join) return;
  state_.join = join;
  op(join == 1 ? "1 j" : "0 j");
}

PdfCanvas::FontInfo& PdfCanvas::font_info(PangoFont* font) {
  auto it = fonts_.find(font);
  if (it != fonts_.end()) return it->second;
  FontInfo info;
  FcPattern* pattern = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
  FcChar8* file = nullptr;
  int index = 0;
  if (!pattern || FcPatternGetString(pattern, FC_FILE, 0, &file) != FcResultMatch || !file)
    throw_io("fontconfig", "a font Pango chose has no file to embed in the PDF");
  FcPatternGetInteger(pattern, FC_INDEX, 0, &index);
  FcChar8* ps_name = nullptr;
  FcPatternGetString(pattern, FC_POSTSCRIPT_NAME, 0, &ps_name);
  FcMatrix* matrix = nullptr;
  if (FcPatternGetMatrix(pattern, FC_MATRIX, 0, &matrix) == FcResultMatch && matrix) info.shear = matrix->xy;
  FcBool embolden = FcFalse;
  if (FcPatternGetBool(pattern, FC_EMBOLDEN, 0, &embolden) == FcResultMatch) info.embolden = embolden;
  info.ref = doc_.font(reinterpret_cast<const char*>(file), index, ps_name ? reinterpret_cast<const char*>(ps_name) : "Font");
  PangoFontDescription* d = pango_font_describe_with_absolute_size(font);
  info.size = pango_font_description_get_size(d) / static_cast<double>(PANGO_SCALE);
  pango_font_description_free(d);
  info.seen.assign(static_cast<size_t>(info.ref.metrics->num_glyphs()), 0);
  return fonts_.emplace(font, std::move(info)).first->second;
}

// The document learns each glyph once per canvas, with the text it stands
// for (a glyph first met as a cluster's later glyph, without text, is told
// again when met with it).
void PdfCanvas::note_glyph(FontInfo& fi, std::vector<std::pair<unsigned, std::string>>& fresh, const CairoCanvas::ShapedGlyph& g,
                           const std::string& text) {
  if (g.id >= fi.seen.size()) return;
  char level = g.text_len ? 2 : 1;
  if (fi.seen[g.id] >= level) return;
  fi.seen[g.id] = level;
  fresh.push_back({g.id, text.substr(g.text_at, g.text_len)});
}

Rect PdfCanvas::draw_shaped(double x, double y, const std::string& s, const Font& f, Color c, Align a, VAlign v, double max_width,
                            bool is_markup) {
  const CairoCanvas::Shaped& sh = metrics_->shape(s, f, max_width, is_markup);
  double w = sh.box.w, h = sh.box.h;
  double left = a == Align::left ? x : a == Align::center ? x - w / 2.0 : x - w;
  double top = v == VAlign::middle ? y - h / 2.0 : v == VAlign::bottom ? y - h : v == VAlign::baseline ? y - sh.baseline : y;
  if (sh.runs.empty()) return {left, top, w, h};
  set_fill(c);
  out_ += "BT\n";
  for (const auto& run : sh.runs) {
    FontInfo& fi = font_info(run.font);
    if (fi.embolden) {
      set_stroke(c);
      set_width(fi.size / 30);
    }
    fmt::format_to(std::back_inserter(out_), "/F{} ", fi.ref.id);
    append_hundredths(out_, hundredths(fi.size));
    out_ += fi.embolden ? " Tf 2 Tr\n" : " Tf\n";
    auto& fresh = new_glyphs_[fi.ref.id];
    bool open = false, in_string = false;
    double pen = 0, line_y = 0;
    for (const auto& g : run.glyphs) {
      double gx = left + g.x, gy = top + g.y;
      if (!open || std::fabs(gy - line_y) > 0.005) {
        if (in_string) out_ += ')';
        in_string = false;
        if (open) out_ += "]TJ\n";
        out_ += "1 0 ";
        append_channel(out_, fi.shear);  // a slant below 1
        out_ += " -1 ";
        num(gx);
        num(gy);
        out_ += "Tm [";
        open = true;
        pen = gx;
        line_y = gy;
      }
      // Each glyph where Pango placed it: a TJ adjustment (thousandths of
      // the size) only where that differs from the font's own advance by
      // more than a fiftieth of a point (kerning, a tab, Pango's rounding).
      if (std::fabs(pen - gx) > 0.02) {
        long adjust = std::lround((pen - gx) * 1000 / fi.size);
        if (in_string) out_ += ')';
        in_string = false;
        fmt::format_int n(adjust);
        out_.append(n.data(), n.size());
        pen -= adjust * fi.size / 1000;
      }
      if (!in_string) out_ += '(';
      in_string = true;
      append_glyph_code(out_, g.id);
      pen += fi.ref.metrics->advance_1000(g.id) * fi.size / 1000;
      note_glyph(fi, fresh, g, sh.text);
    }
    if (in_string) out_ += ')';
    if (open) out_ += "]TJ\n";
    if (fi.embolden) out_ += "0 Tr\n";
  }
  out_ += "ET\n";
  return {left, top, w, h};
}

Rect PdfCanvas::text(double x, double y, const std::string& s, const Font& f, Color c, Align a, VAlign v, double max_width) {
  return draw_shaped(x, y, s, f, c, a, v, max_width, false);
}
Rect PdfCanvas::markup(double x, double y, const std::string& m, const Font& f, Color c, Align a, VAlign v, double max_width) {
  return draw_shaped(x, y, m, f, c, a, v, max_width, true);
}
Rect PdfCanvas::measure(const std::string& s, const Font& f, double max_width) { return metrics_->measure(s, f, max_width); }
Rect PdfCanvas::measure_markup(const std::string& m, const Font& f, double max_width) { return metrics_->measure_markup(m, f, max_width); }

void PdfCanvas::text_rotated(double x, double y, const std::string& s, const Font& f, Color c) {
  // As Cairo draws it: the layout centred on (x, y), turned 90 degrees
  // counter-clockwise. A point (u, v) of the layout lands at (x + v', y - u')
  // with (u', v') measured from the layout's centre.
  const CairoCanvas::Shaped& sh = metrics_->shape(s, f, 0, false, true);
  double w = std::round(sh.box.w), h = std::round(sh.box.h);
  if (sh.runs.empty()) return;
  set_fill(c);
  out_ += "BT\n";
  for (const auto& run : sh.runs) {
    FontInfo& fi = font_info(run.font);
    fmt::format_to(std::back_inserter(out_), "/F{} ", fi.ref.id);
    append_hundredths(out_, hundredths(fi.size));
    out_ += " Tf\n";
    auto& fresh = new_glyphs_[fi.ref.id];
    for (const auto& g : run.glyphs) {
      double u = -w / 2.0 + g.x, v = -h / 2.0 + g.y;
      out_ += "0 -1 -1 ";
      if (fi.shear != 0) out_ += '-';
      append_channel(out_, fi.shear);
      out_ += ' ';
      num(x + v);
      num(y - u);
      out_ += "Tm (";
      append_glyph_code(out_, g.id);
      out_ += ")Tj\n";
      note_glyph(fi, fresh, g, sh.text);
    }
  }
  out_ += "ET\n";
}

void PdfCanvas::line(double x0, double y0, double x1, double y1, Color c, double width, bool dashed) {
  set_stroke(c);
  set_width(width);
  set_dash(dashed ? 1 : 0);
  move(x0, y0);
  line_to(x1, y1);
  op("S");
}

void PdfCanvas::segments(const std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>>& segs, Color c, double width) {
  if (segs.empty()) return;
  set_stroke(c);
  set_width(width);
  set_dash(0);
  for (const auto& [a, b] : segs) {
    move(a.first, a.second);
    line_to(b.first, b.second);
  }
  op("S");
}

void PdfCanvas::polyline(const std::vector<std::pair<double, double>>& pts, Color c, double width, bool dashed) {
  if (pts.size() < 2) return;
  set_stroke(c);
  set_width(width);
  set_dash(dashed ? 1 : 0);
  set_join(1);
  move(pts[0].first, pts[0].second);
  for (size_t i = 1; i < pts.size(); ++i) line_to(pts[i].first, pts[i].second);
  op("S");
}

void PdfCanvas::rect_fill(const Rect& r, Color c) {
  set_fill(c);
  rect_path(r);
  op("f");
}

void PdfCanvas::rect_stroke(const Rect& r, Color c, double width) {
  set_stroke(c);
  set_width(width);
  set_dash(0);
  rect_path(r);
  op("S");
}

void PdfCanvas::hatch(const Rect& r, Color bg, Color line_color, double spacing) {
  rect_fill(r, bg);
  save();
  clip(r);
  std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>> segs;
  for (double d = -r.h; d < r.w; d += spacing) segs.push_back({{r.x + d, r.bottom()}, {r.x + d + r.h, r.y}});
  segments(segs, line_color, 0.5);
  restore();
}

const PdfCanvas::Outline& PdfCanvas::outline(const MarkStyle& s) {
  auto key = std::make_pair(static_cast<int>(s.shape), std::lround(s.size * 1000));
  auto it = outlines_.find(key);
  if (it != outlines_.end()) return it->second;
  // The shape as the chart layer defines it (a Cairo path), kept relative to its centre.
  cairo_new_path(cr_);
  add_shape(cr_, 0, 0, s);
  cairo_path_t* p = cairo_copy_path(cr_);
  Outline o;
  for (int i = 0; i < p->num_data; i += p->data[i].header.length) {
    const cairo_path_data_t* e = &p->data[i];
    switch (e->header.type) {
      case CAIRO_PATH_MOVE_TO: o.ops.push_back({'m', {hundredths(e[1].point.x), hundredths(e[1].point.y)}}); break;
      case CAIRO_PATH_LINE_TO: o.ops.push_back({'l', {hundredths(e[1].point.x), hundredths(e[1].point.y)}}); break;
      case CAIRO_PATH_CURVE_TO:
        o.ops.push_back({'c', {hundredths(e[1].point.x), hundredths(e[1].point.y), hundredths(e[2].point.x), hundredths(e[2].point.y),
                               hundredths(e[3].point.x), hundredths(e[3].point.y)}});
        break;
      case CAIRO_PATH_CLOSE_PATH: o.ops.push_back({'h', {}}); break;
    }
  }
  cairo_path_destroy(p);
  cairo_new_path(cr_);
  return outlines_.emplace(key, std::move(o)).first->second;
}

void PdfCanvas::place(const Outline& o, long cx, long cy) {
  for (const auto& [kind, pts] : o.ops) {
    for (size_t i = 0; i < pts.size(); i += 2) {
      append_hundredths(out_, cx + pts[i]);
      out_ += ' ';
      append_hundredths(out_, cy + pts[i + 1]);
      out_ += ' ';
    }
    out_ += kind;
    out_ += ' ';
  }
}

void PdfCanvas::markers(const std::vector<std::pair<double, double>>& at, const MarkStyle& s) {
  if (at.empty()) return;
  // Every marker of a style is one outline placed at its centre (rounded to
  // the hundredth), all in one path: one fill or stroke per call.
  const Outline& shape = outline(s);
  for (const auto& [x, y] : at) place(shape, hundredths(x), hundredths(y));
  set_dash(0);
  if (s.shape == Shape::x) {
    set_stroke(s.color);
    set_width(s.filled ? 1.6 : 0.9);
    op("S");
  } else if (s.filled) {
    set_fill(s.color);
    op("f");
  } else {
    set_fill({1, 1, 1, s.color.a});
    set_stroke(s.color);
    set_width(1.1);
    op("B");
  }
  if (s.emphasized_edge) {
    MarkStyle ring{Shape::circle, {}, false, s.size + 1.6};
    const Outline& circle = outline(ring);
    for (const auto& [x, y] : at) place(circle, hundredths(x), hundredths(y));
    set_dash(2);
    set_stroke({0.1, 0.1, 0.1});
    set_width(0.6);
    op("S");
    set_dash(0);
  }
  if (s.undercount_mark) {
    // A square frame: the steady window was too short for the throughput.
    double d = s.size + 2.2;
    for (const auto& [x, y] : at) rect_path({x - d, y - d, 2 * d, 2 * d});
    set_stroke({0.15, 0.15, 0.15});
    set_width(0.6);
    op("S");
  }
}

void PdfCanvas::gradient_rect(const Rect& r, const std::vector<std::pair<double, Color>>& stops) {
  if (stops.empty()) return;
  // An axial shading from the bottom (t = 0) to the top (t = 1): one type 2
  // function per pair of neighbouring stops, stitched.
  auto rgb = [](Color c) { return fmt::format("{:.3f} {:.3f} {:.3f}", c.r, c.g, c.b); };
  std::string function;
  if (stops.size() == 1) {
    function = fmt::format("<< /FunctionType 2 /Domain [0 1] /C0 [{}] /C1 [{}] /N 1 >>", rgb(stops[0].second), rgb(stops[0].second));
  } else {
    std::string parts, bounds, encode;
    for (size_t i = 0; i + 1 < stops.size(); ++i) {
      parts += fmt::format("<< /FunctionType 2 /Domain [0 1] /C0 [{}] /C1 [{}] /N 1 >> ", rgb(stops[i].second), rgb(stops[i + 1].second));
      if (i > 0) bounds += fmt::format("{:.4f} ", stops[i].first);
      encode += "0 1 ";
    }
    function = fmt::format("<< /FunctionType 3 /Domain [{:.4f} {:.4f}] /Functions [{}] /Bounds [{}] /Encode [{}] >>", stops.front().first,
                           stops.back().first, parts, bounds, encode);
  }
  int id = doc_.shading(fmt::format("/ShadingType 2 /ColorSpace /DeviceRGB /Coords [{:.2f} {:.2f} {:.2f} {:.2f}] /Extend [true true] /Function {}",
                                    r.x, r.bottom(), r.x, r.y, function));
  save();
  clip(r);
  fmt::format_to(std::back_inserter(out_), "/Sh{} sh\n", id);
  restore();
}

void PdfCanvas::save() {
  saved_.push_back(state_);
  op("q");
}

void PdfCanvas::restore() {
  if (saved_.empty()) return;
  state_ = saved_.back();
  saved_.pop_back();
  op("Q");
}

void PdfCanvas::clip(const Rect& r) {
  rect_path(r);
  op("W n");
}

void PdfCanvas::link(const Rect& r, const std::string& url) {
  if (url.find_first_of("'\\ ") != std::string::npos) return;  // as the other backends: only plain URLs
  links_.push_back({r, url});
}

}  // namespace ptr::chart
