#pragma once
// A TrueType font file read just enough to embed it in a PDF: its metrics
// (units per em, advances, bounding box, ascent/descent) and a subset that
// keeps the outlines of the glyphs a document uses, renumbered; a PDF keeps
// drawing with the font's own ids through a CIDToGIDMap.
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/mapped_file.hpp"

namespace ptr::chart {

struct FontSubset {
  std::string program;            // the font file
  std::vector<unsigned> old_gids;  // glyph i of the subset is glyph old_gids[i] of the font
};

class TrueTypeFont {
 public:
  // Reads `path` (face `index` of a collection). Throws a clear error for a
  // file that is not a TrueType font with outlines (glyf/loca).
  TrueTypeFont(const std::string& path, int index);

  int units_per_em() const { return units_per_em_; }
  int num_glyphs() const { return num_glyphs_; }
  // Advance of glyph `gid` in 1/1000 em (the PDF's glyph space).
  double advance_1000(unsigned gid) const;
  int ascent_1000() const { return scale(ascent_); }
  int descent_1000() const { return scale(descent_); }
  double italic_angle() const { return italic_angle_; }
  std::vector<int> bbox_1000() const { return {scale(bbox_[0]), scale(bbox_[1]), scale(bbox_[2]), scale(bbox_[3])}; }

  // The font file with only these glyphs (and the components of composite
  // ones, and glyph 0), renumbered from 0: the tables a PDF reader needs.
  FontSubset subset(const std::set<unsigned>& gids) const;

 private:
  int scale(int v) const { return static_cast<int>(v * 1000L / units_per_em_); }
  struct Table {
    uint32_t offset = 0, length = 0;
  };
  std::unique_ptr<MappedFile> file_;
  std::string_view data_;  // the mapped file
  std::vector<std::pair<std::string, Table>> tables_;
  const Table* table(const char* tag) const;
  uint32_t glyph_offset(unsigned gid) const;
  int units_per_em_ = 1000, num_glyphs_ = 0, num_hmetrics_ = 0, loca_long_ = 0;
  uint32_t hmtx_offset_ = 0;  // read for every glyph drawn
  int ascent_ = 0, descent_ = 0, bbox_[4] = {0, 0, 0, 0};
  double italic_angle_ = 0;
  std::string path_;
};

}  // namespace ptr::chart
