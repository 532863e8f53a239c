// The PDF writer (PdfDocument + PdfCanvas + TrueType subsets), read back by
// poppler: text extracts as drawn, fonts are embedded subsets with Unicode
// maps, composite glyphs keep their parts, links/outline/info are there, and
// the content stream writes each state change once.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "render/chart/pdf_canvas.hpp"
#include "render/chart/truetype.hpp"
#include "test_support.hpp"

namespace ptr::test {
namespace {

using chart::Color;
using chart::Font;
using chart::PdfCanvas;
using chart::PdfDocument;

const char* kDejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";  // fonts-dejavu-core

std::string output_of(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

std::string read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// Draws `draw` on one page of a small document and writes it.
template <class Draw>
fs::path one_page_pdf(const TempDir& dir, Draw draw, const std::string& name = "t.pdf") {
  PdfDocument doc(400, 300);
  doc.set_info({"perftunereport: tést ≤ 2", "campaign=x (a\\b) )(", "perftunereport test", "20261201T010203Z"});
  {
    PdfCanvas c(doc);
    draw(c);
    auto page = c.take_page();
    doc.add_page(0, page.content, std::move(page.links), "Only page");
  }
  fs::path out = dir.path / name;
  doc.write(out.string());
  return out;
}

TEST(PdfWriter, TextComesBackFromPdftotext) {
  TempDir dir;
  fs::path pdf = one_page_pdf(dir, [](PdfCanvas& c) {
    c.text(20, 20, "Latency and throughput", Font{13, true});
    c.text(20, 50, "TTFT ≤ 2000 ms × 3 — résumé ★", Font{8});
    c.text(20, 70, "oblique words", Font{8, false, true});
    c.text(20, 90, "mono_0123(x)\\", Font{8, false, false, true});
    c.text(20, 110, "a paragraph long enough to wrap onto a second line of text", Font{8}, {}, chart::Align::left,
           chart::VAlign::top, 120);
    c.text_rotated(380, 150, "rotated label", Font{8});
  });
  std::string text = output_of("pdftotext " + quote(pdf.string()) + " - 2>&1");
  for (const char* s : {"Latency and throughput", "TTFT ≤ 2000 ms × 3 — résumé ★", "oblique words", "mono_0123(x)\\", "rotated label",
                        "a paragraph long enough"})
    EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
  EXPECT_EQ(text.find("Syntax Error"), std::string::npos) << text;
}

TEST(PdfWriter, FontsAreEmbeddedSubsetsWithUnicodeMaps) {
  TempDir dir;
  fs::path pdf = one_page_pdf(dir, [](PdfCanvas& c) {
    c.text(20, 20, "Regular", Font{8});
    c.text(20, 40, "Bold", Font{8, true});
    c.text(20, 60, "Mono", Font{8, false, false, true});
  });
  std::string fonts = output_of("pdffonts " + quote(pdf.string()) + " 2>&1");
  int embedded = 0;
  std::istringstream lines(fonts);
  for (std::string line; std::getline(lines, line);)
    if (line.find("CID TrueType") != std::string::npos) {
      ++embedded;
      EXPECT_TRUE(std::regex_search(line, std::regex("Identity-H +yes +yes +yes"))) << line;
      EXPECT_TRUE(std::regex_search(line, std::regex("^[A-Z]{6}\\+DejaVuSans"))) << line;
    }
  EXPECT_EQ(embedded, 3) << fonts;
  // Three whole DejaVu files would be ~1.8 MB; the subsets of a few letters are small.
  EXPECT_LT(fs::file_size(pdf), 40u * 1024) << fonts;
}

// "é" is a composite glyph in DejaVu Sans (base letter + accent, drawn by
// reference): its parts must travel in the subset or it renders blank.
TEST(PdfWriter, CompositeGlyphsKeepTheirComponents) {
  TempDir dir;
  fs::path pdf = one_page_pdf(dir, [](PdfCanvas& c) { c.text(100, 20, "é", Font{200}); });
  output_of("pdftoppm -r 20 -gray " + quote(pdf.string()) + " " + quote((dir.path / "r").string()));
  std::string pgm;
  for (const auto& e : fs::directory_iterator(dir.path))
    if (e.path().extension() == ".pgm") pgm = read_bytes(e.path());
  ASSERT_GT(pgm.size(), 16u);
  // P5 header: magic, width, height, maxval, then one byte per pixel.
  std::istringstream head(pgm);
  std::string magic;
  int w = 0, h = 0, maxval = 0;
  head >> magic >> w >> h >> maxval;
  ASSERT_EQ(magic, "P5");
  size_t start = pgm.size() - static_cast<size_t>(w) * static_cast<size_t>(h);
  int dark = 0;
  for (size_t i = start; i < pgm.size(); ++i) dark += static_cast<unsigned char>(pgm[i]) < 128;
  EXPECT_GT(dark, 50) << "the letter rendered blank: its composite parts are missing from the subset";
}

TEST(PdfWriter, LinksOutlineAndInfo) {
  TempDir dir;
  fs::path pdf = one_page_pdf(dir, [](PdfCanvas& c) {
    c.text(20, 20, "repository", Font{8});
    c.link({20, 20, 60, 10}, "https://github.com/vllm-project/vllm");
    c.link({20, 40, 60, 10}, "https://example.com/has space");  // not a plain URL: dropped, as the other backends do
  });
  std::string info = output_of("pdfinfo " + quote(pdf.string()) + " 2>&1");
  EXPECT_NE(info.find("Title:           perftunereport: tést ≤ 2"), std::string::npos) << info;
  EXPECT_NE(info.find("Creator:         perftunereport test"), std::string::npos) << info;
  EXPECT_NE(info.find("Keywords:        campaign=x (a\\b) )("), std::string::npos) << info;  // parentheses and backslash escaped
  EXPECT_TRUE(std::regex_search(info, std::regex("CreationDate:.*01:02:03 2026 UTC"))) << info;
  EXPECT_NE(info.find("Pages:           1"), std::string::npos) << info;
  EXPECT_NE(info.find("400 x 300 pts"), std::string::npos) << info;
  std::string urls = output_of("pdfinfo -url " + quote(pdf.string()) + " 2>&1");
  EXPECT_NE(urls.find("https://github.com/vllm-project/vllm"), std::string::npos) << urls;
  EXPECT_EQ(urls.find("has space"), std::string::npos) << urls;
  std::string bytes = read_bytes(pdf);
  EXPECT_NE(bytes.find("/Outlines"), std::string::npos);
  EXPECT_NE(bytes.find("/Title (Only page)"), std::string::npos);
  // The link box is in PDF space (origin bottom-left): y 20..30 from the top of 300.
  EXPECT_NE(bytes.find("/Rect [20 270 80 280]"), std::string::npos);
}

TEST(PdfCanvas, EachStateChangeIsWrittenOnceInHundredths) {
  PdfDocument doc(400, 300);
  PdfCanvas c(doc);
  Color red = Color::hex(0xff0000), blue = Color::hex(0x0000ff);
  c.line(10.125, 20, 30.004, -3.5, red, 0.5);
  c.line(0.07, 1, 2, 3, red, 0.5);
  c.save();
  c.line(0, 0, 1, 1, blue, 0.5);
  c.restore();
  c.line(0, 0, 1, 1, red, 0.5);  // restored: red and 0.5 are current again
  c.line(NAN, INFINITY, 1e300, -1e300, red, 0.5);  // never valid input: clamped, the file stays readable
  std::string content = c.take_page().content;
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t at = content.find(what); at != std::string::npos; at = content.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("1 0 0 RG"), 1u) << content;
  EXPECT_EQ(count("0 0 1 RG"), 1u) << content;
  EXPECT_EQ(count(" w\n"), 1u) << content;
  EXPECT_NE(content.find("10.13 20 m 30 -3.5 l S"), std::string::npos) << content;
  EXPECT_NE(content.find("0.07 1 m 2 3 l S"), std::string::npos) << content;
  EXPECT_EQ(content.rfind("1 0 0 -1 0 300 cm\n", 0), 0u) << "the page starts by turning y down";
  EXPECT_NE(content.find("0 0 m 1000000 -1000000 l S"), std::string::npos) << content;
}

// Glyphs go where the font's own advances put them: a plain line is one
// string, with no per-glyph repositioning (Cairo's output had a number
// between most letters, from Pango's rounded advances).
TEST(PdfCanvas, PlainTextNeedsNoRepositioning) {
  PdfDocument doc(400, 300);
  PdfCanvas c(doc);
  chart::Rect r = c.text(20, 20, "Latency and throughput", Font{13, true});
  std::string content = c.take_page().content;
  size_t open = content.find("Tm [(");
  size_t close = content.find(")]TJ");
  ASSERT_NE(open, std::string::npos) << content;
  ASSERT_NE(close, std::string::npos) << content;
  std::string codes = content.substr(open + 5, close - open - 5);
  // Unescape the literal string: two bytes per glyph id.
  std::string raw;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] != '\\') {
      raw.push_back(codes[i]);
      continue;
    }
    char e = codes[++i];
    raw.push_back(e == 'r' ? '\r' : e == 'n' ? '\n' : e);
  }
  ASSERT_EQ(raw.size(), 2u * 22) << "one string of 22 glyph codes, no adjustments between them";
  // The measured width is the sum of the bold font's own advances at 13 pt.
  chart::TrueTypeFont bold("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0);
  double width = 0;
  for (size_t i = 0; i < raw.size(); i += 2)
    width += bold.advance_1000((static_cast<unsigned char>(raw[i]) << 8) | static_cast<unsigned char>(raw[i + 1])) * 13 / 1000;
  EXPECT_NEAR(r.w, width, 0.01);
}

TEST(TrueType, SubsetKeepsTheUsedGlyphsAndTheirMetrics) {
  chart::TrueTypeFont font(kDejaVu, 0);
  EXPECT_EQ(font.units_per_em(), 2048);
  EXPECT_GT(font.num_glyphs(), 5000);
  TempDir dir;
  fs::path sub = dir.path / "sub.ttf";
  chart::FontSubset subset = font.subset({36, 171});  // 'A' and the composite 'é'
  {
    std::ofstream f(sub, std::ios::binary);
    f << subset.program;
  }
  // .notdef, 'A', 'é' and the two glyphs 'é' is drawn from, renumbered in their
  // old order: a few KB, not 740 KB of outlines or a table entry per glyph id.
  EXPECT_EQ(subset.old_gids, (std::vector<unsigned>{0, 36, 72, 118, 171}));  // 72 'e', 118 '´'
  EXPECT_LT(fs::file_size(sub), 8u * 1024);
  chart::TrueTypeFont back(sub.string(), 0);
  EXPECT_EQ(back.num_glyphs(), 5);
  EXPECT_DOUBLE_EQ(back.advance_1000(1), font.advance_1000(36));
  EXPECT_DOUBLE_EQ(back.advance_1000(4), font.advance_1000(171));
  EXPECT_NEAR(font.advance_1000(36), 684.08, 0.01);  // DejaVu Sans 'A': 1401 / 2048 em
}

TEST(TrueType, AFileThatIsNotAFontIsNamed) {
  TempDir dir;
  fs::path bogus = dir.path / "not-a-font.ttf";
  {
    std::ofstream f(bogus, std::ios::binary);
    f << "this is text, not a font";
  }
  try {
    chart::TrueTypeFont f(bogus.string(), 0);
    FAIL() << "accepted a text file as a font";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("not-a-font.ttf"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not a TrueType font"), std::string::npos) << e.what();
  }
}

// A real font cut short (a damaged file): one error naming it, not a crash.
TEST(TrueType, ATruncatedFontIsNamed) {
  TempDir dir;
  fs::path cut = dir.path / "cut.ttf";
  std::string bytes = read_bytes(kDejaVu);
  for (size_t keep : {size_t{8}, size_t{100}, size_t{4000}}) {
    {
      std::ofstream f(cut, std::ios::binary | std::ios::trunc);
      f << bytes.substr(0, keep);
    }
    try {
      chart::TrueTypeFont f(cut.string(), 0);
      FAIL() << "accepted a font cut at " << keep << " bytes";
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find("cut.ttf"), std::string::npos) << keep << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace ptr::test

namespace ptr::test {
namespace {

// A damaged composite glyph: one of its parts names a glyph the font does not
// have. The subset keeps what exists, points the bad part at .notdef and
// still loads as a font.
TEST(TrueType, ACompositeNamingAMissingGlyphIsSubsetSafely) {
  std::string bytes = read_bytes(kDejaVu);
  auto u16 = [&](size_t at) { return static_cast<unsigned>(static_cast<unsigned char>(bytes[at]) << 8 | static_cast<unsigned char>(bytes[at + 1])); };
  auto u32 = [&](size_t at) { return u16(at) << 16 | u16(at + 2); };
  size_t glyf = 0, loca = 0, head = 0;
  for (unsigned i = 0, n = u16(4); i < n; ++i) {
    std::string tag = bytes.substr(12 + 16 * i, 4);
    size_t offset = u32(12 + 16 * i + 8);
    if (tag == "glyf") glyf = offset;
    if (tag == "loca") loca = offset;
    if (tag == "head") head = offset;
  }
  ASSERT_TRUE(glyf && loca && head);
  ASSERT_EQ(u16(head + 50), 1u) << "DejaVu Sans has long loca offsets";
  size_t e_acute = glyf + u32(loca + 4 * 171);  // 'é': a composite of 'e' and the accent
  ASSERT_EQ(static_cast<int16_t>(u16(e_acute)), -1);
  size_t part = e_acute + 10;
  bytes[part + 2] = '\xff';  // first part: glyph 65535, beyond the font
  bytes[part + 3] = '\xff';
  TempDir dir;
  fs::path damaged = dir.path / "damaged.ttf";
  {
    std::ofstream f(damaged, std::ios::binary);
    f << bytes;
  }
  chart::TrueTypeFont font(damaged.string(), 0);
  chart::FontSubset subset = font.subset({171});
  // .notdef, the accent (the intact second part) and 'é'; the missing part is dropped.
  EXPECT_EQ(subset.old_gids, (std::vector<unsigned>{0, 118, 171}));
  fs::path sub = dir.path / "sub.ttf";
  {
    std::ofstream f(sub, std::ios::binary);
    f << subset.program;
  }
  chart::TrueTypeFont back(sub.string(), 0);
  EXPECT_EQ(back.num_glyphs(), 3);
}

}  // namespace
}  // namespace ptr::test
