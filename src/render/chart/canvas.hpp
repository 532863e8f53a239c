#pragma once
// The drawing surface the chart layer and the pages share: a thin layer over
// a Cairo context with Pango text. It knows points, lines, rectangles and
// text, nothing about benchmarks. User strings are passed as plain text (or
// escaped before any markup), so Pango never interprets them.
#include <string>
#include <unordered_map>
#include <vector>

typedef struct _cairo cairo_t;
typedef struct _cairo_scaled_font cairo_scaled_font_t;
typedef struct _PangoLayout PangoLayout;
typedef struct _PangoFontDescription PangoFontDescription;
typedef struct _PangoFont PangoFont;
typedef struct _PangoContext PangoContext;

namespace ptr::chart {

struct Color {
  double r = 0, g = 0, b = 0, a = 1;
  static Color hex(unsigned rgb, double a = 1) {
    return {((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0, a};
  }
  double luminance() const;  // relative luminance (sRGB), 0..1
};

struct Rect {
  double x = 0, y = 0, w = 0, h = 0;
  double right() const { return x + w; }
  double bottom() const { return y + h; }
  bool intersects(const Rect& o) const { return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom(); }
  bool contains(const Rect& o) const { return o.x >= x && o.y >= y && o.right() <= right() && o.bottom() <= bottom(); }
  Rect inset(double d) const { return {x + d, y + d, w - 2 * d, h - 2 * d}; }
};

enum class Align { left, center, right };
enum class VAlign { top, middle, bottom, baseline };

struct Font {
  double size = 8;
  bool bold = false;
  bool italic = false;
  bool mono = false;
};

// Escapes &, <, >, ' and " for Pango markup.
std::string escape_markup(const std::string& s);
// The same, appended to `out` (no temporary: the SVG writer escapes every attribute).
void append_escaped_markup(std::string& out, const std::string& s);

enum class Shape { circle, x, square, triangle, diamond, star };

struct MarkStyle {
  Shape shape = Shape::circle;
  Color color;
  bool filled = true;
  double size = 3.2;             // radius-like, in points
  bool emphasized_edge = false;  // e.g. a partial point: dark dashed ring
  bool undercount_mark = false;  // e.g. a steady window too short: dark square frame
};

// What the next items drawn mean, for backends that keep it (the recording
// canvas of the page tests, the SVG writer): "data" for data marks, "label"
// for text placed beside them, "note" for boxes and notes; "" = chrome.
struct Tag {
  std::string role;
  std::string id;  // e.g. the cell a data mark stands for
  // Per marker of the next markers() call, when each stands for its own
  // point (the concurrency): the SVG canvas gives each its own element.
  std::vector<std::string> points = {};
  // The series (legend entry) the drawing belongs to, so a browser can hide
  // it; inherited by nested tags that do not name their own.
  std::string series = {};
  // An alternative overlay the browser shows one at a time (page 1's SLA
  // guides per SLA preset: "sla-0" is the campaign's); inherited like series.
  std::string layer = {};
  // One of a page's switchable alternatives (page 1's panels per latency
  // statistic, "stat-p99", or interactivity definition, "inter-tpot"): the
  // browser shows the chosen one of each kind; inherited like series.
  std::string view = {};
};

// The drawing surface the chart layer and the pages share. It knows points,
// lines, rectangles, markers and text, nothing about benchmarks. User strings
// are passed as plain text (or escaped before any markup).
class Canvas {
 public:
  virtual ~Canvas() = default;
  // Text. `markup` versions take Pango markup (callers escape user strings).
  virtual Rect text(double x, double y, const std::string& s, const Font& f, Color c = {}, Align a = Align::left,
                    VAlign v = VAlign::top, double max_width = 0) = 0;
  virtual Rect markup(double x, double y, const std::string& m, const Font& f, Color c = {}, Align a = Align::left,
                      VAlign v = VAlign::top, double max_width = 0) = 0;
  // Size a text would take (width, height), without drawing.
  virtual Rect measure(const std::string& s, const Font& f, double max_width = 0) = 0;
  virtual Rect measure_markup(const std::string& m, const Font& f, double max_width = 0) = 0;
  virtual void text_rotated(double x, double y, const std::string& s, const Font& f, Color c = {}) = 0;  // 90 deg CCW, centred

  virtual void line(double x0, double y0, double x1, double y1, Color c, double width = 0.5, bool dashed = false) = 0;
  // Many straight segments with one style, stroked once (grids, ticks).
  virtual void segments(const std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>>& segs, Color c,
                        double width) = 0;
  virtual void polyline(const std::vector<std::pair<double, double>>& pts, Color c, double width = 0.8, bool dashed = false) = 0;
  virtual void rect_fill(const Rect& r, Color c) = 0;
  virtual void rect_stroke(const Rect& r, Color c, double width = 0.5) = 0;
  virtual void hatch(const Rect& r, Color bg, Color line, double spacing = 4) = 0;
  // Many markers of one style as one path: one PDF fill/stroke instead of one per point.
  virtual void markers(const std::vector<std::pair<double, double>>& at, const MarkStyle& s) = 0;
  // A vertical colour ramp, `stops` from the bottom (t = 0) to the top (t = 1).
  virtual void gradient_rect(const Rect& r, const std::vector<std::pair<double, Color>>& stops) = 0;

  virtual void save() = 0;
  virtual void restore() = 0;
  virtual void clip(const Rect& r) = 0;
  // Makes `r` a link to `url` (an http(s) URL the caller has checked).
  virtual void link(const Rect& r, const std::string& url) = 0;

  virtual void set_tag(const Tag& t) { tag_ = t; }
  const Tag& tag() const { return tag_; }

 protected:
  Tag tag_;
};

// Sets a tag for a scope and restores the previous one.
class TagScope {
 public:
  TagScope(Canvas& c, Tag t) : c_(c), old_(c.tag()) {
    if (t.series.empty()) t.series = old_.series;
    if (t.layer.empty()) t.layer = old_.layer;
    if (t.view.empty()) t.view = old_.view;
    c_.set_tag(std::move(t));
  }
  ~TagScope() { c_.set_tag(old_); }

 private:
  Canvas& c_;
  Tag old_;
};

// Cairo + Pango: text shaping and metrics for every backend (the PDF and SVG
// writers measure and shape through one), and drawing on a Cairo surface
// (the page tests' recording canvas).
class CairoCanvas : public Canvas {
 public:
  explicit CairoCanvas(cairo_t* cr);
  ~CairoCanvas() override;
  CairoCanvas(const CairoCanvas&) = delete;
  CairoCanvas& operator=(const CairoCanvas&) = delete;

  cairo_t* cairo() const { return cr_; }

  Rect text(double x, double y, const std::string& s, const Font& f, Color c = {}, Align a = Align::left,
            VAlign v = VAlign::top, double max_width = 0) override;
  Rect markup(double x, double y, const std::string& m, const Font& f, Color c = {}, Align a = Align::left,
              VAlign v = VAlign::top, double max_width = 0) override;
  Rect measure(const std::string& s, const Font& f, double max_width = 0) override;
  Rect measure_markup(const std::string& m, const Font& f, double max_width = 0) override;
  void text_rotated(double x, double y, const std::string& s, const Font& f, Color c = {}) override;
  void line(double x0, double y0, double x1, double y1, Color c, double width = 0.5, bool dashed = false) override;
  void segments(const std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>>& segs, Color c,
                double width) override;
  void polyline(const std::vector<std::pair<double, double>>& pts, Color c, double width = 0.8, bool dashed = false) override;
  void rect_fill(const Rect& r, Color c) override;
  void rect_stroke(const Rect& r, Color c, double width = 0.5) override;
  void hatch(const Rect& r, Color bg, Color line, double spacing = 4) override;
  void markers(const std::vector<std::pair<double, double>>& at, const MarkStyle& s) override;
  void gradient_rect(const Rect& r, const std::vector<std::pair<double, Color>>& stops) override;
  void save() override;
  void restore() override;
  void clip(const Rect& r) override;
  void link(const Rect& r, const std::string& url) override;
  // How `s` lays out (wrapped at max_width like text() would): the box and,
  // per line, its text and baseline offset from the box's top. For markup,
  // the text without its tags. The SVG canvas places text with it.
  struct Lines {
    Rect box;
    std::vector<std::pair<std::string, double>> lines;
  };
  Lines lines(const std::string& s, const Font& f, double max_width, bool is_markup);
  // How `s` is drawn glyph by glyph (the PDF writer's input): the box text()
  // would return at (0, 0) and each run of glyphs in one font, positioned
  // from the box's top-left corner, with the bytes of `text` each glyph
  // stands for (empty after the first glyph of a cluster). `pango_only`
  // skips the glyph table (text_rotated's metrics). Valid until the next call.
  struct ShapedGlyph {
    unsigned id = 0;
    double x = 0, y = 0;
    unsigned text_at = 0, text_len = 0;
  };
  struct GlyphRun {
    PangoFont* font = nullptr;  // Pango's, alive while this canvas is
    std::vector<ShapedGlyph> glyphs;
  };
  struct Shaped {
    Rect box;
    double baseline = 0;  // the first line's, from the box's top
    std::string text;
    std::vector<GlyphRun> runs;
  };
  const Shaped& shape(const std::string& s, const Font& f, double max_width, bool is_markup, bool pango_only = false);

 private:
  Shaped shaped_;
  // The glyph table's glyph, advance and source length per character of
  // `s`; false when a character is not in the table.
  struct TableGlyph {
    unsigned long glyph;
    double advance;
    unsigned bytes;
  };
  bool table_glyphs(const std::string& s, const Font& f, std::vector<TableGlyph>& out);
  Rect layout_text(PangoLayout* l, double x, double y, Color c, Align a, VAlign v, bool draw);
  // Shaped layouts are cached by (font, width, markup, text): reports repeat
  // the same tick labels and "c=8" tags hundreds of times.
  PangoLayout* shaped(const std::string& s, const Font& f, double max_width, bool is_markup);
  void set_font(PangoLayout* l, const Font& f, double max_width);
  // Plain ASCII text without wrapping (labels, numbers, table cells): one
  // glyph run from a per-font table of the printable ASCII glyphs, shaped once.
  bool fast_text(const std::string& s, const Font& f, double max_width, double x, double y, Color c, Align a, VAlign v,
                 bool draw, Rect& out);
  struct GlyphTable {
    cairo_scaled_font_t* font = nullptr;
    PangoFont* pango_font = nullptr;
    unsigned long glyph[128] = {};
    double advance[128] = {};
    bool has[128] = {};
    // A few non-ASCII signs the pages print often (—, ×, ±, °, ≤, …, ★ ...).
    std::vector<std::pair<char32_t, std::pair<unsigned long, double>>> extra;
    bool extra_tried = false;
    double height = 0, baseline = 0;
  };
  GlyphTable* glyph_table(const Font& f);
  void add_extra_glyphs(GlyphTable& d, const Font& f);
  cairo_t* cr_;
  PangoContext* context_;
  std::unordered_map<std::string, PangoLayout*> cache_;
  std::unordered_map<std::string, GlyphTable> glyph_tables_;
  PangoFontDescription* sans_;
  PangoFontDescription* mono_;
};

// Fails with a clear error if fontconfig/Pango finds no usable font (Pango
// would otherwise crash or draw boxes).
void require_fonts();
// Loads the fonts the report uses into this thread's font map (Pango's
// default font map is per thread), so a renderer can warm up while its
// inputs are still being prepared elsewhere.
void warm_fonts();

}  // namespace ptr::chart
