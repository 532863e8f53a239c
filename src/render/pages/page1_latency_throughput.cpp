// Page 1: one row per max_num_batched_tokens (5 rows a page, more pages when
// the data has more values) x two panels: TTFT vs request throughput, and
// tok/s/user vs output tok/s/GPU with each variant's Pareto frontier.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "analysis/pareto.hpp"
#include "render/chart/axes.hpp"
#include "render/chart/marks.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

constexpr int kRowsPerPage = 5;

struct Extent {
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  void add(double x, double y) {
    xlo = std::min(xlo, x);
    xhi = std::max(xhi, x);
    ylo = std::min(ylo, y);
    yhi = std::max(yhi, y);
  }
  bool empty() const { return !(xhi >= xlo); }
};

struct PanelKind {
  const char* title;
  AxisSpec x, y;
  std::optional<double> (*xv)(const Point&);
  std::optional<double> (*yv)(const Point&);
  bool frontier;
};

const PanelKind kLeft{"TTFT vs request throughput", {"request throughput (req/s)", true}, {"TTFT avg (ms)", true},
                      [](const Point& p) { return p.request_throughput_rps; }, [](const Point& p) { return p.ttft_ms.mean; },
                      false};
const PanelKind kRight{"tok/s/user vs output tok/s/GPU",
                       {"output tok/s/GPU", true},
                       {"tok/s/user", true},
                       [](const Point& p) { return p.output_tok_s_per_gpu; },
                       [](const Point& p) { return p.tok_s_per_user; },
                       true};

Extent extent_of(const ReportInputs& in, const PanelKind& k) {
  Extent e;
  for (const auto& cell : in.cells)
    for (const auto& p : cell.points)
      if (plot_ready(p) && has(k.xv(p)) && has(k.yv(p))) e.add(*k.xv(p), *k.yv(p));
  return e;
}

const Font kInline{6.5};
const Font kFailFont{6.5, true};

void draw_panel(PageFrame& f, const Rect& area, long mbt, const PanelKind& k, const Extent& ext) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  std::string title = fmt::format("mbt {} — {}", mbt, k.title);
  std::vector<const AtlasCell*> cells;
  for (const auto& cell : in.cells)
    if (cell.max_num_batched_tokens == mbt) cells.push_back(&cell);
  if (ext.empty()) {
    draw_empty_panel(c, area, title, "no plot-ready points with these metrics");
    return;
  }
  Panel p = make_panel(area, ext.xlo, ext.xhi, k.x, ext.ylo, ext.yhi, k.y);
  draw_axes(c, p, title, k.x, k.y);
  LabelPlacer labels(p.plot.inset(1));
  struct Placed {
    double x, y;
    long conc;
    const Variant* v;
  };
  std::vector<Placed> placed;
  int unplaceable = 0;
  for (const AtlasCell* cell : cells) {
    const Variant& v = in.variant(*cell);
    std::vector<std::pair<double, double>> xy;
    std::vector<std::pair<long, std::pair<double, double>>> by_conc;
    for (const auto& pt : cell->points) {
      if (!plot_ready(pt)) continue;
      if (!has(k.xv(pt)) || !has(k.yv(pt))) {
        ++unplaceable;
        continue;
      }
      double x = p.px(*k.xv(pt)), y = p.py(*k.yv(pt));
      by_conc.push_back({*pt.concurrency, {x, y}});
      xy.push_back({*k.xv(pt), *k.yv(pt)});
    }
    std::sort(by_conc.begin(), by_conc.end());
    Color faint = v.style.color;
    faint.a = 0.35;
    std::vector<std::pair<double, double>> path;
    for (const auto& [conc, pos] : by_conc) path.push_back(pos);
    if (!k.frontier) c.polyline(path, faint, 0.6);
    if (k.frontier && xy.size() >= 2) {
      std::vector<std::pair<double, double>> front;
      for (size_t i : pareto_front(xy)) front.push_back({p.px(xy[i].first), p.py(xy[i].second)});
      Color line = v.style.color;
      line.a = 0.8;
      c.polyline(front, line, 0.7);
    }
    MarkStyle s = v.style;
    s.emphasized_edge = cell->status == "partial";
    std::vector<std::pair<double, double>> at;
    for (const auto& [conc, pos] : by_conc) at.push_back(pos);
    draw_markers(c, at, s);
    for (const auto& [conc, pos] : by_conc) {
      labels.add_obstacle(marker_box(pos.first, pos.second, s));
      if (std::find(in.options.label_concurrencies.begin(), in.options.label_concurrencies.end(), conc) !=
          in.options.label_concurrencies.end())
        placed.push_back({pos.first, pos.second, conc, &v});
    }
  }
  // Failed points: never dropped, never at zero. One boxed line per cell,
  // stacked in the plot corner that hides the fewest points, with a marker on
  // the panel edge, the failed concurrencies and completed/requested counts.
  std::vector<std::string> fail_labels;
  std::vector<MarkStyle> fail_styles;
  for (const AtlasCell* cell : cells) {
    std::string concs;
    long done = 0, asked = 0;
    bool asked_known = true;
    for (const auto& pt : cell->points) {
      if (pt.status != "failed") continue;
      concs += (concs.empty() ? "" : ",") + (pt.concurrency ? std::to_string(*pt.concurrency) : std::string("?"));
      done += pt.completed.value_or(0);
      if (pt.num_prompts) asked += *pt.num_prompts;
      else asked_known = false;
    }
    if (concs.empty()) continue;
    const Variant& v = in.variant(*cell);
    fail_labels.push_back(fmt::format("FAILED {} c={}: {}/{} completed", v.label, concs, done,
                                      asked_known ? std::to_string(asked) : std::string("?")));
    MarkStyle s = v.style;
    s.size = 2.4;
    fail_styles.push_back(s);
  }
  if (!fail_labels.empty()) {
    double w = 0, h = 0;
    for (const auto& l : fail_labels) {
      Rect m = c.measure(l, kFailFont);
      w = std::max(w, m.w + 14);
      h += m.h + 3;
    }
    std::vector<std::pair<double, double>> pts;
    for (const auto& pl : placed) pts.push_back({pl.x, pl.y});
    for (const AtlasCell* cell : cells)
      for (const auto& pt : cell->points)
        if (plot_ready(pt) && has(k.xv(pt)) && has(k.yv(pt))) pts.push_back({p.px(*k.xv(pt)), p.py(*k.yv(pt))});
    Rect box = best_legend_corner(p.plot, {0, 0, w + 4, h + 2}, pts);
    double fy = box.y + 2;
    for (size_t i = 0; i < fail_labels.size(); ++i) {
      Rect m = c.measure(fail_labels[i], kFailFont);
      Rect r{box.x + 2, fy - 1, m.w + 14, m.h + 2};
      c.rect_fill(r, Color{1, 0.93, 0.93, 0.95});
      c.rect_stroke(r, Color::hex(0xc62828), 0.5);
      draw_marker(c, r.x + 5.5, fy + m.h / 2, fail_styles[i]);
      c.text(r.x + 11, fy, fail_labels[i], kFailFont, Color::hex(0xb71c1c));
      labels.add_obstacle(r);
      fy += m.h + 3;
    }
  }
  for (const auto& pl : placed) labels.place(c, pl.x, pl.y, fmt::format("c={}", pl.conc), kInline, Color::hex(0x333333));
  if (unplaceable > 0)
    f.drawn_warnings.push_back(fmt::format("page 1, mbt {}, {}: {} plot-ready point(s) lack {} or {} and are not drawn",
                                           mbt, k.title, unplaceable, k.x.label, k.y.label));
}

// At most this many legend entries; the rest are named by count (every
// variant still has its own row on page 2).
constexpr size_t kMaxLegend = 24;

std::vector<LegendEntry> variant_legend(const ReportInputs& in) {
  std::vector<LegendEntry> out;
  for (size_t i = 0; i < in.variants.size() && i < kMaxLegend; ++i) out.push_back({in.variants[i].label, in.variants[i].style});
  if (in.variants.size() > kMaxLegend) {
    MarkStyle none;
    none.color = Color{1, 1, 1, 0};
    out.push_back({fmt::format("… and {} more variants (see page 2)", in.variants.size() - kMaxLegend), none});
  }
  return out;
}

void draw_header(PageFrame& f, double& y) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  const Rect& b = f.body;
  c.text(b.x, y, in.coverage.line(), Font{8.5, true}, Color::hex(0x1a237e));
  y += 13;
  std::string variants = in.options.variants_line.value_or("");
  if (variants.empty()) {
    variants = fmt::format("Variants ({}): ", in.variants.size());
    for (size_t i = 0; i < in.variants.size() && i < kMaxLegend; ++i) variants += (i ? ", " : "") + in.variants[i].label;
    if (in.variants.size() > kMaxLegend) variants += fmt::format(", … {} more", in.variants.size() - kMaxLegend);
  }
  Rect r = c.text(b.x, y, variants, Font{7.5}, Color::hex(0x333333), Align::left, VAlign::top, b.w);
  y += r.h + 2;
  std::string source = in.options.data_source_line.value_or("");
  if (source.empty()) {
    std::map<std::string, int> backends;
    for (const auto& cell : in.cells) backends[cell.backend.value_or("unknown")]++;
    source = "Data source: ";
    bool first = true;
    for (const auto& [b2, n] : backends) {
      source += fmt::format("{}{} ({} cells)", first ? "" : ", ", b2, n);
      first = false;
    }
    source += fmt::format(" — campaign {}", in.campaign_id);
  }
  r = c.text(b.x, y, source, Font{7.5}, Color::hex(0x333333), Align::left, VAlign::top, b.w);
  y += r.h + 5;
  auto entries = variant_legend(in);
  int columns = std::min<int>(4, std::max<int>(1, static_cast<int>(entries.size())));
  Rect size = legend_size(c, entries, Font{7.5}, columns);
  size.w = std::min(size.w, b.w);
  draw_legend(c, {b.x, y, size.w, size.h}, entries, Font{7.5}, columns, true);
  y += size.h + 3;
  c.text(b.x, y,
         "Colour = hardware and TP; × = TP, ● = EP; hollow = MTP on; dashed ring = partial sweep; "
         "thin lines join a variant's concurrencies (left) and trace its Pareto frontier (right); labels c=N mark "
         "profiling concurrencies; FAILED boxes list points with no completed request.",
         Font{6.5, false, true}, Color::hex(0x555555), Align::left, VAlign::top, b.w);
  y += 20;
}

}  // namespace

PageSpec page1_spec() {
  PageSpec s;
  s.id = "page1";
  s.title = "Latency and throughput by max_num_batched_tokens";
  s.precondition = [](const ReportInputs& in) -> std::optional<Omission> {
    if (in.mbt_values.empty())
      return Omission{"page1", "no atlas cell carries max_num_batched_tokens",
                      "set max_num_batched_tokens for each cell in the campaign config (or --mbt when importing)"};
    if (in.coverage.plot_ready_points == 0)
      return Omission{"page1", "no plot-ready concurrency points (every point failed or lacks a concurrency)",
                      "import sweeps run with --max-concurrency; see report_status.json warnings"};
    return std::nullopt;
  };
  s.count = [](const ReportInputs& in) {
    return std::max<int>(1, (static_cast<int>(in.mbt_values.size()) + kRowsPerPage - 1) / kRowsPerPage);
  };
  s.draw = [](PageFrame& f, int index) {
    double y = f.body.y;
    if (index == 0) draw_header(f, y);
    else {
      f.c.text(f.body.x, y, fmt::format("(continued) {}", f.in.coverage.line()), Font{7.5}, Color::hex(0x555555));
      y += 16;
    }
    Extent left = extent_of(f.in, kLeft), right = extent_of(f.in, kRight);
    size_t first = static_cast<size_t>(index) * kRowsPerPage;
    size_t rows = std::min<size_t>(kRowsPerPage, f.in.mbt_values.size() - first);
    double row_h = (f.body.bottom() - y) / kRowsPerPage;
    double gap = 14, col_w = (f.body.w - gap) / 2;
    for (size_t r = 0; r < rows; ++r) {
      long mbt = f.in.mbt_values[first + r];
      double ry = y + r * row_h;
      draw_panel(f, {f.body.x, ry, col_w, row_h - 6}, mbt, kLeft, left);
      draw_panel(f, {f.body.x + col_w + gap, ry, col_w, row_h - 6}, mbt, kRight, right);
    }
  };
  return s;
}

}  // namespace ptr
