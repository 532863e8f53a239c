#include "render/chart/canvas.hpp"
#include "render/chart/shapes.hpp"

#include <algorithm>
#include <atomic>
#include <cairo-pdf.h>
#include <cairo.h>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <string>
#include <utility>
#include <unistd.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "util/error.hpp"

namespace ptr::chart {

double Color::luminance() const {
  auto lin = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

void append_escaped_markup(std::string& out, const std::string& s) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\'': out += "&apos;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
}

std::string escape_markup(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  append_escaped_markup(out, s);
  return out;
}

// The report embeds DejaVu only. When the caller did not choose a fontconfig
// setup (FONTCONFIG_FILE unset) and Debian's DejaVu folder is there, load a
// minimal configuration naming just that folder: rendering then does not
// depend on the machine's substitution rules, and start-up skips parsing
// the ~50 files of /etc/fonts/conf.d.
static void use_minimal_fontconfig() {
  static const char* kDejaVu = "/usr/share/fonts/truetype/dejavu";
  if (std::getenv("FONTCONFIG_FILE") || access(kDejaVu, R_OK) != 0) return;
  FcConfig* config = FcConfigCreate();
  std::string xml = std::string("<?xml version=\"1.0\"?><fontconfig><dir>") + kDejaVu +
                    "</dir><cachedir>/var/cache/fontconfig</cachedir></fontconfig>";
  if (FcConfigParseAndLoadFromMemory(config, reinterpret_cast<const FcChar8*>(xml.c_str()), FcFalse) &&
      FcConfigBuildFonts(config) && FcConfigSetCurrent(config)) {
    FcConfigDestroy(config);  // FcConfigSetCurrent holds its own reference
    return;
  }
  FcConfigDestroy(config);
}

void require_fonts() {
  // Threads render at once (the PDF drawer, the HTML pages, a warm-up): the
  // flag is shared.
  static std::atomic<bool> checked = false;
  if (checked) return;
  static std::once_flag once;
  std::call_once(once, use_minimal_fontconfig);
  // Pango always lists its generic aliases, even with no font installed, and
  // then draws empty boxes (or crashes); ask fontconfig for real outline fonts.
  FcPattern* pattern = FcPatternCreate();
  FcPatternAddBool(pattern, FC_OUTLINE, FcTrue);
  FcObjectSet* objects = FcObjectSetBuild(FC_FAMILY, nullptr);
  FcFontSet* fonts = FcFontList(nullptr, pattern, objects);
  int n = fonts ? fonts->nfont : 0;
  if (fonts) FcFontSetDestroy(fonts);
  FcObjectSetDestroy(objects);
  FcPatternDestroy(pattern);
  if (n == 0)
    throw_io("fontconfig", "no font found; cannot render text (install fonts-dejavu-core, or check FONTCONFIG_FILE)");
  checked = true;
}

void warm_fonts() {
  require_fonts();
  // A PDF surface like the real one: font options (hinting) differ by surface
  // type, and fonts loaded for another type would be loaded again.
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(
      [](void*, const unsigned char*, unsigned int) { return CAIRO_STATUS_SUCCESS; }, nullptr, 100, 100);
  cairo_t* cr = cairo_create(surface);
  {
    CairoCanvas c(cr);
    // Every size the report uses, in each style: Pango resolves and loads a
    // font per (size, weight, style), which is most of a first render's cost.
    // The report keeps to four sizes (6.5, 7.5, 8.5, 13) to keep that count low.
    for (const Font& f : {Font{6.5}, Font{6.5, true}, Font{6.5, false, true}, Font{7.5}, Font{7.5, true},
                          Font{7.5, false, true}, Font{8.5, true}, Font{13, true}})
      c.measure("Warm 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ ×—…=()/:,.-", f);
  }
  cairo_destroy(cr);
  cairo_surface_destroy(surface);
}

CairoCanvas::CairoCanvas(cairo_t* cr) : cr_(cr) {
  require_fonts();
  // One Pango context for every layout (a layout per context cost a context
  // each), with glyphs placed where the font puts them: Pango's default
  // rounds each advance to a whole point, which spaces letters unevenly at
  // these sizes and makes the PDF reposition every glyph.
  context_ = pango_cairo_create_context(cr);
  pango_context_set_round_glyph_positions(context_, FALSE);
  sans_ = pango_font_description_from_string("DejaVu Sans 8");
  mono_ = pango_font_description_from_string("DejaVu Sans Mono 8");
}

CairoCanvas::~CairoCanvas() {
  for (auto& [k, l] : cache_) g_object_unref(l);
  g_object_unref(context_);
  pango_font_description_free(sans_);
  pango_font_description_free(mono_);
}

void CairoCanvas::set_font(PangoLayout* l, const Font& f, double max_width) {
  PangoFontDescription* d = f.mono ? mono_ : sans_;
  pango_font_description_set_absolute_size(d, f.size * PANGO_SCALE);
  pango_font_description_set_weight(d, f.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(d, f.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_layout_set_font_description(l, d);
  pango_layout_set_width(l, max_width > 0 ? static_cast<int>(max_width * PANGO_SCALE) : -1);
  pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
}

PangoLayout* CairoCanvas::shaped(const std::string& s, const Font& f, double max_width, bool is_markup) {
  std::string key;
  key.reserve(s.size() + 24);
  int flags = (f.bold ? 1 : 0) | (f.italic ? 2 : 0) | (f.mono ? 4 : 0) | (is_markup ? 8 : 0);
  long size_q = std::lround(f.size * 100), width_q = std::lround(max_width * 100);
  key.append(reinterpret_cast<const char*>(&size_q), sizeof size_q);
  key.append(reinterpret_cast<const char*>(&width_q), sizeof width_q);
  key.push_back(static_cast<char>('0' + flags));
  key += s;
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  PangoLayout* l = pango_layout_new(context_);
  set_font(l, f, max_width);
  if (is_markup) pango_layout_set_markup(l, s.c_str(), static_cast<int>(s.size()));
  else pango_layout_set_text(l, s.c_str(), static_cast<int>(s.size()));
  cache_.emplace(std::move(key), l);
  return l;
}

Rect CairoCanvas::layout_text(PangoLayout* l, double x, double y, Color c, Align a, VAlign v, bool draw) {
  int w, h;
  pango_layout_get_pixel_size(l, &w, &h);
  double left = a == Align::left ? x : a == Align::center ? x - w / 2.0 : x - w;
  double top = y;
  if (v == VAlign::middle) top = y - h / 2.0;
  else if (v == VAlign::bottom) top = y - h;
  else if (v == VAlign::baseline) top = y - pango_layout_get_baseline(l) / static_cast<double>(PANGO_SCALE);
  if (draw) {
    cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a);
    cairo_move_to(cr_, left, top);
    pango_cairo_show_layout(cr_, l);
  }
  return {left, top, static_cast<double>(w), static_cast<double>(h)};
}

Rect CairoCanvas::text(double x, double y, const std::string& s, const Font& f, Color c, Align a, VAlign v, double max_width) {
  Rect r;
  if (fast_text(s, f, max_width, x, y, c, a, v, true, r)) return r;
  return layout_text(shaped(s, f, max_width, false), x, y, c, a, v, true);
}

Rect CairoCanvas::markup(double x, double y, const std::string& m, const Font& f, Color c, Align a, VAlign v, double max_width) {
  return layout_text(shaped(m, f, max_width, true), x, y, c, a, v, true);
}

CairoCanvas::GlyphTable* CairoCanvas::glyph_table(const Font& f) {
  std::string key = std::to_string(std::lround(f.size * 100)) + (f.bold ? "b" : "") + (f.italic ? "i" : "") + (f.mono ? "m" : "");
  auto it = glyph_tables_.find(key);
  if (it != glyph_tables_.end()) return it->second.font ? &it->second : nullptr;
  GlyphTable& d = glyph_tables_[key];
  static const std::string kChars = [] {
    std::string all;
    for (char ch = 32; ch < 127; ++ch) all.push_back(ch);
    return all;
  }();
  // Shaped without kerning or ligatures, so each glyph's advance is its own
  // and not adjusted for the neighbour it happens to have in this table.
  PangoLayout* l = pango_layout_new(context_);
  set_font(l, f, 0);
  pango_layout_set_text(l, kChars.c_str(), static_cast<int>(kChars.size()));
  PangoAttrList* attrs = pango_attr_list_new();
  pango_attr_list_insert(attrs, pango_attr_font_features_new("kern 0, liga 0, clig 0"));
  pango_layout_set_attributes(l, attrs);
  pango_attr_list_unref(attrs);
  cache_.emplace(std::string("\x01glyph-table|") + key, l);  // owned by the cache, freed with it
  PangoLayoutLine* line = pango_layout_get_line_readonly(l, 0);
  if (!line || !line->runs || line->runs->next) return nullptr;  // one run with one font, or give up
  auto* run = static_cast<PangoGlyphItem*>(line->runs->data);
  PangoGlyphString* gs = run->glyphs;
  for (int i = 0; i < gs->num_glyphs; ++i) {
    int idx = gs->log_clusters[i];
    if (idx < 0 || idx >= static_cast<int>(kChars.size())) return nullptr;
    unsigned char ch = static_cast<unsigned char>(kChars[idx]);
    if (gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG) return nullptr;
    d.glyph[ch] = gs->glyphs[i].glyph;
    d.advance[ch] = gs->glyphs[i].geometry.width / static_cast<double>(PANGO_SCALE);
    d.has[ch] = true;
  }
  int w, h;
  pango_layout_get_pixel_size(l, &w, &h);
  d.height = h;
  d.baseline = pango_layout_get_baseline(l) / static_cast<double>(PANGO_SCALE);
  d.font = pango_cairo_font_get_scaled_font(reinterpret_cast<PangoCairoFont*>(run->item->analysis.font));
  d.pango_font = run->item->analysis.font;
  return d.font ? &d : nullptr;
}

// The extra signs, shaped once per font on first need: when one comes from
// another font (one run no longer), the table keeps ASCII only and Pango
// draws the rest.
void CairoCanvas::add_extra_glyphs(GlyphTable& d, const Font& f) {
  d.extra_tried = true;
  static const std::u32string kExtra = U"—–×±°≤≥…★†‡§·⁶";
  static const std::string kExtraUtf8 = "—–×±°≤≥…★†‡§·⁶";
  std::string key = std::to_string(std::lround(f.size * 100)) + (f.bold ? "b" : "") + (f.italic ? "i" : "") + (f.mono ? "m" : "");
  PangoLayout* e = pango_layout_new(context_);
  set_font(e, f, 0);
  pango_layout_set_text(e, kExtraUtf8.c_str(), static_cast<int>(kExtraUtf8.size()));
  PangoAttrList* eattrs = pango_attr_list_new();
  pango_attr_list_insert(eattrs, pango_attr_font_features_new("kern 0, liga 0, clig 0"));
  pango_layout_set_attributes(e, eattrs);
  pango_attr_list_unref(eattrs);
  cache_.emplace(std::string("\x01glyph-extra|") + key, e);
  PangoLayoutLine* eline = pango_layout_get_line_readonly(e, 0);
  if (!eline || !eline->runs || eline->runs->next) return;
  auto* erun = static_cast<PangoGlyphItem*>(eline->runs->data);
  if (pango_cairo_font_get_scaled_font(reinterpret_cast<PangoCairoFont*>(erun->item->analysis.font)) != d.font ||
      erun->glyphs->num_glyphs != static_cast<int>(kExtra.size()))
    return;
  // Byte offset of each sign in the UTF-8 text -> its index.
  std::vector<int> offset;
  for (size_t i = 0, b = 0; i < kExtra.size(); ++i) {
    offset.push_back(static_cast<int>(b));
    char32_t cp = kExtra[i];
    b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  std::vector<std::pair<char32_t, std::pair<unsigned long, double>>> found;
  for (int i = 0; i < erun->glyphs->num_glyphs; ++i) {
    auto at = std::find(offset.begin(), offset.end(), erun->glyphs->log_clusters[i]);
    if (at == offset.end() || (erun->glyphs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG)) return;
    found.push_back({kExtra[static_cast<size_t>(at - offset.begin())],
                     {erun->glyphs->glyphs[i].glyph, erun->glyphs->glyphs[i].geometry.width / static_cast<double>(PANGO_SCALE)}});
  }
  d.extra = std::move(found);
}

bool CairoCanvas::table_glyphs(const std::string& s, const Font& f, std::vector<TableGlyph>& run) {
  run.clear();
  if (s.empty()) return false;
  GlyphTable* d = glyph_table(f);
  if (!d) return false;
  // Glyph and advance per character: ASCII from the table, a few signs from
  // `extra`, anything else is Pango's.
  for (size_t i = 0; i < s.size();) {
    unsigned char u = static_cast<unsigned char>(s[i]);
    if (u < 128) {
      if (!d->has[u]) return false;
      run.push_back({d->glyph[u], d->advance[u], 1});
      ++i;
      continue;
    }
    size_t n = (u & 0xE0) == 0xC0 ? 2 : (u & 0xF0) == 0xE0 ? 3 : (u & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    if (!d->extra_tried) add_extra_glyphs(*d, f);
    char32_t cp = n == 2 ? (u & 0x1F) : n == 3 ? (u & 0x0F) : (u & 0x07);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    auto it = std::find_if(d->extra.begin(), d->extra.end(), [&](const auto& e) { return e.first == cp; });
    if (it == d->extra.end()) return false;
    run.push_back({it->second.first, it->second.second, static_cast<unsigned>(n)});
    i += n;
  }
  return true;
}

bool CairoCanvas::fast_text(const std::string& s, const Font& f, double max_width, double x, double y, Color c, Align a, VAlign v,
                       bool draw, Rect& out) {
  thread_local std::vector<TableGlyph> run;
  if (!table_glyphs(s, f, run)) return false;
  GlyphTable* d = glyph_table(f);
  double w = 0;
  for (const auto& g : run) w += g.advance;
  if (max_width > 0 && w > max_width) return false;  // needs wrapping: Pango's job
  double left = a == Align::left ? x : a == Align::center ? x - w / 2.0 : x - w;
  double top = v == VAlign::middle ? y - d->height / 2.0 : v == VAlign::bottom ? y - d->height
               : v == VAlign::baseline ? y - d->baseline : y;
  out = {left, top, w, d->height};
  if (!draw) return true;
  std::vector<cairo_glyph_t> glyphs;
  glyphs.reserve(run.size());
  double pen = left;
  for (const auto& g : run) {
    glyphs.push_back({g.glyph, pen, top + d->baseline});
    pen += g.advance;
  }
  cairo_save(cr_);
  cairo_set_scaled_font(cr_, d->font);
  cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a);
  cairo_show_glyphs(cr_, glyphs.data(), static_cast<int>(glyphs.size()));
  cairo_restore(cr_);
  return true;
}

Rect CairoCanvas::measure(const std::string& s, const Font& f, double max_width) {
  Rect r;
  if (fast_text(s, f, max_width, 0, 0, {}, Align::left, VAlign::top, false, r)) return r;
  return layout_text(shaped(s, f, max_width, false), 0, 0, {}, Align::left, VAlign::top, false);
}

CairoCanvas::Lines CairoCanvas::lines(const std::string& s, const Font& f, double max_width, bool is_markup) {
  Lines out;
  // One line from the glyph table, as text() draws it in the PDF (no Pango).
  if (!is_markup && fast_text(s, f, max_width, 0, 0, {}, Align::left, VAlign::top, false, out.box)) {
    out.lines.push_back({s, glyph_table(f)->baseline});
    return out;
  }
  PangoLayout* l = shaped(s, f, max_width, is_markup);
  out.box = layout_text(l, 0, 0, {}, Align::left, VAlign::top, false);
  const char* text = pango_layout_get_text(l);
  PangoLayoutIter* it = pango_layout_get_iter(l);
  do {
    PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
    std::string part(text + line->start_index, static_cast<size_t>(line->length));
    while (!part.empty() && (part.back() == '\n' || part.back() == '\r')) part.pop_back();
    out.lines.push_back({part, pango_layout_iter_get_baseline(it) / static_cast<double>(PANGO_SCALE)});
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  return out;
}

const CairoCanvas::Shaped& CairoCanvas::shape(const std::string& s, const Font& f, double max_width, bool is_markup, bool pango_only) {
  Shaped& out = shaped_;
  out.runs.clear();
  thread_local std::vector<TableGlyph> table_run;
  double table_width = 0;
  bool from_table = !is_markup && !pango_only && table_glyphs(s, f, table_run);
  for (const auto& g : table_run) table_width += g.advance;
  if (from_table && !(max_width > 0 && table_width > max_width)) {  // as fast_text() decides
    GlyphTable* d = glyph_table(f);
    out.box = {0, 0, table_width, d->height};
    out.baseline = d->baseline;
    out.text = s;
    GlyphRun run{d->pango_font, {}};
    run.glyphs.reserve(table_run.size());
    double pen = 0;
    unsigned at = 0;
    for (const auto& g : table_run) {
      run.glyphs.push_back({static_cast<unsigned>(g.glyph), pen, d->baseline, at, g.bytes});
      pen += g.advance;
      at += g.bytes;
    }
    out.runs.push_back(std::move(run));
    return out;
  }
  PangoLayout* l = shaped(s, f, pango_only ? 0 : max_width, is_markup);
  out.box = layout_text(l, 0, 0, {}, Align::left, VAlign::top, false);
  out.baseline = pango_layout_get_baseline(l) / static_cast<double>(PANGO_SCALE);
  out.text = pango_layout_get_text(l);
  PangoLayoutIter* it = pango_layout_get_iter(l);
  do {
    PangoLayoutRun* run = pango_layout_iter_get_run_readonly(it);
    if (!run) continue;  // the end of a line
    PangoRectangle logical;
    pango_layout_iter_get_run_extents(it, nullptr, &logical);
    double baseline = pango_layout_iter_get_run_baseline(it);
    GlyphRun glyphs{run->item->analysis.font, {}};
    const PangoGlyphString* gs = run->glyphs;
    int pen = logical.x;
    for (int i = 0; i < gs->num_glyphs; ++i) {
      const PangoGlyphInfo& g = gs->glyphs[i];
      if (!(g.glyph & PANGO_GLYPH_UNKNOWN_FLAG) && g.glyph != PANGO_GLYPH_EMPTY) {
        // The bytes of this glyph's cluster, given to its first glyph only.
        unsigned at = 0, len = 0;
        if (i == 0 || gs->log_clusters[i] != gs->log_clusters[i - 1]) {
          int start = gs->log_clusters[i], end = run->item->length;
          for (int k = i + 1; k < gs->num_glyphs; ++k)
            if (gs->log_clusters[k] != start) {
              end = gs->log_clusters[k];
              break;
            }
          if (end > start) {
            at = static_cast<unsigned>(run->item->offset + start);
            len = static_cast<unsigned>(end - start);
          }
        }
        glyphs.glyphs.push_back({g.glyph, (pen + g.geometry.x_offset) / static_cast<double>(PANGO_SCALE),
                                 (baseline + g.geometry.y_offset) / PANGO_SCALE, at, len});
      }
      pen += g.geometry.width;
    }
    if (!glyphs.glyphs.empty()) out.runs.push_back(std::move(glyphs));
  } while (pango_layout_iter_next_run(it));
  pango_layout_iter_free(it);
  return out;
}

Rect CairoCanvas::measure_markup(const std::string& m, const Font& f, double max_width) {
  return layout_text(shaped(m, f, max_width, true), 0, 0, {}, Align::left, VAlign::top, false);
}

void CairoCanvas::text_rotated(double x, double y, const std::string& s, const Font& f, Color c) {
  PangoLayout* l = shaped(s, f, 0, false);
  int w, h;
  pango_layout_get_pixel_size(l, &w, &h);
  cairo_save(cr_);
  cairo_translate(cr_, x, y);
  cairo_rotate(cr_, -M_PI / 2);
  cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a);
  cairo_move_to(cr_, -w / 2.0, -h / 2.0);
  pango_cairo_show_layout(cr_, l);
  cairo_restore(cr_);
}

void CairoCanvas::segments(const std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>>& segs, Color c,
                      double width) {
  if (segs.empty()) return;
  cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a);
  cairo_set_line_width(cr_, width);
  for (const auto& [a, b] : segs) {
    cairo_move_to(cr_, a.first, a.second);
    cairo_line_to(cr_, b.first, b.second);
  }
  cairo_stroke(cr_);
}

void CairoCanvas::line(double x0, double y0, double x1, double y1, Color c, double width, bool dashed) {
  cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a);
  cairo_set_line_width(cr_, width);
  if (dashed) {
    double d[] = {3, 2};
    cairo_set_dash(cr_, d, 2, 0);
  }
  cairo_move_to(cr_, x0, y0);
  cairo_line_to(cr_, x1, y1);
  cairo_stroke(cr_);
  if (dashed) cairo_set_dash(cr_, nullptr, 0, 0);
}

void CairoCanvas::polyline(const std::vector<std::pair<double, double>>& pts, Color c, double width, bool dashed) {
  if (pts.size() < 2) return;
  cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a);
  cairo_set_line_width(cr_, width);
  cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
  if (dashed) {
    double d[] = {3, 2};
    cairo_set_dash(cr_, d, 2, 0);
  }
  cairo_move_to(cr_, pts[0].first, pts[0].second);
  for (size_t i = 1; i < pts.size(); ++i) cairo_line_to(cr_, pts[i].first, pts[i].second);
  cairo_stroke(cr_);
  if (dashed) cairo_set_dash(cr_, nullptr, 0, 0);
}

// A marker-sized circle as two cubic Béziers (k = 4/3 for a half circle):
// the error is ~0.05 pt at r = 3 pt, invisible, and half the coordinates
// of cairo_arc's four segments — dense panels emit tens of thousands.
void add_circle(cairo_t* cr, double x, double y, double r) {
  const double k = 4.0 / 3.0 * r;
  cairo_move_to(cr, x + r, y);
  cairo_curve_to(cr, x + r, y + k, x - r, y + k, x - r, y);
  cairo_curve_to(cr, x - r, y - k, x + r, y - k, x + r, y);
  cairo_close_path(cr);
}

void add_shape(cairo_t* cr, double x, double y, const MarkStyle& s) {
  double r = s.size;
  switch (s.shape) {
    case Shape::circle: add_circle(cr, x, y, r); break;
    case Shape::square: cairo_rectangle(cr, x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7); break;
    case Shape::triangle:
      cairo_move_to(cr, x, y - r);
      cairo_line_to(cr, x + r * 0.95, y + r * 0.7);
      cairo_line_to(cr, x - r * 0.95, y + r * 0.7);
      cairo_close_path(cr);
      break;
    case Shape::diamond:
      cairo_move_to(cr, x, y - r);
      cairo_line_to(cr, x + r, y);
      cairo_line_to(cr, x, y + r);
      cairo_line_to(cr, x - r, y);
      cairo_close_path(cr);
      break;
    case Shape::star: {
      // Five points, inner radius 0.45 r.
      for (int i = 0; i < 10; ++i) {
        double a = -M_PI / 2 + i * M_PI / 5, rr = i % 2 ? r * 0.45 : r * 1.15;
        if (i == 0) cairo_move_to(cr, x + rr * std::cos(a), y + rr * std::sin(a));
        else cairo_line_to(cr, x + rr * std::cos(a), y + rr * std::sin(a));
      }
      cairo_close_path(cr);
      break;
    }
    case Shape::x: {
      double d = r * 0.85;
      cairo_move_to(cr, x - d, y - d);
      cairo_line_to(cr, x + d, y + d);
      cairo_move_to(cr, x - d, y + d);
      cairo_line_to(cr, x + d, y - d);
      break;
    }
  }
}

void CairoCanvas::markers(const std::vector<std::pair<double, double>>& at, const MarkStyle& s) {
  if (at.empty()) return;
  cairo_t* cr = cr_;
  cairo_new_path(cr);
  for (const auto& [x, y] : at) add_shape(cr, x, y, s);
  cairo_set_source_rgba(cr, s.color.r, s.color.g, s.color.b, s.color.a);
  if (s.shape == Shape::x) {
    cairo_set_line_width(cr, s.filled ? 1.6 : 0.9);
    cairo_stroke(cr);
  } else if (s.filled) {
    cairo_fill(cr);
  } else {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, s.color.r, s.color.g, s.color.b, s.color.a);
    cairo_set_line_width(cr, 1.1);
    cairo_stroke(cr);
  }
  if (s.emphasized_edge) {
    double dash[] = {1.2, 1.2};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 0.6);
    for (const auto& [x, y] : at) add_circle(cr, x, y, s.size + 1.6);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  }
  if (s.undercount_mark) {
    // A square frame: the steady window was too short for the throughput.
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    cairo_set_line_width(cr, 0.6);
    for (const auto& [x, y] : at) {
      double d = s.size + 2.2;
      cairo_rectangle(cr, x - d, y - d, 2 * d, 2 * d);
    }
    cairo_stroke(cr);
  }
}

void CairoCanvas::gradient_rect(const Rect& r, const std::vector<std::pair<double, Color>>& stops) {
  // One native PDF gradient.
  cairo_pattern_t* grad = cairo_pattern_create_linear(0, r.bottom(), 0, r.y);
  for (const auto& [t, col] : stops) cairo_pattern_add_color_stop_rgb(grad, t, col.r, col.g, col.b);
  cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
  cairo_set_source(cr_, grad);
  cairo_fill(cr_);
  cairo_pattern_destroy(grad);
}

void CairoCanvas::rect_fill(const Rect& r, Color c) {
  cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a);
  cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
  cairo_fill(cr_);
}

void CairoCanvas::rect_stroke(const Rect& r, Color c, double width) {
  cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a);
  cairo_set_line_width(cr_, width);
  cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
  cairo_stroke(cr_);
}

void CairoCanvas::hatch(const Rect& r, Color bg, Color line_color, double spacing) {
  rect_fill(r, bg);
  cairo_save(cr_);
  cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
  cairo_clip(cr_);
  cairo_set_source_rgba(cr_, line_color.r, line_color.g, line_color.b, line_color.a);
  cairo_set_line_width(cr_, 0.5);
  for (double d = -r.h; d < r.w; d += spacing) {
    cairo_move_to(cr_, r.x + d, r.bottom());
    cairo_line_to(cr_, r.x + d + r.h, r.y);
  }
  cairo_stroke(cr_);
  cairo_restore(cr_);
}

void CairoCanvas::save() { cairo_save(cr_); }
void CairoCanvas::restore() { cairo_restore(cr_); }
void CairoCanvas::clip(const Rect& r) {
  cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
  cairo_clip(cr_);
}

// A Cairo surface here measures or records (the PDF writer keeps the links).
void CairoCanvas::link(const Rect&, const std::string&) {}

}  // namespace ptr::chart
