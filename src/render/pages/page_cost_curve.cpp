// The curve InferenceX made the industry's reference: per variant (the TPM
// rows' identity), output tok/s/GPU and $/1M output tokens against
// interactivity, each variant's Pareto frontier traced, the SLA limit drawn
// and each variant's SLA point starred. More than kVariantsPerChunk variants
// go on further pages with the same axes.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <unordered_map>

#include "analysis/pareto.hpp"
#include "render/chart/axes.hpp"
#include "render/chart/marks.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

struct Series {
  const TpmGroup* group;
  MarkStyle style;
  std::string series;  // the legend series (hidden together in the HTML report)
  std::vector<std::pair<double, double>> tput, cost;  // (interactivity, value)
  std::optional<std::pair<double, double>> sla_tput, sla_cost;
};

double usd_per_1m(const CostRate& rate, double out_per_gpu) { return rate.usd_per_gpu_hour / (out_per_gpu * 3600) * 1e6; }

std::vector<Series> series_of(const ReportInputs& in, size_t first, size_t count) {
  std::unordered_map<std::string, const AtlasCell*> by_id;
  for (const auto& c : in.cells) by_id[c.cell_id] = &c;
  std::vector<Series> out;
  for (size_t i = first; i < first + count; ++i) {
    const TpmGroup& g = in.tpm_groups[i];
    Series s{&g, in.tpm_styles[i], in.tpm_series[i], {}, {}, {}, {}};
    for (const auto& id : g.cells) {
      const AtlasCell* cell = by_id.at(id);
      for (const auto& p : cell->points) {
        if (!plot_ready(p)) continue;
        auto x = interactivity_of(in, p);
        if (!has(x) || !has(p.output_tok_s_per_gpu)) continue;
        s.tput.push_back({*x, *p.output_tok_s_per_gpu});
        if (g.cost) s.cost.push_back({*x, usd_per_1m(*g.cost, *p.output_tok_s_per_gpu)});
      }
    }
    if (g.sla) {
      const CellSla& sla = in.sla_of_cell.at(g.sla->cell_id);
      auto x = at_sla(sla, [&](const Point& p) { return interactivity_of(in, p); });
      if (x) {
        s.sla_tput = std::pair{*x, g.sla->output_tok_s_per_gpu};
        if (g.sla->basis.usd_per_1m_output_tokens) s.sla_cost = std::pair{*x, *g.sla->basis.usd_per_1m_output_tokens};
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

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

// Frontier of (interactivity up, value up) or (interactivity up, cost down).
std::vector<std::pair<double, double>> frontier(const std::vector<std::pair<double, double>>& pts, bool lower_is_better) {
  std::vector<std::pair<double, double>> flipped = pts;
  if (lower_is_better)
    for (auto& p : flipped) p.second = -p.second;
  std::vector<std::pair<double, double>> out;
  for (size_t i : pareto_front(flipped)) out.push_back(pts[i]);
  std::sort(out.begin(), out.end());
  return out;
}

void draw_panel(PageFrame& f, const Rect& area, const std::vector<Series>& all_series, bool cost, const Extent& ext) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  AxisSpec xs{interactivity_axis(in), true}, ys{cost ? "$ per 1M output tokens" : "output tok/s/GPU", true};
  std::string title = cost ? "$/1M output tokens vs interactivity (lower is cheaper)" : "output tok/s/GPU vs interactivity";
  if (ext.empty()) {
    draw_empty_panel(c, area, title, cost ? "no variant has both a price and a measured point" : "no plot-ready points");
    return;
  }
  Panel p = make_panel(area, ext.xlo, ext.xhi, xs, ext.ylo, ext.yhi, ys);
  draw_axes(c, p, title, xs, ys);
  // The SLA as an interactivity limit (exact with tpot interactivity; a bound per user).
  double limit = 1000.0 / in.tpm_config.tpot_sla_ms;
  if (p.x->contains(limit)) {
    TagScope tag(c, {"guide", ""});
    c.line(p.px(limit), p.plot.y, p.px(limit), p.plot.bottom(), Color::hex(0xb71c1c, 0.7), 0.6, true);
    std::string text = in.tpot_interactivity ? fmt::format("TPOT SLA {:g} ms", in.tpm_config.tpot_sla_ms)
                                             : fmt::format("1000 / TPOT SLA (a bound)");
    // Right of the line, or left of it when the line is near the plot's right edge.
    const Font font{6.5};
    bool fits_right = p.px(limit) + 3 + c.measure(text, font).w <= p.plot.right() - 2;
    c.text(fits_right ? p.px(limit) + 3 : p.px(limit) - 3, p.plot.y + 3, text, font, Color::hex(0xb71c1c),
           fits_right ? Align::left : Align::right);
  }
  for (const auto& s : all_series) {
    const auto& pts = cost ? s.cost : s.tput;
    if (pts.empty()) continue;
    std::vector<std::pair<double, double>> at, front;
    for (const auto& [x, y] : pts) at.push_back({p.px(x), p.py(y)});
    for (const auto& [x, y] : frontier(pts, cost)) front.push_back({p.px(x), p.py(y)});
    TagScope series(c, {"", "", {}, s.series});
    Color line = s.style.color;
    line.a = 0.8;
    c.polyline(front, line, 0.8);
    MarkStyle faint = s.style;
    faint.size = 2.4;
    TagScope tag(c, {"data", s.group->key});
    c.markers(at, faint);
    const auto& sla = cost ? s.sla_cost : s.sla_tput;
    if (sla && p.x->contains(sla->first) && p.y->contains(sla->second)) {
      MarkStyle star = s.style;
      star.shape = Shape::star;
      star.size = 4.4;
      star.filled = true;
      TagScope t2(c, {"sla", s.group->key});
      c.markers({{p.px(sla->first), p.py(sla->second)}}, star);
    }
  }
}

// Computed once per render: every variant's series and the shared axes.
struct CostState {
  std::vector<Series> series;
  Extent tput, cost;
};

CostState prepare_cost(const ReportInputs& in) {
  CostState st;
  st.series = series_of(in, 0, in.tpm_groups.size());
  for (const auto& s : st.series) {
    for (const auto& [x, y] : s.tput) st.tput.add(x, y);
    for (const auto& [x, y] : s.cost) st.cost.add(x, y);
  }
  return st;
}

size_t pages(const ReportInputs& in) {
  return std::max<size_t>(1, (in.tpm_groups.size() + kVariantsPerChunk - 1) / kVariantsPerChunk);
}

}  // namespace

PageSpec inferencex_spec() {
  PageSpec s;
  s.id = "cost_curve";
  s.title = "Throughput and cost against interactivity";
  s.precondition = [](const ReportInputs& in) -> std::optional<Omission> {
    for (const auto& cell : in.cells)
      for (const auto& p : cell.points)
        if (plot_ready(p) && has(interactivity_of(in, p)) && has(p.output_tok_s_per_gpu)) return std::nullopt;
    return Omission{"cost_curve", "no measured point with both output tok/s/GPU and interactivity",
                    "import results that report output throughput and TPOT, with tensor_parallel set"};
  };
  s.count = [](const ReportInputs& in, const Rect&) { return static_cast<int>(pages(in)); };
  s.prepare = [](const ReportInputs& in) -> std::any { return prepare_cost(in); };
  s.draw = [](PageFrame& f, int index) {
    Canvas& c = f.c;
    const ReportInputs& in = f.in;
    const auto& st = std::any_cast<const CostState&>(*f.prepared);
    const Extent &tput = st.tput, &cost = st.cost;  // axes shared by every page of this view
    size_t first = static_cast<size_t>(index) * kVariantsPerChunk;
    std::vector<Series> series(st.series.begin() + static_cast<long>(first),
                               st.series.begin() + static_cast<long>(std::min(first + kVariantsPerChunk, st.series.size())));
    double y = f.body.y;
    Rect r = c.text(f.body.x, y,
                    "Each variant (the TPM page's rows: every descriptor field but mbt) with all its points and its Pareto "
                    "frontier; ★ = its SLA point. $/1M output tokens = $/GPU-hour ÷ (output tok/s/GPU × 3600) × 10⁶. " +
                        interactivity_definition(in) + ".",
                    Font{7.5}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w);
    y += r.h + 4;
    std::vector<LegendEntry> entries;
    std::string unpriced;
    for (const auto& s : series) {
      entries.push_back({s.group->label, s.style, s.series});
      if (!s.group->cost) unpriced += (unpriced.empty() ? "" : "; ") + s.group->label + ": " + s.group->cost_reason;
    }
    int columns = std::min<int>(3, std::max<int>(1, static_cast<int>(entries.size())));
    Rect size = legend_size(c, entries, Font{7.5}, columns);
    size.w = std::min(size.w, f.body.w);
    draw_legend(c, {f.body.x, y, size.w, size.h}, entries, Font{7.5}, columns, true);
    y += size.h + 4;
    if (!unpriced.empty()) {
      r = c.text(f.body.x, y, "Not on the cost panel — " + unpriced, Font{6.5, false, true}, Color::hex(0xb71c1c), Align::left,
                 VAlign::top, f.body.w);
      y += r.h + 4;
    }
    double h = (f.body.bottom() - y) / 2;
    draw_panel(f, {f.body.x, y, f.body.w, h - 8}, series, false, tput);
    draw_panel(f, {f.body.x, y + h, f.body.w, h - 8}, series, true, cost);
  };
  return s;
}

}  // namespace ptr
