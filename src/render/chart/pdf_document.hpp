#pragma once
// A PDF file written directly: pages whose content streams a PdfCanvas
// produced, the fonts they use (TrueType subsets addressed by glyph id, with
// a ToUnicode map so text stays extractable), transparency states, axial
// shadings, link annotations, an outline and the document information.
// Pages may be added from several threads; write() assembles the file.
//
// Why not Cairo's PDF surface: it replays every page from a recording twice
// (analysis, then output) and formats each coordinate with printf; at 4,000
// cells that emission alone took longer than the whole report may.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "render/chart/canvas.hpp"

namespace ptr::chart {

class TrueTypeFont;

class PdfDocument {
 public:
  PdfDocument(double width, double height);
  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  double width() const { return width_; }
  double height() const { return height_; }

  struct Info {
    std::string title, keywords, creator;
    std::string date_utc;  // "20261201T010040Z"
  };
  void set_info(Info info) { info_ = std::move(info); }

  // Resources every page shares (one dictionary). All thread-safe.
  // The font in `file` (face `index`): its number k, drawn as /Fk, and its
  // metrics (owned by the document, never moved: readable without a lock).
  struct FontRef {
    int id = 0;
    const TrueTypeFont* metrics = nullptr;
  };
  FontRef font(const std::string& file, int index, const std::string& postscript_name);
  // Marks glyphs as used (kept in the subset) with the text each stands for.
  void use_glyphs(int font, const std::vector<std::pair<unsigned, std::string>>& glyphs);
  // The ExtGState setting fill and stroke alpha: its number k, /Gk.
  int alpha_state(double alpha);
  // An axial shading from `dict` (its body, without << >>): /Shk.
  int shading(const std::string& dict);

  struct Link {
    Rect box;  // top-left page coordinates, as the canvas draws
    std::string url;
  };
  // Page `number` (0-based; pages may arrive out of order). Its content is
  // compressed here, on the calling thread. `outline` (when not empty) is
  // the page's entry in the document outline.
  void add_page(int number, const std::string& content, std::vector<Link> links, std::string outline);

  // Writes the whole file to `path`.
  void write(const std::string& path);

 private:
  struct FontEntry;
  struct Page {
    std::string compressed;
    std::vector<Link> links;
    std::string outline;
    bool present = false;
  };
  double width_, height_;
  Info info_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<FontEntry>> fonts_;
  std::map<std::pair<std::string, int>, int> font_ids_;
  std::map<long, int> alphas_;
  std::vector<std::string> shadings_;
  std::vector<Page> pages_;
};

}  // namespace ptr::chart
