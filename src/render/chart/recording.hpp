#pragma once
// A canvas that draws like the PDF one (real font metrics, on a Cairo
// recording surface) and also keeps every item with its box, text, colour and
// tag: the page tests assert texts, omissions and mark positions on it (no
// label or box over a data mark).
#include <string>
#include <vector>

#include "render/chart/canvas.hpp"

namespace ptr::chart {

struct RecordedItem {
  std::string kind;  // text | markup | line | polyline | segments | rect_fill | rect_stroke | hatch | marker | gradient | link
  Rect box;
  std::string text;
  Color color;
  Tag tag;
};

class RecordingCanvas : public CairoCanvas {
 public:
  RecordingCanvas(double width, double height);
  ~RecordingCanvas() override;

  Rect text(double x, double y, const std::string& s, const Font& f, Color c = {}, Align a = Align::left,
            VAlign v = VAlign::top, double max_width = 0) override;
  Rect markup(double x, double y, const std::string& m, const Font& f, Color c = {}, Align a = Align::left,
              VAlign v = VAlign::top, double max_width = 0) override;
  void text_rotated(double x, double y, const std::string& s, const Font& f, Color c = {}) override;
  void line(double x0, double y0, double x1, double y1, Color c, double width = 0.5, bool dashed = false) override;
  void polyline(const std::vector<std::pair<double, double>>& pts, Color c, double width = 0.8, bool dashed = false) override;
  void segments(const std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>>& segs, Color c,
                double width) override;
  void rect_fill(const Rect& r, Color c) override;
  void rect_stroke(const Rect& r, Color c, double width = 0.5) override;
  void hatch(const Rect& r, Color bg, Color line, double spacing = 4) override;
  void markers(const std::vector<std::pair<double, double>>& at, const MarkStyle& s) override;
  void link(const Rect& r, const std::string& url) override;

  const std::vector<RecordedItem>& items() const { return items_; }
  std::vector<const RecordedItem*> with_role(const std::string& role) const;
  // Every text drawn, in order, joined by newlines.
  std::string all_text() const;
  // Pairs (a, b) with a of role `over` whose box intersects a data mark's box.
  std::vector<std::pair<const RecordedItem*, const RecordedItem*>> covering_data(const std::string& over) const;

 private:
  void add(std::string kind, Rect box, std::string text, Color c);
  std::vector<RecordedItem> items_;
};

}  // namespace ptr::chart
