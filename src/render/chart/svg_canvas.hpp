#pragma once
// The SVG backend of the canvas (the HTML report): text stays text (<text>,
// selectable and searchable), laid out by the same Pango metrics as the PDF;
// every element drawn under a Tag carries it as data-role / data-id, so the
// browser can tie a mark to its cell. Not Cairo's SVG surface, which writes
// glyph outlines and cannot carry attributes.
#include <map>
#include <memory>
#include <set>
#include <string>

#include "render/chart/canvas.hpp"

typedef struct _cairo_surface cairo_surface_t;

namespace ptr::chart {

class SvgCanvas : public Canvas {
 public:
  SvgCanvas(double width, double height);
  ~SvgCanvas() override;
  SvgCanvas(const SvgCanvas&) = delete;
  SvgCanvas& operator=(const SvgCanvas&) = delete;

  // The page as one <svg> element (open groups closed); the canvas is reset.
  std::string take_svg(const std::string& extra_attributes = "");

  // Drawings under a Tag::view not in `shown` travel packed: each run of
  // them becomes <g data-view="..."> holding its SVG gzip + base64 in a
  // <script class="packed"> the report's script inflates when that view is
  // chosen (most readers never switch: the file stays small).
  void pack_views_except(std::set<std::string> shown) { shown_views_ = std::move(shown); packing_views_ = true; }

  void set_tag(const Tag& t) override;
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

 private:
  Rect place_text(double x, double y, const std::string& s, const Font& f, Color c, Align a, VAlign v, double max_width, bool is_markup);
  std::string tag_attributes(bool focusable = false) const;
  double width_, height_;
  std::string out_;
  bool packing_views_ = false;
  std::set<std::string> shown_views_;
  std::string held_;         // the page so far while a packed view's run is written to out_
  std::string packed_view_;  // that view ("" when none)
  void end_packed_run();
  // A marker shape's path data around (0, 0), in tenths of a point.
  struct MarkerOutline {
    long start_x = 0, start_y = 0, end_x = 0, end_y = 0;
    std::string body;  // relative commands after the opening move
  };
  const MarkerOutline& marker_outline(const MarkStyle& s);
  std::map<std::pair<int, long>, MarkerOutline> outlines_;
  std::vector<int> open_groups_;  // per save(): groups opened by clip() since
  int defs_ = 0;                  // ids for clip paths and gradients
  cairo_surface_t* scratch_;      // Pango metrics and marker paths
  cairo_t* cr_;
  std::unique_ptr<CairoCanvas> metrics_;
};

// XML text and attribute values: the escaping Pango markup already uses.
inline std::string xml_escape(const std::string& s) { return escape_markup(s); }

}  // namespace ptr::chart
