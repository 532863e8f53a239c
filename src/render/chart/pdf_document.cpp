#include "render/chart/pdf_document.hpp"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <future>
#include <set>
#include <zlib.h>

#include "render/chart/truetype.hpp"
#include "util/error.hpp"

namespace ptr::chart {

struct PdfDocument::FontEntry {
  std::unique_ptr<TrueTypeFont> ttf;
  std::string postscript_name;
  std::map<unsigned, std::string> used;  // glyph id -> the text it stands for
};

namespace {

// Content streams compress at zlib's level 1: a third of the default's time
// for a few percent more bytes (the reports are mostly coordinates).
std::string deflate(const std::string& in, int level) {
  uLongf size = compressBound(static_cast<uLong>(in.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(in.data()),
                static_cast<uLong>(in.size()), level) != Z_OK)
    throw_io("PDF", "zlib could not compress a stream");
  out.resize(size);
  return out;
}

// UTF-8 -> UTF-16BE code units (U+FFFD for malformed input).
std::vector<unsigned> utf16(const std::string& s) {
  std::vector<unsigned> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char u = static_cast<unsigned char>(s[i]);
    size_t n = u < 0x80 ? 1 : (u & 0xE0) == 0xC0 ? 2 : (u & 0xF0) == 0xE0 ? 3 : (u & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = n == 1 ? u : n == 2 ? (u & 0x1F) : n == 3 ? (u & 0x0F) : (u & 0x07);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(0xD800 + (cp >> 10));
      out.push_back(0xDC00 + (cp & 0x3FF));
    } else {
      out.push_back(cp);
    }
  }
  return out;
}

// A text string for the document information and the outline: literal
// when printable ASCII (tools grep the Creator), else UTF-16BE.
std::string text_string(const std::string& s) {
  if (std::all_of(s.begin(), s.end(), [](char c) { return c >= 32 && c < 127; })) {
    std::string out = "(";
    for (char c : s) {
      if (c == '(' || c == ')' || c == '\\') out += '\\';
      out += c;
    }
    return out + ")";
  }
  std::string out = "<FEFF";
  for (unsigned u : utf16(s)) out += fmt::format("{:04X}", u);
  return out + ">";
}

// A PDF name made of the characters every reader accepts.
std::string safe_name(const std::string& s) {
  std::string out;
  for (char c : s)
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') out.push_back(c);
  return out.empty() ? "Font" : out;
}

std::string num(double v) {
  std::string s = fmt::format("{:.3f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) {}
  void begin(int n) {
    if (offsets_.size() <= static_cast<size_t>(n)) offsets_.resize(static_cast<size_t>(n) + 1, 0);
    offsets_[static_cast<size_t>(n)] = out_.size();
    fmt::format_to(std::back_inserter(out_), "{} 0 obj\n", n);
  }
  void object(int n, const std::string& body) {
    begin(n);
    out_ += body;
    out_ += "\nendobj\n";
  }
  void stream(int n, const std::string& dict, const std::string& data, bool compressed) {
    begin(n);
    fmt::format_to(std::back_inserter(out_), "<< {}{} /Length {} >>\nstream\n", dict, compressed ? " /Filter /FlateDecode" : "", data.size());
    out_ += data;
    out_ += "\nendstream\nendobj\n";
  }
  void finish(int root, int info) {
    size_t xref = out_.size();
    fmt::format_to(std::back_inserter(out_), "xref\n0 {}\n0000000000 65535 f \n", offsets_.size());
    for (size_t i = 1; i < offsets_.size(); ++i) fmt::format_to(std::back_inserter(out_), "{:010d} 00000 n \n", offsets_[i]);
    fmt::format_to(std::back_inserter(out_), "trailer\n<< /Size {} /Root {} 0 R /Info {} 0 R >>\nstartxref\n{}\n%%EOF\n", offsets_.size(), root, info, xref);
  }

 private:
  std::string& out_;
  std::vector<size_t> offsets_{0};
};

std::string to_unicode_cmap(const std::map<unsigned, std::string>& used) {
  std::string body =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  std::vector<std::pair<unsigned, std::string>> entries;
  for (const auto& [gid, text] : used)
    if (!text.empty()) entries.push_back({gid, text});
  for (size_t i = 0; i < entries.size(); i += 100) {
    size_t n = std::min<size_t>(100, entries.size() - i);
    body += fmt::format("{} beginbfchar\n", n);
    for (size_t k = i; k < i + n; ++k) {
      body += fmt::format("<{:04X}> <", entries[k].first);
      for (unsigned u : utf16(entries[k].second)) body += fmt::format("{:04X}", u);
      body += ">\n";
    }
    body += "endbfchar\n";
  }
  body += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return body;
}

}  // namespace

PdfDocument::PdfDocument(double width, double height) : width_(width), height_(height) {}
PdfDocument::~PdfDocument() = default;

PdfDocument::FontRef PdfDocument::font(const std::string& file, int index, const std::string& postscript_name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto key = std::make_pair(file, index);
  if (auto it = font_ids_.find(key); it != font_ids_.end()) return {it->second, fonts_[static_cast<size_t>(it->second)]->ttf.get()};
  auto entry = std::make_unique<FontEntry>();
  entry->ttf = std::make_unique<TrueTypeFont>(file, index);
  entry->postscript_name = safe_name(postscript_name);
  int id = static_cast<int>(fonts_.size());
  fonts_.push_back(std::move(entry));
  font_ids_[key] = id;
  return {id, fonts_.back()->ttf.get()};
}

void PdfDocument::use_glyphs(int font, const std::vector<std::pair<unsigned, std::string>>& glyphs) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& used = fonts_.at(static_cast<size_t>(font))->used;
  for (const auto& [gid, text] : glyphs) {
    auto [it, fresh] = used.emplace(gid, text);
    if (!fresh && it->second.empty()) it->second = text;
  }
}

int PdfDocument::alpha_state(double alpha) {
  std::lock_guard<std::mutex> lock(mu_);
  long key = std::lround(alpha * 1000);
  auto it = alphas_.find(key);
  if (it != alphas_.end()) return it->second;
  int id = static_cast<int>(alphas_.size());
  alphas_[key] = id;
  return id;
}

int PdfDocument::shading(const std::string& dict) {
  std::lock_guard<std::mutex> lock(mu_);
  shadings_.push_back(dict);
  return static_cast<int>(shadings_.size()) - 1;
}

void PdfDocument::add_page(int number, const std::string& content, std::vector<Link> links, std::string outline) {
  std::string compressed = deflate(content, 1);
  std::lock_guard<std::mutex> lock(mu_);
  if (pages_.size() <= static_cast<size_t>(number)) pages_.resize(static_cast<size_t>(number) + 1);
  pages_[static_cast<size_t>(number)] = {std::move(compressed), std::move(links), std::move(outline), true};
}

void PdfDocument::write(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out = "%PDF-1.5\n%\xe2\xe3\xcf\xd3\n";
  ObjectWriter w(out);
  const int catalog = 1, pages_root = 2, info = 3, resources = 4;
  int next = 5;
  std::vector<int> page_obj;
  for (size_t i = 0; i < pages_.size(); ++i) {
    page_obj.push_back(next);
    next += 2;
  }
  std::vector<int> font_obj;
  for (size_t i = 0; i < fonts_.size(); ++i) {
    font_obj.push_back(next);
    next += 6;
  }

  // Font programs (subset, compressed) are the slow part of writing: half of
  // them on a second thread.
  struct FontProgram {
    std::string program;  // deflated
    size_t length = 0;
    std::string cid_to_gid;  // deflated: the subset's glyph for each glyph id the pages draw
  };
  auto font_program = [this](size_t i) {
    const FontEntry& f = *fonts_[i];
    std::set<unsigned> gids;
    for (const auto& [gid, text] : f.used) gids.insert(gid);
    FontSubset subset = f.ttf->subset(gids);
    std::string map(subset.old_gids.empty() ? 2 : 2 * static_cast<size_t>(subset.old_gids.back() + 1), '\0');
    for (size_t k = 0; k < subset.old_gids.size(); ++k) {
      map[2 * subset.old_gids[k]] = static_cast<char>(k >> 8);
      map[2 * subset.old_gids[k] + 1] = static_cast<char>(k & 0xff);
    }
    return FontProgram{deflate(subset.program, 6), subset.program.size(), deflate(map, 6)};
  };
  std::vector<FontProgram> programs(fonts_.size());
  auto every_other = [&](size_t first) {
    for (size_t i = first; i < fonts_.size(); i += 2) programs[i] = font_program(i);
  };
  std::future<void> odd = std::async(std::launch::async, every_other, 1);
  every_other(0);
  odd.get();

  // Pages and their content.
  std::string kids;
  std::vector<std::pair<std::string, int>> outline;
  for (size_t i = 0; i < pages_.size(); ++i) {
    const Page& p = pages_[i];
    if (!p.present) throw_io(path, fmt::format("PDF page {} was never drawn", i + 1));
    std::string annots;
    for (const Link& l : p.links) {
      std::string url;
      for (char c : l.url) {
        if (c == '(' || c == ')' || c == '\\') url += '\\';
        url += c;
      }
      w.object(next, fmt::format("<< /Type /Annot /Subtype /Link /Rect [{} {} {} {}] /Border [0 0 0] /A << /S /URI /URI ({}) >> >>", num(l.box.x),
                                 num(height_ - l.box.bottom()), num(l.box.right()), num(height_ - l.box.y), url));
      annots += fmt::format("{}{} 0 R", annots.empty() ? "" : " ", next++);
    }
    w.object(page_obj[i], fmt::format("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 {} {}] /Resources {} 0 R /Contents {} 0 R{} >>", pages_root,
                                      num(width_), num(height_), resources, page_obj[i] + 1,
                                      annots.empty() ? "" : " /Annots [" + annots + "]"));
    w.stream(page_obj[i] + 1, "", p.compressed, true);
    kids += fmt::format("{}{} 0 R", i ? " " : "", page_obj[i]);
    if (!p.outline.empty()) outline.push_back({p.outline, page_obj[i]});
  }
  w.object(pages_root, fmt::format("<< /Type /Pages /Kids [{}] /Count {} >>", kids, pages_.size()));

  // Fonts: Type 0 over a CIDFontType2, the font's glyph ids as character
  // codes (Identity-H) mapped to the renumbered subset (CIDToGIDMap), and the
  // ToUnicode map.
  std::string font_dict;
  for (size_t i = 0; i < fonts_.size(); ++i) {
    const FontEntry& f = *fonts_[i];
    int type0 = font_obj[i], cid = type0 + 1, descriptor = type0 + 2, file = type0 + 3, cmap = type0 + 4, gid_map = type0 + 5;
    const FontProgram& program = programs[i];
    // A subset tag from the font's number: readers tell subsets apart by it.
    std::string tag;
    for (size_t k = 0, v = i; k < 6; ++k, v /= 26) tag.push_back(static_cast<char>('A' + v % 26));
    std::string base = tag + "+" + f.postscript_name;
    std::string widths;
    for (const auto& [gid, text] : f.used) widths += fmt::format("{} [{}] ", gid, num(f.ttf->advance_1000(gid)));
    w.object(type0, fmt::format("<< /Type /Font /Subtype /Type0 /BaseFont /{} /Encoding /Identity-H /DescendantFonts [{} 0 R] /ToUnicode {} 0 R >>",
                                base, cid, cmap));
    w.object(cid, fmt::format("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
                              "/Supplement 0 >> /FontDescriptor {} 0 R /CIDToGIDMap {} 0 R /W [{}] >>",
                              base, descriptor, gid_map, widths));
    auto bbox = f.ttf->bbox_1000();
    w.object(descriptor, fmt::format("<< /Type /FontDescriptor /FontName /{} /Flags 4 /FontBBox [{} {} {} {}] /ItalicAngle {} /Ascent {} "
                                     "/Descent {} /CapHeight {} /StemV 80 /FontFile2 {} 0 R >>",
                                     base, bbox[0], bbox[1], bbox[2], bbox[3], num(f.ttf->italic_angle()), f.ttf->ascent_1000(),
                                     f.ttf->descent_1000(), f.ttf->ascent_1000(), file));
    w.stream(file, fmt::format("/Length1 {}", program.length), program.program, true);
    w.stream(gid_map, "", program.cid_to_gid, true);
    w.stream(cmap, "", deflate(to_unicode_cmap(f.used), 6), true);
    font_dict += fmt::format("/F{} {} 0 R ", i, type0);
  }

  std::string states;
  for (const auto& [alpha, id] : alphas_) states += fmt::format("/G{} << /CA {} /ca {} >> ", id, num(alpha / 1000.0), num(alpha / 1000.0));
  std::string shadings;
  for (size_t i = 0; i < shadings_.size(); ++i) shadings += fmt::format("/Sh{} << {} >> ", i, shadings_[i]);
  w.object(resources, fmt::format("<< /ProcSet [/PDF /Text] /Font << {}>> /ExtGState << {}>> /Shading << {}>> >>", font_dict, states, shadings));

  // The outline: one entry per page entry, in page order.
  int outline_root = 0;
  if (!outline.empty()) {
    outline_root = next++;
    int first = next;
    for (size_t k = 0; k < outline.size(); ++k) {
      int me = first + static_cast<int>(k);
      std::string links = fmt::format("/Parent {} 0 R", outline_root);
      if (k > 0) links += fmt::format(" /Prev {} 0 R", me - 1);
      if (k + 1 < outline.size()) links += fmt::format(" /Next {} 0 R", me + 1);
      w.object(me, fmt::format("<< /Title {} {} /Dest [{} 0 R /XYZ null null 0] >>", text_string(outline[k].first), links, outline[k].second));
    }
    next = first + static_cast<int>(outline.size());
    w.object(outline_root, fmt::format("<< /Type /Outlines /First {} 0 R /Last {} 0 R /Count {} >>", first, next - 1, outline.size()));
  }
  w.object(catalog, fmt::format("<< /Type /Catalog /Pages {} 0 R{} >>", pages_root,
                                outline_root ? fmt::format(" /Outlines {} 0 R", outline_root) : ""));
  const std::string& d = info_.date_utc;  // 20261201T010040Z -> D:20261201010040Z
  std::string date = d.size() >= 15 ? "D:" + d.substr(0, 8) + d.substr(9, 6) + "Z" : "";
  std::string info_body = fmt::format("<< /Producer {} /Creator {} /Title {} /Keywords {}", text_string(info_.creator), text_string(info_.creator),
                                      text_string(info_.title), text_string(info_.keywords));
  if (!date.empty()) info_body += fmt::format(" /CreationDate ({}) /ModDate ({})", date, date);
  w.object(info, info_body + " >>");
  w.finish(catalog, info);

  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw_io(path, "cannot create the PDF");
  bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) throw_io(path, "could not write the PDF (disk full?)");
}

}  // namespace ptr::chart
