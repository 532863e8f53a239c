#include "render/chart/truetype.hpp"

#include <algorithm>
#include <cstring>

#include "util/error.hpp"

namespace ptr::chart {

namespace {

uint16_t u16(std::string_view d, size_t at) {
  if (at + 2 > d.size()) return 0;
  return static_cast<uint16_t>((static_cast<unsigned char>(d[at]) << 8) | static_cast<unsigned char>(d[at + 1]));
}
int16_t s16(std::string_view d, size_t at) { return static_cast<int16_t>(u16(d, at)); }
uint32_t u32(std::string_view d, size_t at) { return (static_cast<uint32_t>(u16(d, at)) << 16) | u16(d, at + 2); }

void put16(std::string& out, unsigned v) {
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}
void put32(std::string& out, uint32_t v) {
  put16(out, v >> 16);
  put16(out, v & 0xffff);
}
void pad4(std::string& s) {
  while (s.size() % 4) s.push_back('\0');
}
uint32_t checksum(const std::string& s) {
  uint32_t sum = 0;
  for (size_t i = 0; i < s.size(); i += 4) {
    uint32_t word = 0;
    for (size_t k = 0; k < 4; ++k) word = (word << 8) | (i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u);
    sum += word;
  }
  return sum;
}

// Calls f(offset of its glyph index) for each part of the composite glyph
// whose record starts at `glyph` in `d` (at most 256 parts, within `d`).
template <class F>
void for_each_component(std::string_view d, size_t glyph, F f) {
  size_t at = glyph + 10;
  for (int guard = 0; guard < 256 && at + 4 <= d.size(); ++guard) {
    unsigned flags = u16(d, at);
    f(at + 2);
    at += 4 + ((flags & 0x1) ? 4 : 2);
    if (flags & 0x8) at += 2;
    else if (flags & 0x40) at += 4;
    else if (flags & 0x80) at += 8;
    if (!(flags & 0x20)) break;
  }
}

}  // namespace

TrueTypeFont::TrueTypeFont(const std::string& path, int index) : path_(path) {
  file_ = std::make_unique<MappedFile>(path);
  data_ = file_->text();
  size_t base = 0;
  if (data_.compare(0, 4, "ttcf") == 0) {
    uint32_t count = u32(data_, 8);
    if (index < 0 || static_cast<uint32_t>(index) >= count) throw_io(path, "font collection has no face " + std::to_string(index));
    base = u32(data_, 12 + 4 * static_cast<size_t>(index));
  }
  uint32_t version = u32(data_, base);
  if (version != 0x00010000 && version != 0x74727565 /* 'true' */)
    throw_io(path, "not a TrueType font with outlines (the PDF writer embeds glyf fonts only)");
  unsigned n = u16(data_, base + 4);
  if (base + 12 + 16 * static_cast<size_t>(n) > data_.size()) throw_io(path, "font table directory runs past the end of the file");
  for (unsigned i = 0; i < n; ++i) {
    size_t rec = base + 12 + 16 * static_cast<size_t>(i);
    Table t{u32(data_, rec + 8), u32(data_, rec + 12)};
    if (static_cast<size_t>(t.offset) + t.length > data_.size()) throw_io(path, "font table runs past the end of the file");
    tables_.push_back({std::string(data_.substr(rec, 4)), t});
  }
  const Table* head = table("head");
  const Table* hhea = table("hhea");
  const Table* maxp = table("maxp");
  if (!head || !hhea || !maxp || !table("hmtx") || !table("loca") || !table("glyf"))
    throw_io(path, "not a TrueType font with outlines (head, hhea, maxp, hmtx, loca and glyf needed)");
  units_per_em_ = u16(data_, head->offset + 18);
  if (units_per_em_ <= 0) units_per_em_ = 1000;
  for (int k = 0; k < 4; ++k) bbox_[k] = s16(data_, head->offset + 36 + 2 * static_cast<size_t>(k));
  loca_long_ = s16(data_, head->offset + 50);
  num_glyphs_ = u16(data_, maxp->offset + 4);
  ascent_ = s16(data_, hhea->offset + 4);
  descent_ = s16(data_, hhea->offset + 6);
  num_hmetrics_ = u16(data_, hhea->offset + 34);
  hmtx_offset_ = table("hmtx")->offset;
  if (static_cast<size_t>(hmtx_offset_) + 4u * static_cast<size_t>(num_hmetrics_) > data_.size())
    throw_io(path, "font's horizontal metrics run past the end of the file");
  if (const Table* post = table("post")) italic_angle_ = static_cast<int32_t>(u32(data_, post->offset + 4)) / 65536.0;
}

const TrueTypeFont::Table* TrueTypeFont::table(const char* tag) const {
  for (const auto& [name, t] : tables_)
    if (name == tag) return &t;
  return nullptr;
}

double TrueTypeFont::advance_1000(unsigned gid) const {
  if (num_hmetrics_ <= 0) return 0;
  unsigned i = std::min<unsigned>(gid, static_cast<unsigned>(num_hmetrics_ - 1));
  return u16(data_, hmtx_offset_ + 4 * static_cast<size_t>(i)) * 1000.0 / units_per_em_;
}

uint32_t TrueTypeFont::glyph_offset(unsigned gid) const {
  const Table* loca = table("loca");
  return loca_long_ ? u32(data_, loca->offset + 4 * static_cast<size_t>(gid)) : 2u * u16(data_, loca->offset + 2 * static_cast<size_t>(gid));
}

FontSubset TrueTypeFont::subset(const std::set<unsigned>& wanted) const {
  const Table* glyf = table("glyf");
  std::set<unsigned> keep(wanted);
  keep.insert(0);
  // Composite glyphs draw other glyphs: keep those too (depth-first).
  std::vector<unsigned> todo(keep.begin(), keep.end());
  while (!todo.empty()) {
    unsigned gid = todo.back();
    todo.pop_back();
    if (gid >= static_cast<unsigned>(num_glyphs_)) continue;
    uint32_t start = glyph_offset(gid), end = glyph_offset(gid + 1);
    if (end <= start || s16(data_, glyf->offset + start) >= 0) continue;
    for_each_component(data_, glyf->offset + start, [&](size_t at) {
      unsigned component = u16(data_, at);
      if (keep.insert(component).second) todo.push_back(component);
    });
  }
  // Kept glyphs are numbered from 0 in their old order: the tables then hold
  // a few dozen entries, not one per glyph of the font (~50 KB).
  FontSubset out;
  std::vector<unsigned> new_id(static_cast<size_t>(num_glyphs_), 0);
  for (unsigned gid : keep)
    if (gid < static_cast<unsigned>(num_glyphs_)) {
      new_id[gid] = static_cast<unsigned>(out.old_gids.size());
      out.old_gids.push_back(gid);
    }
  const Table* hmtx = table("hmtx");
  std::string new_glyf, new_loca, new_hmtx;
  for (unsigned gid : out.old_gids) {
    put32(new_loca, static_cast<uint32_t>(new_glyf.size()));
    unsigned metric = std::min<unsigned>(gid, static_cast<unsigned>(num_hmetrics_ - 1));
    put16(new_hmtx, u16(data_, hmtx->offset + 4 * static_cast<size_t>(metric)));
    put16(new_hmtx, gid < static_cast<unsigned>(num_hmetrics_)
                        ? u16(data_, hmtx->offset + 4 * static_cast<size_t>(gid) + 2)
                        : u16(data_, hmtx->offset + 4 * static_cast<size_t>(num_hmetrics_) + 2 * static_cast<size_t>(gid - num_hmetrics_)));
    uint32_t start = glyph_offset(gid), end = glyph_offset(gid + 1);
    if (end <= start || glyf->offset + static_cast<size_t>(end) > data_.size() || end - start > glyf->length) continue;
    size_t first = new_glyf.size();
    new_glyf.append(data_, glyf->offset + start, end - start);
    if (s16(new_glyf, first) < 0) {
      // A composite names its parts by glyph id: renumber them in place (only
      // the ids change, never the flags the walk reads).
      for_each_component(new_glyf, first, [&](size_t at) {
        unsigned component = u16(new_glyf, at);
        unsigned renumbered = component < new_id.size() ? new_id[component] : 0;
        new_glyf[at] = static_cast<char>(renumbered >> 8);
        new_glyf[at + 1] = static_cast<char>(renumbered & 0xff);
      });
    }
    pad4(new_glyf);
  }
  put32(new_loca, static_cast<uint32_t>(new_glyf.size()));
  const unsigned count = static_cast<unsigned>(out.old_gids.size());

  // The tables a PDF reader uses for an embedded TrueType font (no cmap: the
  // PDF addresses glyphs by id), in tag order.
  static const char* kKept[] = {"OS/2", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"};
  std::vector<std::pair<std::string, std::string>> out_tables;
  auto set16 = [](std::string& body, size_t at, unsigned v) {
    if (at + 2 > body.size()) return;
    body[at] = static_cast<char>(v >> 8);
    body[at + 1] = static_cast<char>(v & 0xff);
  };
  for (const char* tag : kKept) {
    if (!std::strcmp(tag, "glyf")) out_tables.push_back({tag, new_glyf});
    else if (!std::strcmp(tag, "loca")) out_tables.push_back({tag, new_loca});
    else if (!std::strcmp(tag, "hmtx")) out_tables.push_back({tag, new_hmtx});
    else if (const Table* t = table(tag)) {
      std::string body(data_.substr(t->offset, t->length));
      if (!std::strcmp(tag, "hhea")) set16(body, 34, count);  // numberOfHMetrics: every kept glyph has its own
      if (!std::strcmp(tag, "maxp")) set16(body, 4, count);   // numGlyphs
      if (!std::strcmp(tag, "head") && body.size() >= 54) {
        std::memset(&body[8], 0, 4);  // checkSumAdjustment: not kept up to date
        body[50] = 0;
        body[51] = 1;  // indexToLocFormat: long offsets
      }
      out_tables.push_back({tag, std::move(body)});
    }
  }
  std::string& file = out.program;
  unsigned n = static_cast<unsigned>(out_tables.size());
  unsigned entry_selector = 0;
  while ((2u << entry_selector) <= n) ++entry_selector;
  unsigned search_range = 16u << entry_selector;
  put32(file, 0x00010000);
  put16(file, n);
  put16(file, search_range);
  put16(file, entry_selector);
  put16(file, n * 16 - search_range);
  uint32_t offset = 12 + 16 * n;
  for (auto& [tag, body] : out_tables) {
    file += tag;
    put32(file, checksum(body));
    put32(file, offset);
    put32(file, static_cast<uint32_t>(body.size()));
    offset += static_cast<uint32_t>((body.size() + 3) / 4 * 4);
  }
  for (auto& [tag, body] : out_tables) {
    file += body;
    pad4(file);
  }
  return out;
}

}  // namespace ptr::chart
