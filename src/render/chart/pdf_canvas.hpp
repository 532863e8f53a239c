#pragma once
// The PDF backend of the canvas: each page's content stream written directly
// (PDF operators, coordinates in hundredths of a point), text as glyph runs
// shaped by the same Pango metrics as every other backend, fonts and shared
// resources kept by a PdfDocument.
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "render/chart/canvas.hpp"
#include "render/chart/pdf_document.hpp"

typedef struct _cairo_surface cairo_surface_t;

namespace ptr::chart {

class PdfCanvas : public Canvas {
 public:
  explicit PdfCanvas(PdfDocument& doc);
  ~PdfCanvas() override;
  PdfCanvas(const PdfCanvas&) = delete;
  PdfCanvas& operator=(const PdfCanvas&) = delete;

  // The page drawn since the last call (its content stream and links); the
  // glyphs it used are recorded in the document. The canvas starts a new page.
  struct Page {
    std::string content;
    std::vector<PdfDocument::Link> links;
  };
  Page take_page();

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
  // What the content stream has set, so each operator is written only when
  // it changes something (q/Q save and restore it).
  struct State {
    long fill = 0, stroke = 0;  // colour_key() of each: black to start
    long alpha = 1000;
    long width = 100;  // hundredths
    int dash = 0;      // 0 none, 1 the 3-2 dash, 2 the 1.2 ring dash
    int join = 0;
  };
  void begin_page();
  void set_fill(Color c);
  void set_stroke(Color c);
  void set_color(Color c, long& current, const char* op);
  void set_alpha(double a);
  void set_width(double w);
  void set_dash(int dash);
  void set_join(int join);
  void num(double v);  // hundredths, then a space
  void move(double x, double y);
  void line_to(double x, double y);
  void rect_path(const Rect& r);
  void op(const char* o);
  Rect draw_shaped(double x, double y, const std::string& s, const Font& f, Color c, Align a, VAlign v, double max_width, bool is_markup);

  struct FontInfo {
    PdfDocument::FontRef ref;
    double size = 0;
    double shear = 0;      // a synthetic oblique's slant (fontconfig's matrix)
    bool embolden = false; // a synthetic bold: outlines stroked as well
    std::vector<char> seen;
  };
  FontInfo& font_info(PangoFont* font);
  void note_glyph(FontInfo& fi, std::vector<std::pair<unsigned, std::string>>& fresh, const CairoCanvas::ShapedGlyph& g,
                  const std::string& text);

  // A marker shape's outline around (0, 0) in hundredths of a point.
  struct Outline {
    std::vector<std::pair<char, std::vector<long>>> ops;  // m l c h with their points
  };
  const Outline& outline(const MarkStyle& s);
  void place(const Outline& o, long cx, long cy);

  PdfDocument& doc_;
  std::string out_;
  size_t page_bytes_hint_ = 64 * 1024;
  State state_;
  std::vector<State> saved_;
  std::vector<PdfDocument::Link> links_;
  std::unordered_map<PangoFont*, FontInfo> fonts_;
  std::map<int, std::vector<std::pair<unsigned, std::string>>> new_glyphs_;
  std::map<std::pair<int, long>, Outline> outlines_;
  cairo_surface_t* scratch_;  // Pango metrics and marker paths
  cairo_t* cr_;
  std::unique_ptr<CairoCanvas> metrics_;
};

}  // namespace ptr::chart
