// Page 1: per facet value (mbt when it varies, else what the --facet rule
// picks) two panels: TTFT vs request throughput, and interactivity vs output
// tok/s/GPU with each series' Pareto frontier. One series per cell, coloured
// by variant; error bars when a point has trials; SLA guide lines and each
// series' SLA point; failed points in a strip under the panel, never on the
// data. More than kVariantsPerChunk variants become small multiples.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <set>

#include "analysis/pareto.hpp"
#include "analysis/point_quality.hpp"
#include "render/chart/axes.hpp"
#include "render/chart/marks.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

constexpr size_t kMaxRowsPerPage = 5;
constexpr size_t kMaxFailLines = 4;

using Getter = std::function<std::optional<double>(const ReportInputs&, const Point&)>;

struct PanelKind {
  std::string title;
  AxisSpec x, y;
  Getter xv, yv;    // values
  Getter xsd, ysd;  // std across trials, same unit
  bool frontier;
  std::string stat;  // the latency statistic plotted ("mean" on the right panels)
  bool tpot;         // interactivity = 1000 / mean TPOT (right panels)
  std::string view;  // the HTML report's layer for this alternative ("stat-p99", "inter-tpot")
};

std::optional<double> per_gpu_factor(const Point& p) {
  if (!has(p.output_tok_s) || !has(p.output_tok_s_per_gpu)) return std::nullopt;
  return *p.output_tok_s_per_gpu / *p.output_tok_s;
}

// The legend entry a variant's drawings belong to (the HTML report hides them together).
std::string series_of(size_t variant) { return variant_series(variant); }

// A point's marker: its variant's style with the ring of a partial point and
// the frame of an undercounted one.
MarkStyle with_marks(MarkStyle s, const PointQuality& q) {
  s.emphasized_edge = q.partial;
  s.undercount_mark = q.undercount;
  return s;
}

// The latency statistics page 1's left panels can plot (--latency-statistic).
const char* const kStatistics[] = {"mean", "p50", "p90", "p99"};

// Trials' spread exists for the mean only.
PanelKind left_kind(const std::string& stat) {
  return {"TTFT vs request throughput",
          {"request throughput (req/s)", true},
          {stat == "mean" ? "TTFT avg (ms)" : "TTFT " + stat + " (ms)", true},
          [](const ReportInputs&, const Point& p) { return p.request_throughput_rps; },
          [stat](const ReportInputs&, const Point& p) { return stat_at(p.ttft_ms, stat); },
          [](const ReportInputs&, const Point& p) { return spread_of(p, "request_throughput_rps"); },
          [stat](const ReportInputs&, const Point& p) { return stat == "mean" ? spread_of(p, "ttft_ms_mean") : std::nullopt; },
          false,
          stat,
          false,
          statistic_view(stat)};
}

PanelKind right_kind(bool tpot) {
  return {tpot ? "interactivity vs output tok/s/GPU" : "tok/s/user vs output tok/s/GPU",
          {"output tok/s/GPU", true},
          {interactivity_axis(tpot), true},
          [](const ReportInputs&, const Point& p) { return p.output_tok_s_per_gpu; },
          [tpot](const ReportInputs&, const Point& p) { return interactivity_of(tpot, p); },
          [](const ReportInputs&, const Point& p) -> std::optional<double> {
            auto sd = spread_of(p, "output_tok_s");
            auto k = per_gpu_factor(p);
            if (!sd || !k) return std::nullopt;
            return *sd * *k;
          },
          [tpot](const ReportInputs&, const Point& p) -> std::optional<double> {
            if (tpot) {
              auto sd = spread_of(p, "tpot_ms_mean");
              if (!sd || !has(p.tpot_ms.mean)) return std::nullopt;
              return 1000.0 * *sd / (*p.tpot_ms.mean * *p.tpot_ms.mean);
            }
            auto sd = spread_of(p, "output_tok_s");
            if (!sd || !p.concurrency || *p.concurrency <= 0) return std::nullopt;
            return *sd / static_cast<double>(*p.concurrency);
          },
          true,
          "mean",
          tpot,
          interactivity_view(tpot)};
}

PanelKind left_kind(const ReportInputs& in) { return left_kind(in.options.text("latency_statistic")); }
PanelKind right_kind(const ReportInputs& in) { return right_kind(in.tpot_interactivity); }

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

// One extent per panel kind over every cell, so every panel of the report
// (all facets, all small multiples) shares its axes.
Extent extent_of(const ReportInputs& in, const PanelKind& k) {
  Extent e;
  for (const auto& cell : in.cells)
    for (const auto& p : cell.points)
      if (plot_ready(p) && has(k.xv(in, p)) && has(k.yv(in, p))) e.add(*k.xv(in, p), *k.yv(in, p));
  return e;
}

const Font kInline{6.5};
const Font kFailFont{6.5, true};

// Text in a series colour stays readable: light shades are darkened.
Color text_colour(Color c) {
  double l = c.luminance();
  if (l <= 0.35) return c;
  double k = 0.35 / l;
  return {c.r * k, c.g * k, c.b * k, 1};
}

// What a chunk's legend needs: the variants with a placed point, the marks used.
struct ChunkMarks {
  std::vector<size_t> plotted;
  bool partial = false, undercount = false, error_bars = false, sla = false, failed = false;
};

ChunkMarks chunk_marks(const ReportInputs& in, const std::vector<size_t>& variants) {
  ChunkMarks m;
  PanelKind l = left_kind(in), r = right_kind(in);
  for (size_t v : variants) {
    bool any = false;
    for (size_t f = 0; f < in.facets.size(); ++f) {
      const AtlasCell* cell = in.cell_in(v, f);
      if (!cell) continue;
      for (const auto& p : cell->points) {
        if (p.status == "failed") m.failed = true;
        if (!plot_ready(p)) continue;
        bool placed = (has(l.xv(in, p)) && has(l.yv(in, p))) || (has(r.xv(in, p)) && has(r.yv(in, p)));
        if (!placed) continue;
        any = true;
        PointQuality q = quality_of(p);
        m.partial = m.partial || q.partial;
        m.undercount = m.undercount || q.undercount;
        m.error_bars = m.error_bars || p.trials >= 2;
      }
      auto sla = in.sla_of_cell.find(cell->cell_id);
      if (sla != in.sla_of_cell.end() && sla->second.point) m.sla = true;
    }
    if (any) m.plotted.push_back(v);
  }
  return m;
}

// A panel kind with its report-wide axes.
struct PanelView {
  PanelKind kind;
  Extent extent;
};

// Computed once per render for every page-1 page: the shared axes (of the
// rendered statistic and definition, and of the others the HTML report
// switches to), each small multiple's variants and legend marks.
struct Page1State {
  PanelView left, right;
  std::vector<PanelView> left_views, right_views;
  std::vector<std::vector<size_t>> chunk_variants;
  std::vector<ChunkMarks> chunk_marks;
  std::vector<long> label_concurrencies;
};

PanelView panel_view(const ReportInputs& in, PanelKind k) {
  Extent e = extent_of(in, k);
  return {std::move(k), e};
}

Page1State prepare_page1(const ReportInputs& in) {
  Page1State st{panel_view(in, left_kind(in)), panel_view(in, right_kind(in)), {}, {}, {}, {}, in.options.longs("label_concurrencies")};
  for (const char* stat : kStatistics)
    st.left_views.push_back(stat == st.left.kind.stat ? st.left : panel_view(in, left_kind(stat)));
  for (bool tpot : {false, true}) st.right_views.push_back(tpot == st.right.kind.tpot ? st.right : panel_view(in, right_kind(tpot)));
  st.chunk_variants.resize(in.chunks);
  for (size_t v = 0; v < in.variants.size(); ++v) st.chunk_variants[in.variants[v].chunk].push_back(v);
  for (size_t c = 0; c < in.chunks; ++c) st.chunk_marks.push_back(chunk_marks(in, st.chunk_variants[c]));
  return st;
}


struct FailLine {
  std::string text;
  MarkStyle style;
};

std::vector<FailLine> fail_lines(const ReportInputs& in, const std::vector<const AtlasCell*>& cells) {
  std::vector<FailLine> out;
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
    MarkStyle s = v.style;
    s.size = 2.4;
    out.push_back({fmt::format("FAILED {} c={}: {}/{} completed", v.label, concs, done,
                               asked_known ? std::to_string(asked) : std::string("?")),
                   s});
  }
  return out;
}

// The strip under a panel: one boxed line per failed cell (wrapped when
// long), at most kMaxFailLines and a count of the rest.
double strip_height(Canvas& c, const std::vector<FailLine>& fails, double width) {
  if (fails.empty()) return 0;
  double h = 4;
  for (size_t i = 0; i < fails.size() && i < kMaxFailLines; ++i) h += c.measure(fails[i].text, kFailFont, width - 16).h + 3;
  if (fails.size() > kMaxFailLines) h += 11;
  return h;
}

// A point's position on a panel.
struct Placed {
  double x, y;
  long conc;
  const Point* p;
  const Variant* v;
};

// One of the HTML report's other SLA presets on a panel: its guide line and
// each cell's SLA point under those limits (cell_sla, as tpm_summary), in a
// layer the browser shows when that preset is chosen.
void draw_sla_layer(Canvas& c, const ReportInputs& in, const Panel& p, const PanelKind& k, const std::vector<const AtlasCell*>& cells,
                    const TpmConfig& cfg, bool left_panel, const std::string& layer) {
  TagScope in_layer(c, {"", "", {}, "", layer});
  double guide = left_panel ? cfg.ttft_sla_ms : 1000.0 / cfg.tpot_sla_ms;
  if (p.y->contains(guide)) {
    std::string text = left_panel ? fmt::format("TTFT SLA {:g} ms ({})", cfg.ttft_sla_ms, cfg.sla_percentile)
                       : k.tpot ? fmt::format("TPOT SLA {:g} ms ({})", cfg.tpot_sla_ms, cfg.sla_percentile)
                                               : fmt::format("TPOT SLA bound: {:g} tok/s/user", 1000.0 / cfg.tpot_sla_ms);
    TagScope tag(c, {"guide", ""});
    c.line(p.plot.x, p.py(guide), p.plot.right(), p.py(guide), Color::hex(0xb71c1c, 0.7), 0.6, true);
    Rect size = c.measure(text, kInline);
    c.text(p.plot.right() - size.w - 3, p.py(guide) - size.h - 1, text, kInline, Color::hex(0xb71c1c));
  }
  for (const AtlasCell* cell : cells) {
    CellSla sla = cell_sla(*cell, cfg);
    if (!sla.point || !sla.lo) continue;
    auto sx = at_sla(sla, [&](const Point& pt) { return k.xv(in, pt); });
    auto sy = at_sla(sla, [&](const Point& pt) { return k.yv(in, pt); });
    if (!sx || !sy || !p.x->contains(*sx) || !p.y->contains(*sy)) continue;
    MarkStyle star = in.variant(*cell).style;
    star.shape = Shape::star;
    star.size = 4.2;
    star.filled = true;
    TagScope tag(c, {"sla", cell->cell_id, {}, series_of(in.variant_of_cell.at(cell->cell_id))});
    c.markers({{p.px(*sx), p.py(*sy)}}, star);
  }
}

void draw_panel(PageFrame& f, const Page1State& st, const Rect& area, size_t facet, const std::vector<size_t>& variants,
                const PanelKind& k, const Extent& ext, bool left_panel) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  std::string title = in.facets.size() > 1 || !in.facet_field.empty()
                          ? fmt::format("{} — {}", in.facets[facet].label, k.title)
                          : k.title;
  std::vector<const AtlasCell*> cells;
  for (size_t v : variants)
    if (const AtlasCell* cell = in.cell_in(v, facet)) cells.push_back(cell);
  // SLA guide lines from the campaign's tpm config; one outside the axis
  // range is said in the strip under the panel instead.
  struct Guide {
    double value;
    std::string text;
  };
  std::vector<Guide> guides;
  const TpmConfig& cfg = in.tpm_config;
  std::string pct = cfg.sla_percentile == k.stat ? "" : " (" + cfg.sla_percentile + "; plotted: " + k.stat + ")";
  if (left_panel) guides.push_back({cfg.ttft_sla_ms, fmt::format("TTFT SLA {:g} ms{}", cfg.ttft_sla_ms, pct)});
  else if (k.tpot)
    guides.push_back({1000.0 / cfg.tpot_sla_ms, fmt::format("TPOT SLA {:g} ms{}", cfg.tpot_sla_ms, pct)});
  else
    guides.push_back({1000.0 / cfg.tpot_sla_ms,
                      fmt::format("TPOT SLA bound: {:g} tok/s/user", 1000.0 / cfg.tpot_sla_ms)});
  std::vector<std::string> notes;
  if (!ext.empty()) {
    Panel probe = make_panel(area, ext.xlo, ext.xhi, k.x, ext.ylo, ext.yhi, k.y);
    for (const auto& g : guides)
      if (!probe.y->contains(g.value))
        notes.push_back(fmt::format("{} is {} the plotted range", g.text, g.value > probe.y->hi() ? "above" : "below"));
  }
  auto fails = fail_lines(in, cells);
  const double strip_w = area.w - 50;
  double strip_h = strip_height(c, fails, strip_w) + (notes.empty() ? 0 : 11.0 * notes.size() + (fails.empty() ? 4 : 0));
  Rect panel_area{area.x, area.y, area.w, area.h - strip_h};
  if (ext.empty()) {
    draw_empty_panel(c, panel_area, title, "no plot-ready points with these metrics");
  } else {
    Panel p = make_panel(panel_area, ext.xlo, ext.xhi, k.x, ext.ylo, ext.yhi, k.y);
    draw_axes(c, p, title, k.x, k.y);
    LabelPlacer labels(p.plot.inset(1));
    std::vector<Rect> data_boxes;
    // In the HTML report the campaign's SLA is the first of the SLA control's
    // layers; the others are drawn after the labels.
    const std::string layer0 = f.sla_layers ? sla_layer(0) : "";
    for (const auto& g : guides) {
      if (!p.y->contains(g.value)) continue;
      TagScope tag(c, {"guide", "", {}, "", layer0});
      c.line(p.plot.x, p.py(g.value), p.plot.right(), p.py(g.value), Color::hex(0xb71c1c, 0.7), 0.6, true);
    }

    std::vector<Placed> to_label;
    // A sparse panel labels every point: there is room, and nothing else names them.
    size_t panel_points = 0;
    for (const AtlasCell* cell : cells)
      for (const auto& pt : cell->points) panel_points += plot_ready(pt);
    const bool few_points = panel_points <= 12;
    std::vector<std::pair<double, double>> sla_at;
    std::vector<MarkStyle> sla_styles;
    for (const AtlasCell* cell : cells) {
      const Variant& v = in.variant(*cell);
      std::vector<std::pair<double, double>> xy;
      std::vector<Placed> pts;
      for (const auto& pt : cell->points) {
        if (!plot_ready(pt)) continue;
        if (!has(k.xv(in, pt)) || !has(k.yv(in, pt))) {
          f.ledger.undrawn.push_back({"page1", cell->cell_id, pt.concurrency,
                                      fmt::format("lacks {} or {}: not on the {} panel", k.x.label, k.y.label, k.title)});
          continue;
        }
        double x = *k.xv(in, pt), y = *k.yv(in, pt);
        pts.push_back({p.px(x), p.py(y), *pt.concurrency, &pt, &v});
        xy.push_back({x, y});
      }
      std::sort(pts.begin(), pts.end(), [](const Placed& a, const Placed& b) { return a.conc < b.conc; });
      // Everything this cell draws belongs to its variant's legend entry.
      TagScope series(c, {"", "", {}, series_of(in.variant_of_cell.at(cell->cell_id))});
      Color faint = v.style.color;
      faint.a = 0.35;
      if (!k.frontier) {
        std::vector<std::pair<double, double>> path;
        for (const auto& pl : pts) path.push_back({pl.x, pl.y});
        c.polyline(path, faint, 0.6);
      } else if (xy.size() >= 2) {
        std::vector<std::pair<double, double>> front;
        for (size_t i : pareto_front(xy)) front.push_back({p.px(xy[i].first), p.py(xy[i].second)});
        Color line = v.style.color;
        line.a = 0.8;
        c.polyline(front, line, 0.7);
      }
      // ± std across trials, clipped to the plot (a log axis has no zero).
      std::vector<ErrorBar> bars;
      for (const auto& pl : pts) {
        auto sx = k.xsd(in, *pl.p), sy = k.ysd(in, *pl.p);
        if (!sx && !sy) continue;
        double x = *k.xv(in, *pl.p), y = *k.yv(in, *pl.p);
        auto at_x = [&](double val) { return val > 0 ? std::clamp(p.px(val), p.plot.x, p.plot.right()) : p.plot.x; };
        auto at_y = [&](double val) { return val > 0 ? std::clamp(p.py(val), p.plot.y, p.plot.bottom()) : p.plot.bottom(); };
        ErrorBar b{pl.x, pl.y, pl.x, pl.x, pl.y, pl.y};
        if (sx) {
          b.x_lo = at_x(x - *sx);
          b.x_hi = at_x(x + *sx);
        }
        if (sy) {
          b.y_lo = at_y(y + *sy);
          b.y_hi = at_y(y - *sy);
        }
        bars.push_back(b);
      }
      {
        TagScope tag(c, {"error_bar", cell->cell_id});
        draw_error_bars(c, bars, text_colour(v.style.color));
      }
      // Markers, grouped by their marks (one path per style).
      std::map<std::pair<bool, bool>, std::vector<std::pair<double, double>>> by_marks;
      std::map<std::pair<bool, bool>, std::vector<std::string>> concurrency_of;  // per marker: the HTML report's tooltips
      for (const auto& pl : pts) {
        PointQuality q = quality_of(*pl.p);
        by_marks[{q.partial, q.undercount}].push_back({pl.x, pl.y});
        concurrency_of[{q.partial, q.undercount}].push_back(std::to_string(pl.conc));
        const Rect box = marker_box(pl.x, pl.y, with_marks(v.style, q));
        data_boxes.push_back(box);
        labels.add_obstacle(box);
        f.ledger.placed.insert({cell->cell_id, pl.conc});
        bool listed = std::find(st.label_concurrencies.begin(), st.label_concurrencies.end(), pl.conc) != st.label_concurrencies.end();
        if (listed || q.partial || few_points) to_label.push_back(pl);
      }
      for (const auto& [marks, at] : by_marks) {
        PointQuality q;
        q.partial = marks.first;
        q.undercount = marks.second;
        TagScope tag(c, {"data", cell->cell_id, concurrency_of[marks]});
        c.markers(at, with_marks(v.style, q));
      }
      // The cell's SLA point, where the binding limit is reached.
      auto sla = in.sla_of_cell.find(cell->cell_id);
      if (sla != in.sla_of_cell.end() && sla->second.point && sla->second.lo) {
        auto sx = at_sla(sla->second, [&](const Point& pt) { return k.xv(in, pt); });
        auto sy = at_sla(sla->second, [&](const Point& pt) { return k.yv(in, pt); });
        if (sx && sy && p.x->contains(*sx) && p.y->contains(*sy)) {
          sla_at.push_back({p.px(*sx), p.py(*sy)});
          MarkStyle st = v.style;
          st.shape = Shape::star;
          st.size = 4.2;
          st.filled = true;
          sla_styles.push_back(st);
        }
      }
    }
    // One path per style: a panel can hold dozens of SLA points.
    for (size_t i = 0; i < sla_at.size(); ++i) {
      Rect box = marker_box(sla_at[i].first, sla_at[i].second, sla_styles[i]);
      labels.add_obstacle(box);
      data_boxes.push_back(box);
    }
    for (size_t i = 0; i < sla_at.size(); ++i) {
      if (sla_styles[i].size < 0) continue;  // drawn with an earlier one of the same style
      std::vector<std::pair<double, double>> same{sla_at[i]};
      for (size_t j = i + 1; j < sla_at.size(); ++j) {
        const Color &a = sla_styles[i].color, &b = sla_styles[j].color;
        if (sla_styles[j].size >= 0 && a.r == b.r && a.g == b.g && a.b == b.b) {
          same.push_back(sla_at[j]);
          sla_styles[j].size = -1;
        }
      }
      TagScope tag(c, {"sla", "", {}, "", layer0});
      c.markers(same, sla_styles[i]);
    }
    // Guide labels, then c=N labels: placed where they cover no data.
    std::vector<Rect> guide_boxes;
    {
      TagScope tag(c, {"label", ""});
      for (const auto& g : guides)
        if (p.y->contains(g.value)) {
          double gy = p.py(g.value);
          Rect size = c.measure(g.text, kInline);
          bool placed = false;
          for (double gx : {p.plot.right() - size.w - 3, p.plot.x + 3})
            for (double dy : {-size.h - 1.0, 1.0}) {
              if (placed) break;
              Rect r{gx, gy + dy, size.w, size.h};
              if (!p.plot.contains(r)) continue;
              bool hit = std::any_of(data_boxes.begin(), data_boxes.end(), [&](const Rect& d) { return d.intersects(r); });
              if (hit) continue;
              TagScope layer(c, {"label", "", {}, "", layer0});
              c.text(r.x, r.y, g.text, kInline, Color::hex(0xb71c1c));
              labels.add_obstacle(label_keepout(r));
              guide_boxes.push_back(r);
              placed = true;
            }
        }
      for (const auto& pl : to_label) {
        std::string text = fmt::format("c={}", pl.conc);
        if (quality_of(*pl.p).partial)
          text += fmt::format(" {}/{}", pl.p->completed ? std::to_string(*pl.p->completed) : "?",
                              pl.p->num_prompts ? std::to_string(*pl.p->num_prompts) : "?");
        TagScope series(c, {"label", "", {}, series_of(static_cast<size_t>(pl.v - in.variants.data()))});
        labels.place(c, pl.x, pl.y, text, kInline, text_colour(pl.v->style.color),
                     std::max(4.5, marker_extent(with_marks(pl.v->style, quality_of(*pl.p))) + 1));
      }
    }
    if (f.sla_layers)
      for (size_t i = 1; i < f.sla_layers->size(); ++i) draw_sla_layer(c, in, p, k, cells, (*f.sla_layers)[i], left_panel, sla_layer(i));
    if (labels.skipped() > 0) {
      f.ledger.skipped_labels += labels.skipped();
      ++f.ledger.panels_with_skips;
    }
    // The drawing check: no label or note may cover a data mark.
    std::vector<Rect> written = labels.placed();
    for (const auto& g : guide_boxes) written.push_back(g);
    long overlaps = 0;
    for (const auto& w : written)
      for (const auto& d : data_boxes) overlaps += w.intersects(d);
    if (overlaps > 0) {
      f.ledger.overlaps += overlaps;
      f.ledger.notes.push_back(fmt::format("page 1, {}, {}: {} label(s) cover a data mark", in.facets[facet].label, k.title, overlaps));
    }
  }
  // Failed points: never dropped, never at zero, never over data: one boxed
  // line per cell in a strip under the panel.
  double fy = area.bottom() - strip_h + 3;
  for (const auto& n : notes) {
    TagScope tag(c, {"note", "guide"});
    c.text(area.x + 46, fy, n, Font{6.5, false, true}, Color::hex(0xb71c1c), Align::left, VAlign::top, area.w - 50);
    fy += 11;
  }
  if (!fails.empty()) {
    TagScope tag(c, {"note", "failed"});
    size_t shown = std::min(fails.size(), kMaxFailLines);
    for (size_t i = 0; i < shown; ++i) {
      Rect m = c.measure(fails[i].text, kFailFont, strip_w - 16);
      Rect r{area.x + 46, fy - 1, m.w + 14, m.h + 2};
      c.rect_fill(r, Color{1, 0.93, 0.93, 1});
      c.rect_stroke(r, Color::hex(0xc62828), 0.5);
      c.markers({{r.x + 5.5, fy + 4}}, fails[i].style);
      c.text(r.x + 11, fy, fails[i].text, kFailFont, Color::hex(0xb71c1c), Align::left, VAlign::top, strip_w - 16);
      fy += m.h + 3;
    }
    if (fails.size() > shown)
      c.text(area.x + 46, fy, fmt::format("… {} more cell(s) with failed points: see the completeness page", fails.size() - shown),
             Font{6.5, false, true}, Color::hex(0xb71c1c));
    if (left_panel)
      for (const AtlasCell* cell : cells)
        for (const auto& pt : cell->points) f.ledger.failed_marked += pt.status == "failed";
  }
}

void draw_header(PageFrame& f, double& y) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  const Rect& b = f.body;
  c.text(b.x, y, in.coverage.line(), Font{8.5, true}, Color::hex(0x1a237e));
  y += 13;
  std::string variants = in.options.text("variants_line");
  if (variants.empty()) {
    std::set<std::string> fields;
    variants = fmt::format("{} variant{}", in.variants.size(), in.variants.size() == 1 ? "" : "s");
    if (in.facet_field.empty()) variants += " on one set of panels (" + in.facet_why + ")";
    else variants += fmt::format(" in {} facets by {} ({})", in.facets.size(), in.facet_field, in.facet_why);
    if (in.chunks > 1)
      variants += fmt::format("; {} groups of at most {} variants, drawn as small multiples on shared axes", in.chunks,
                              kVariantsPerChunk);
  }
  Rect r = c.text(b.x, y, variants, Font{7.5}, Color::hex(0x333333), Align::left, VAlign::top, b.w);
  y += r.h + 2;
  std::string source = in.options.text("data_source_line");
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
  y += r.h + 3;
  // The HTML report says both definitions, each in its view.
  double h = 0;
  for (bool tpot : {false, true}) {
    if (!f.view_layers && tpot != in.tpot_interactivity) continue;
    TagScope view(c, {"", "", {}, "", "", f.view_layers ? right_kind(tpot).view : ""});
    r = c.text(b.x, y, "Right panels: " + interactivity_definition(tpot) + ".", Font{7.5}, Color::hex(0x333333), Align::left,
               VAlign::top, b.w);
    h = std::max(h, r.h);
  }
  y += h + 4;
}

void draw_legend_block(PageFrame& f, double& y, const ChunkMarks& m) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  std::vector<LegendEntry> entries;
  for (size_t v : m.plotted) entries.push_back({in.variants[v].label, in.variants[v].style, series_of(v)});
  MarkStyle plain;
  plain.color = Color::hex(0x777777);
  plain.filled = false;
  if (m.partial) {
    MarkStyle s = plain;
    s.emphasized_edge = true;
    entries.push_back({"partial point (label: completed/requested)", s});
  }
  if (m.undercount) {
    MarkStyle s = plain;
    s.undercount_mark = true;
    entries.push_back({"undercounted: num_prompts < 2 × concurrency", s});
  }
  if (m.sla) {
    MarkStyle s = plain;
    s.shape = Shape::star;
    s.filled = true;
    entries.push_back({"SLA point (interpolated on log2 c)", s});
  }
  if (entries.empty()) return;
  int columns = std::min<int>(3, static_cast<int>(entries.size()));
  Rect size = legend_size(c, entries, Font{7.5}, columns);
  size.w = std::min(size.w, f.body.w);
  draw_legend(c, {f.body.x, y, size.w, size.h}, entries, Font{7.5}, columns, true);
  y += size.h + 3;
  std::string how = "Thin lines join a series' concurrencies (left) and trace its Pareto frontier (right); labels c=N "
                    "mark the profiling concurrencies in the series colour";
  if (m.error_bars) how += "; bars = ± std across trials";
  how += fmt::format("; red dashed lines = the SLA ({} TTFT ≤ {:g} ms, TPOT ≤ {:g} ms, tpm: in the config)",
                     in.tpm_config.sla_percentile, in.tpm_config.ttft_sla_ms, in.tpm_config.tpot_sla_ms);
  if (m.failed) how += "; failed points are listed in red strips under their panel";
  Rect r = c.text(f.body.x, y, how + ".", Font{6.5, false, true}, Color::hex(0x555555), Align::left, VAlign::top, f.body.w);
  y += r.h + 6;
}

size_t pages_per_chunk(const ReportInputs& in) {
  return in.facets.size() <= 1 ? 1 : (in.facets.size() + kMaxRowsPerPage - 1) / kMaxRowsPerPage;
}

// Facet rows spread evenly over the pages (7 facets: 4 + 3, not 5 + 2).
size_t rows_per_page(const ReportInputs& in) {
  size_t pages = pages_per_chunk(in);
  return (in.facets.size() + pages - 1) / pages;
}

}  // namespace

PageSpec page1_spec() {
  PageSpec s;
  s.id = "page1";
  s.title = "Latency and throughput";
  s.params = {
      {"variants_line", PageParamKind::text, nullptr, "Line under the page-1 title describing the variants [default: generated]."},
      {"data_source_line", PageParamKind::text, nullptr, "Line under the page-1 title naming the data source [default: generated]."},
      {"label_concurrencies", PageParamKind::int_list, "1,8,32", "Concurrencies labelled inline on page 1 (comma list)."},
      {"latency_statistic", PageParamKind::choice, "mean", "TTFT statistic page 1's left panels plot (error bars for the mean only).",
       "mean|p50|p90|p99"},
  };
  s.precondition = [](const ReportInputs& in) -> std::optional<Omission> {
    if (in.coverage.plot_ready_points == 0)
      return Omission{"page1", "no plot-ready concurrency points (every point failed or lacks a concurrency)",
                      "import sweeps run with --max-concurrency; see report_status.json warnings"};
    return std::nullopt;
  };
  s.count = [](const ReportInputs& in, const Rect&) { return static_cast<int>(in.chunks * pages_per_chunk(in)); };
  s.prepare = [](const ReportInputs& in) -> std::any { return prepare_page1(in); };
  s.draw = [](PageFrame& f, int index) {
    const ReportInputs& in = f.in;
    size_t pages = pages_per_chunk(in);
    size_t chunk = static_cast<size_t>(index) / pages, part = static_cast<size_t>(index) % pages;
    double y = f.body.y;
    if (index == 0) draw_header(f, y);
    else {
      std::string what = in.chunks > 1 ? fmt::format("variants group {}/{}", chunk + 1, in.chunks) : "continued";
      f.c.text(f.body.x, y, fmt::format("({}) {}", what, in.coverage.line()), Font{7.5}, Color::hex(0x555555));
      y += 14;
    }
    const auto& st = std::any_cast<const Page1State&>(*f.prepared);
    draw_legend_block(f, y, st.chunk_marks[chunk]);
    const std::vector<size_t>& variants = st.chunk_variants[chunk];
    // The HTML report draws every alternative of a panel, each in its view
    // (the browser shows the chosen one); only the rendered one is recorded.
    auto panel = [&](const Rect& area, size_t facet, bool left_panel) {
      const PanelView& rendered = left_panel ? st.left : st.right;
      if (!f.view_layers) return draw_panel(f, st, area, facet, variants, rendered.kind, rendered.extent, left_panel);
      for (const PanelView& v : left_panel ? st.left_views : st.right_views) {
        DrawLedger scratch;
        PageFrame other{f.c, f.in, f.body, f.omissions, v.kind.view == rendered.kind.view ? f.ledger : scratch, f.status, f.page1_drawn,
                        f.prepared, f.sla_layers, f.view_layers};
        TagScope view(f.c, {"", "", {}, "", "", v.kind.view});
        draw_panel(other, st, area, facet, variants, v.kind, v.extent, left_panel);
      }
    };
    if (in.facets.size() <= 1) {
      // One facet: the two panels stacked, each the full width.
      double h = (f.body.bottom() - y) / 2;
      panel({f.body.x, y, f.body.w, h - 8}, 0, true);
      panel({f.body.x, y + h, f.body.w, h - 8}, 0, false);
      return;
    }
    size_t per = rows_per_page(in);
    size_t first = part * per;
    size_t rows = std::min(per, in.facets.size() - first);
    double row_h = (f.body.bottom() - y) / static_cast<double>(per);
    double gap = 14, col_w = (f.body.w - gap) / 2;
    for (size_t r = 0; r < rows; ++r) {
      double ry = y + r * row_h;
      panel({f.body.x, ry, col_w, row_h - 8}, first + r, true);
      panel({f.body.x + col_w + gap, ry, col_w, row_h - 8}, first + r, false);
    }
  };
  return s;
}

}  // namespace ptr
