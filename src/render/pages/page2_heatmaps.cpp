// Page 2: output tok/s/GPU and TTFT as tables. With several variants and
// several facet values: at each heatmap concurrency a heat table per metric,
// variants x facets, every table of a metric on one colour scale for the
// whole report. With one variant or one facet value: plain tables by
// concurrency (a 1 x 1 heat map says nothing). A cell without a clean number
// is gray and hatched and says why.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

#include "analysis/point_quality.hpp"
#include "model/fields.hpp"
#include "render/chart/axes.hpp"
#include "render/chart/table.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

struct Metric {
  const char* title;
  const char* unit;
  bool higher_is_better;
  int decimals;
  std::optional<double> (*get)(const Point&);
  const char* spread_key;
};

const Metric kTput{"output tok/s/GPU", "tok/s/GPU", true, 0, [](const Point& p) { return p.output_tok_s_per_gpu; }, "output_tok_s"};
const Metric kTtft{"TTFT avg (ms)", "ms", false, 0, [](const Point& p) { return p.ttft_ms.mean; }, "ttft_ms_mean"};

// The colour range spans at least this share of its largest value, so that
// differences within run-to-run noise stay close in colour.
constexpr double kMinRelativeSpan = 0.25;
constexpr size_t kMaxPlainColumns = 12;
constexpr double kHeaderHeight = 58;

// "mbt", "ISL": the facet field as its labels name it.
std::string facet_short_name(const ReportInputs& in) {
  if (in.facet_field.empty()) return "facet";
  const auto* f = find_cell_field(in.facet_field);
  std::string pattern = f && f->label ? f->label : "";
  auto at = pattern.find(" {}");
  return at != std::string::npos && at > 0 ? pattern.substr(0, at) : in.facet_field;
}

// The heat tables' concurrencies: as given, else 8, 16 and 32 where the data
// has them, else the three concurrencies the most cells measured.
std::vector<long> heat_concurrencies(const ReportInputs& in) {
  if (in.options.given("heatmap_concurrencies")) return in.options.longs("heatmap_concurrencies");
  std::map<long, long> cells_at;
  for (const auto& cell : in.cells) {
    std::set<long> seen;
    for (const auto& p : cell.points)
      if (p.concurrency && p.status != "failed") seen.insert(*p.concurrency);
    for (long c : seen) ++cells_at[c];
  }
  std::vector<long> out;
  for (long c : {8L, 16L, 32L})
    if (cells_at.count(c)) out.push_back(c);
  if (!out.empty()) return out;
  std::vector<std::pair<long, long>> by_count;
  for (const auto& [c, n] : cells_at) by_count.push_back({-n, c});
  std::sort(by_count.begin(), by_count.end());
  for (size_t i = 0; i < by_count.size() && i < 3; ++i) out.push_back(by_count[i].second);
  std::sort(out.begin(), out.end());
  return out.empty() ? std::vector<long>{8, 16, 32} : out;
}

bool plain_mode(const ReportInputs& in) { return in.variants.size() <= 1 || in.facets.size() <= 1; }

const Point* point_at(const AtlasCell& cell, long conc) {
  for (const auto& p : cell.points)
    if (p.concurrency == conc) return &p;
  return nullptr;
}

// The number and marks for one (cell, concurrency).
HeatCell heat_cell_value(const AtlasCell* cell, long conc, const Metric& m, bool with_spread) {
  if (!cell) return {std::nullopt, "—", "", false};
  const Point* pt = point_at(*cell, conc);
  if (!pt) return {std::nullopt, "missing", "", false};
  if (pt->status == "failed")
    return {std::nullopt,
            fmt::format("failed {}/{}", pt->completed.value_or(0), pt->num_prompts ? std::to_string(*pt->num_prompts) : "?"), "",
            false};
  if (!has(m.get(*pt))) return {std::nullopt, "n/a", "", false};
  PointQuality q = quality_of(*pt);
  HeatCell hc{m.get(*pt), "", "", q.partial};
  if (with_spread)
    if (auto sd = spread_of(*pt, m.spread_key)) {
      // TTFT's spread is in ms; throughput's is per endpoint: scale it per GPU.
      double k = m.spread_key == std::string("output_tok_s") && has(pt->output_tok_s) ? *m.get(*pt) / *pt->output_tok_s : 1;
      hc.marks += fmt::format(" ±{:.{}f}", *sd * k, m.decimals);
    }
  if (q.partial) hc.marks += "*";
  else if (cell->status != "full") hc.marks += "°";
  if (q.undercount) hc.marks += "u";
  if (q.high_variance) hc.marks += "~";
  return hc;
}

// ... tagged with what it stands for (the HTML report's tooltip).
HeatCell heat_cell(const AtlasCell* cell, long conc, const Metric& m, bool with_spread) {
  HeatCell hc = heat_cell_value(cell, conc, m, with_spread);
  if (cell) hc.tag = {"data", cell->cell_id, {std::to_string(conc)}};
  return hc;
}

std::vector<long> plain_columns(const ReportInputs& in) {
  std::set<long> all;
  for (const auto& cell : in.cells)
    for (const auto& p : cell.points)
      if (p.concurrency) all.insert(*p.concurrency);
  if (all.size() > kMaxPlainColumns || all.empty()) return heat_concurrencies(in);
  return {all.begin(), all.end()};
}

// Plain-mode rows: (variant, facet) pairs along the dimension that varies.
struct Row {
  std::string label;
  const AtlasCell* cell;
};

std::vector<Row> plain_rows(const ReportInputs& in) {
  std::vector<Row> rows;
  if (in.variants.size() <= 1 && in.facets.size() > 1) {
    for (size_t f = 0; f < in.facets.size(); ++f)
      if (!in.variants.empty()) rows.push_back({in.facets[f].label, in.cell_in(0, f)});
  } else {
    for (size_t v = 0; v < in.variants.size(); ++v)
      for (size_t f = 0; f < in.facets.size(); ++f)
        if (const AtlasCell* c = in.cell_in(v, f))
          rows.push_back({in.facets.size() > 1 ? in.variants[v].label + " · " + in.facets[f].label : in.variants[v].label, c});
  }
  return rows;
}

// One scale per metric over every value page 2 colours, for the whole report.
ColorScale report_scale(const ReportInputs& in, const Metric& m, const std::vector<long>& concurrencies) {
  double lo = INFINITY, hi = -INFINITY;
  for (long conc : concurrencies)
    for (size_t v = 0; v < in.variants.size(); ++v)
      for (size_t f = 0; f < in.facets.size(); ++f) {
        HeatCell hc = heat_cell(in.cell_in(v, f), conc, m, false);
        if (!hc.value || hc.off_scale) continue;
        lo = std::min(lo, *hc.value);
        hi = std::max(hi, *hc.value);
      }
  ColorScale s;
  s.higher_is_better = m.higher_is_better;
  if (!std::isfinite(lo)) return s;
  double span = std::max(hi - lo, kMinRelativeSpan * std::max(std::fabs(hi), std::fabs(lo)));
  double mid = (lo + hi) / 2;
  s.lo = std::max(0.0, mid - span / 2);
  s.hi = s.lo + span;
  return s;
}

size_t heat_rows_per_page(size_t concurrencies, const Rect& body) {
  size_t blocks = std::max<size_t>(1, concurrencies);
  double per_block = (body.h - kHeaderHeight) / static_cast<double>(blocks) - 10;
  double rows = (per_block - kTableTitleHeight - kTableHeadHeight - 2) / kTableRowHeight;
  return static_cast<size_t>(std::max(3.0, std::floor(rows)));
}

size_t plain_rows_per_page(const Rect& body) {
  double rows = ((body.h - kHeaderHeight) / 2 - kTableTitleHeight - kTableHeadHeight - 14) / kTableRowHeight;
  return static_cast<size_t>(std::max(3.0, std::floor(rows)));
}

bool any_point_at(const ReportInputs& in, long conc) {
  for (const auto& cell : in.cells)
    for (const auto& p : cell.points)
      if (p.concurrency == conc && p.status != "failed") return true;
  return false;
}

std::string marks_legend(bool plain) {
  std::string s =
      "Gray hatched cells carry no clean number: — = no cell for this combination; missing = the cell has no point at this "
      "concurrency; failed c/r = c of r requests completed; n/a = metric not reported. Marks: * = a partial point (some "
      "requests or trials failed; hatched, off the colour scale); ° = a clean point of a cell that failed or was partial at "
      "other concurrencies; u = undercounted (num_prompts < 2 × concurrency); ~ = run-to-run CV of output tok/s > 10 %.";
  if (plain) s += " ± = std across trials.";
  return s;
}

// Computed once per render for every page-2 page.
struct Page2State {
  bool plain = false;
  std::vector<long> concurrencies;  // heat mode
  ColorScale tput, ttft;            // heat mode: one scale per metric for the whole report
  std::vector<Row> rows;            // plain mode
  std::vector<long> columns;        // plain mode
};

Page2State prepare_page2(const ReportInputs& in) {
  Page2State st;
  st.plain = plain_mode(in);
  if (st.plain) {
    st.rows = plain_rows(in);
    st.columns = plain_columns(in);
  } else {
    st.concurrencies = heat_concurrencies(in);
    st.tput = report_scale(in, kTput, st.concurrencies);
    st.ttft = report_scale(in, kTtft, st.concurrencies);
  }
  return st;
}

void draw_plain(PageFrame& f, int index, const Page2State& st) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  const auto& rows = st.rows;
  const auto& cols = st.columns;
  size_t per = plain_rows_per_page(f.body);
  size_t first = static_cast<size_t>(index) * per, count = std::min(per, rows.size() - first);
  double y = f.body.y;
  std::string why = in.variants.size() <= 1
                        ? "one variant"
                        : fmt::format("one value of {}", in.facet_field.empty() ? std::string("every facet field") : in.facet_field);
  Rect r = c.text(f.body.x, y,
                  fmt::format("Plain tables by concurrency ({}: a heat map needs several variants and several values of "
                              "the facet field to compare). ",
                              why) +
                      marks_legend(true),
                  Font{6.5, false, true}, Color::hex(0x444444), Align::left, VAlign::top, f.body.w);
  y += r.h + 8;
  // Stacked, each the full width: up to 12 columns of "1706 ±140" stay readable.
  for (const Metric* m : {&kTput, &kTtft}) {
    HeatTable t;
    t.title = fmt::format("{} by concurrency", m->title);
    t.corner_label = in.variants.size() <= 1 && in.facets.size() > 1 ? in.facet_field : "variant";
    t.unit = m->unit;
    t.decimals = m->decimals;
    for (long conc : cols) t.col_labels.push_back(fmt::format("c={}", conc));
    for (size_t i = first; i < first + count; ++i) {
      t.row_labels.push_back(rows[i].label);
      std::vector<HeatCell> line;
      for (long conc : cols) line.push_back(heat_cell(rows[i].cell, conc, *m, true));
      t.cells.push_back(line);
    }
    draw_heat_table(c, {f.body.x, y, f.body.w, table_height(count)}, t);
    y += table_height(count) + 12;
  }
}

void draw_heat(PageFrame& f, int index, const Page2State& st) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  size_t per = heat_rows_per_page(st.concurrencies.size(), f.body);
  size_t first = static_cast<size_t>(index) * per, count = std::min(per, in.variants.size() - first);
  const ColorScale &tput = st.tput, &ttft = st.ttft;
  double y = f.body.y;
  std::string scale = fmt::format(
      "Colour: one scale per metric for the whole report (output tok/s/GPU {:.0f}–{:.0f}, TTFT {:.0f}–{:.0f} ms; brighter = "
      "better); each scale spans at least {:.0f} % of its largest value, so differences within run-to-run noise stay close "
      "in colour. ",
      tput.lo, tput.hi, ttft.lo, ttft.hi, kMinRelativeSpan * 100);
  Rect r = c.text(f.body.x, y, scale + marks_legend(false), Font{6.5, false, true}, Color::hex(0x444444), Align::left,
                  VAlign::top, f.body.w);
  y += r.h + 8;
  const auto& concs = st.concurrencies;
  double gap = 16, col_w = (f.body.w - gap) / 2;
  double block_h = table_height(count) + 10;
  for (size_t i = 0; i < concs.size(); ++i) {
    for (const Metric* m : {&kTput, &kTtft}) {
      HeatTable t;
      t.title = fmt::format("{} at concurrency {}", m->title, concs[i]);
      t.corner_label = "variant \\ " + facet_short_name(in);
      t.unit = m->unit;
      t.decimals = m->decimals;
      t.scale = m == &kTput ? tput : ttft;
      for (const auto& fc : in.facets) t.col_labels.push_back(fc.value == "?" ? "unknown" : fc.value);
      for (size_t v = first; v < first + count; ++v) {
        t.row_labels.push_back(in.variants[v].label);
        std::vector<HeatCell> line;
        for (size_t fc = 0; fc < in.facets.size(); ++fc) line.push_back(heat_cell(in.cell_in(v, fc), concs[i], *m, false));
        t.cells.push_back(line);
      }
      double x = m == &kTput ? f.body.x : f.body.x + col_w + gap;
      draw_heat_table(c, {x, y + i * block_h, col_w, block_h - 10}, t);
    }
  }
}

}  // namespace

PageSpec page2_spec() {
  PageSpec s;
  s.id = "page2";
  s.title = "Throughput and TTFT tables";
  s.params = {{"heatmap_concurrencies", PageParamKind::int_list, nullptr,
               "Concurrencies of the page-2 heat tables (comma list) [default: 8, 16 and 32 where measured, else the three "
               "concurrencies most cells measured]; plain tables show every concurrency up to 12."}};
  s.precondition = [](const ReportInputs& in) -> std::optional<Omission> {
    if (in.variants.empty()) return Omission{"page2", "no cells", "import results into the campaign"};
    if (plain_mode(in)) {
      for (const auto& cell : in.cells)
        for (const auto& p : cell.points)
          if (p.concurrency && p.status != "failed") return std::nullopt;
      return Omission{"page2", "no measured point with a concurrency", "import sweeps run with --max-concurrency"};
    }
    std::string list;
    for (long c : heat_concurrencies(in)) {
      if (any_point_at(in, c)) return std::nullopt;
      list += (list.empty() ? "" : ", ") + std::to_string(c);
    }
    return Omission{"page2", "no measured point at any heatmap concurrency (" + list + ")",
                    "run the sweeps at those concurrencies, or pass --heatmap-concurrencies with ones the data has"};
  };
  s.count = [](const ReportInputs& in, const Rect& body) {
    size_t rows = plain_mode(in) ? plain_rows(in).size() : in.variants.size();
    size_t per = plain_mode(in) ? plain_rows_per_page(body) : heat_rows_per_page(heat_concurrencies(in).size(), body);
    return static_cast<int>(std::max<size_t>(1, (rows + per - 1) / per));
  };
  s.prepare = [](const ReportInputs& in) -> std::any { return prepare_page2(in); };
  s.draw = [](PageFrame& f, int index) {
    const auto& st = std::any_cast<const Page2State&>(*f.prepared);
    if (st.plain) draw_plain(f, index, st);
    else draw_heat(f, index, st);
  };
  return s;
}

}  // namespace ptr
