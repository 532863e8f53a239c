// Latency distributions per request: for every cell with a per-request table
// (cells/<id>/requests.csv), the CDFs of TTFT, TPOT and end-to-end latency at
// one concurrency: --distribution-concurrency when given, else the cell's
// SLA point (the last measured concurrency within the SLA), else its highest
// ok concurrency with rows. p50/p90/p99 are marked on each curve and listed
// with the request count in the table under the panels. Without per-request
// data the page is a recorded omission.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "render/chart/axes.hpp"
#include "render/chart/marks.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

constexpr size_t kCurvesPerPage = 10;
constexpr size_t kMaxCurvePoints = 400;  // a CDF of more requests is drawn through this many quantiles

struct Metric {
  const char* name;  // panel title and table head
  double RequestSample::*field;
};
const Metric kMetrics[] = {{"TTFT", &RequestSample::ttft_ms}, {"TPOT", &RequestSample::tpot_ms}, {"E2E latency", &RequestSample::e2el_ms}};

struct Curve {
  const AtlasCell* cell = nullptr;
  size_t variant = 0;
  long concurrency = 0;
  std::string why;  // "SLA point", "highest ok c", "asked"
  std::string label;
  long requests = 0;
  std::optional<long> completed;
  long trials = 0, trials_with_rows = 0;
  RequestDistribution dist[3];
};

struct DistState {
  std::vector<Curve> curves;
  std::vector<std::string> without;  // cells with rows but none at the asked concurrency
  double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {0, 0, 0};
};

bool has_rows(const Point& p) { return p.extra.contains("per_request"); }

// The point a cell's curve shows, and why that one.
std::optional<std::pair<size_t, std::string>> chosen_point(const ReportInputs& in, const AtlasCell& cell, const std::vector<long>& asked) {
  for (long want : asked)
    for (size_t i = 0; i < cell.points.size(); ++i)
      if (cell.points[i].concurrency == want && has_rows(cell.points[i])) return std::pair{i, std::string("asked")};
  if (!asked.empty()) return std::nullopt;
  auto sla = in.sla_of_cell.find(cell.cell_id);
  if (sla != in.sla_of_cell.end() && sla->second.point && sla->second.lo && has_rows(*sla->second.lo))
    return std::pair{static_cast<size_t>(sla->second.lo - cell.points.data()), std::string("SLA point")};
  std::optional<size_t> best;
  for (size_t i = 0; i < cell.points.size(); ++i) {
    const Point& p = cell.points[i];
    if (p.status == "ok" && p.concurrency && has_rows(p) && (!best || *p.concurrency > *cell.points[*best].concurrency)) best = i;
  }
  if (best) return std::pair{*best, std::string("highest ok c")};
  return std::nullopt;
}

// Which point of which cell each curve shows (cheap: the page count needs
// only this; the distributions are built once, in prepare).
struct Pick {
  const AtlasCell* cell;
  size_t variant, facet, point;
  std::string why;
};

std::vector<Pick> chosen_curves(const ReportInputs& in, std::vector<std::string>* without = nullptr) {
  std::vector<long> asked;
  if (in.options.given("distribution_concurrency")) asked = in.options.longs("distribution_concurrency");
  std::vector<Pick> out;
  for (size_t v = 0; v < in.variants.size(); ++v)
    for (size_t f = 0; f < in.facets.size(); ++f) {
      const AtlasCell* cell = in.cell_in(v, f);
      if (!cell || !in.requests_of_cell->count(cell->cell_id)) continue;
      if (auto pick = chosen_point(in, *cell, asked)) out.push_back({cell, v, f, pick->first, pick->second});
      else if (without) without->push_back(cell->cell_id);
    }
  return out;
}

DistState prepare_distributions(const ReportInputs& in) {
  DistState st;
  for (const Pick& pick : chosen_curves(in, &st.without)) {
    const AtlasCell* cell = pick.cell;
    const size_t v = pick.variant, f = pick.facet;
    const auto& rows = in.requests_of_cell->at(cell->cell_id);
    const Point& p = cell->points[pick.point];
    Curve cv;
    cv.cell = cell;
    cv.variant = v;
    cv.concurrency = p.concurrency.value_or(0);
    cv.why = pick.why;
    cv.label = in.variants[v].label + (in.facets.size() > 1 ? " · " + in.facets[f].label : "");
    cv.completed = p.completed;
    cv.trials = p.trials;
    std::vector<double> values[3];
    std::set<long> trials_seen;
    for (const auto& r : rows) {
      if (r.point != static_cast<long>(pick.point)) continue;
      ++cv.requests;
      trials_seen.insert(r.trial);
      for (size_t m = 0; m < 3; ++m) values[m].push_back(r.sample.*kMetrics[m].field);
    }
    cv.trials_with_rows = static_cast<long>(trials_seen.size());
    for (size_t m = 0; m < 3; ++m) {
      cv.dist[m] = distribution_of(std::move(values[m]));
      for (double x : cv.dist[m].sorted)
        if (x > 0) {
          st.lo[m] = std::min(st.lo[m], x);
          break;
        }
      if (cv.dist[m].count()) st.hi[m] = std::max(st.hi[m], cv.dist[m].sorted.back());
    }
    st.curves.push_back(std::move(cv));
  }
  return st;
}

// The empirical CDF as a step line; past kMaxCurvePoints requests, through
// evenly spaced quantiles (the steps are finer than a point then).
std::vector<std::pair<double, double>> cdf_points(const RequestDistribution& d) {
  std::vector<std::pair<double, double>> out;
  const auto& x = d.sorted;
  const double n = static_cast<double>(x.size());
  if (x.size() <= kMaxCurvePoints) {
    for (size_t i = 0; i < x.size(); ++i) {
      out.push_back({x[i], i / n});
      out.push_back({x[i], (i + 1) / n});
    }
  } else {
    for (size_t k = 0; k <= kMaxCurvePoints; ++k) {
      double q = static_cast<double>(k) / kMaxCurvePoints;
      out.push_back({x[static_cast<size_t>(std::min(n - 1, std::floor(q * (n - 1))))], q});
    }
  }
  return out;
}

std::string ms(std::optional<double> v) {
  if (!v) return "—";
  if (*v >= 1000) return fmt::format("{:.0f}", *v);
  if (*v >= 100) return fmt::format("{:.1f}", *v);
  return fmt::format("{:.2f}", *v);
}

void draw_cdf_panel(PageFrame& f, const Rect& area, const DistState& st, const std::vector<const Curve*>& curves, size_t m) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  std::string title = fmt::format("{} per request: share of requests at or below x", kMetrics[m].name);
  if (!(st.hi[m] > 0) || !std::isfinite(st.lo[m])) {
    draw_empty_panel(c, area, title, fmt::format("no request recorded a {}", kMetrics[m].name));
    return;
  }
  // Log x when the curves span more than a decade and a half (TTFT under load does).
  bool log_x = st.hi[m] / st.lo[m] > 30;
  AxisSpec xs{fmt::format("{} (ms){}", kMetrics[m].name, log_x ? ", log scale" : ""), log_x, !log_x};
  AxisSpec ys{"fraction of requests ≤ x", false, true};
  Panel p = make_panel(area, log_x ? st.lo[m] : 0, st.hi[m], xs, 0, 1, ys);
  draw_axes(c, p, title, xs, ys);
  for (double q : {0.5, 0.9, 0.99}) {
    TagScope tag(c, {"guide", ""});
    c.line(p.plot.x, p.py(q), p.plot.right(), p.py(q), Color::hex(0x9e9e9e), 0.4, true);
    c.text(p.plot.x + 2, p.py(q) - 8, fmt::format("p{:g}", q * 100), Font{6, false, true}, Color::hex(0x757575));
  }
  c.save();
  c.clip(p.plot);
  for (const Curve* cv : curves) {
    const RequestDistribution& d = cv->dist[m];
    if (!d.count()) continue;
    const Variant& v = in.variants[cv->variant];
    TagScope series(c, {"", "", {}, variant_series(cv->variant)});
    std::vector<std::pair<double, double>> path;
    for (const auto& [x, y] : cdf_points(d)) path.push_back({p.px(std::max(x, p.x->lo())), p.py(y)});
    Color line = v.style.color;
    line.a = 0.9;
    c.polyline(path, line, 0.9);
    std::vector<std::pair<double, double>> marks;
    for (const auto& [q, val] : {std::pair{0.5, d.p50}, std::pair{0.9, d.p90}, std::pair{0.99, d.p99}})
      if (val && p.x->contains(*val)) marks.push_back({p.px(*val), p.py(q)});
    MarkStyle s = v.style;
    s.size = 2.6;
    for (const auto& at : marks) {
      TagScope one(c, {"data", cv->cell->cell_id, {std::to_string(cv->concurrency)}});
      c.markers({at}, s);
    }
  }
  c.restore();
}

// One row per curve: the point, the request count, p50/p90/p99 of each metric
// (each metric's three columns as wide as its header).
double draw_table(PageFrame& f, double y, const std::vector<const Curve*>& curves) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  const Font head{6.8, true}, body{6.8};
  const double x0 = f.body.x, label_w = 222, conc_w = 86, req_w = 82, num_w = (f.body.w - label_w - conc_w - req_w) / 9;
  double x = x0 + label_w;
  c.text(x0 + 10, y, "variant", head, Color::hex(0x333333));
  c.text(x, y, "concurrency", head, Color::hex(0x333333));
  c.text(x + conc_w, y, "requests", head, Color::hex(0x333333));
  for (size_t m = 0; m < 3; ++m)
    c.text(x + conc_w + req_w + m * 3 * num_w + 1.5 * num_w, y, std::string(kMetrics[m].name) + " p50 / p90 / p99 (ms)", head,
           Color::hex(0x333333), Align::center);
  y += 11;
  c.line(x0, y - 2, f.body.right(), y - 2, Color::hex(0xbbbbbb), 0.5);
  for (const Curve* cv : curves) {
    const Variant& v = in.variants[cv->variant];
    TagScope series(c, {"", "", {}, variant_series(cv->variant)});
    MarkStyle s = v.style;
    s.size = 2.6;
    c.markers({{x0 + 4, y + 4}}, s);
    TagScope tag(c, {"data", cv->cell->cell_id, {std::to_string(cv->concurrency)}});
    c.text(x0 + 10, y, fit_text(c, cv->label, body, label_w - 14), body, Color::hex(0x111111));
    c.text(x, y, fmt::format("c={} ({})", cv->concurrency, cv->why), body, Color::hex(0x111111));
    std::string req = cv->completed && *cv->completed != cv->requests ? fmt::format("{} of {}", cv->requests, *cv->completed)
                                                                       : std::to_string(cv->requests);
    if (cv->trials > 1)
      req += cv->trials_with_rows == cv->trials ? fmt::format(", {} trials", cv->trials)
                                                : fmt::format(", {} of {} trials", cv->trials_with_rows, cv->trials);
    c.text(x + conc_w, y, req, body, Color::hex(0x111111));
    for (size_t m = 0; m < 3; ++m) {
      const auto& d = cv->dist[m];
      std::optional<double> qs[3] = {d.p50, d.p90, d.p99};
      for (size_t k = 0; k < 3; ++k)
        c.text(x + conc_w + req_w + (m * 3 + k + 1) * num_w - 4, y, ms(qs[k]), body, Color::hex(0x111111), Align::right);
    }
    y += 11;
  }
  return y;
}

}  // namespace

PageSpec distribution_spec() {
  PageSpec s;
  s.id = "latency_distribution";
  s.title = "Latency distributions per request";
  s.params = {{"distribution_concurrency", PageParamKind::int_list, nullptr,
               "Concurrencies the latency distribution page draws, the first a cell has wins [default: each cell's SLA point, "
               "else its highest ok concurrency with per-request data]."}};
  s.inputs = {{"per-request data (cells/<id>/requests.csv)",
               "import results saved request by request: vLLM bench serve --save-result --save-detailed, SGLang bench_serving "
               "--output-details, or AIPerf's profile_export.jsonl beside profile_export_aiperf.json",
               [](const ReportInputs& in) { return !in.requests_of_cell->empty(); }}};
  s.count = [](const ReportInputs& in, const Rect&) {
    size_t curves = chosen_curves(in).size();
    return static_cast<int>(std::max<size_t>(1, (curves + kCurvesPerPage - 1) / kCurvesPerPage));
  };
  s.prepare = [](const ReportInputs& in) -> std::any { return prepare_distributions(in); };
  s.draw = [](PageFrame& f, int index) {
    Canvas& c = f.c;
    const auto& st = std::any_cast<const DistState&>(*f.prepared);
    std::vector<const Curve*> curves;
    for (size_t i = static_cast<size_t>(index) * kCurvesPerPage; i < st.curves.size() && curves.size() < kCurvesPerPage; ++i)
      curves.push_back(&st.curves[i]);
    double y = f.body.y;
    Rect r = c.text(f.body.x, y,
                    "Each cell with per-request data, at one concurrency: its SLA point (the last measured concurrency within "
                    "the campaign's SLA), else its highest ok concurrency (--distribution-concurrency picks another). "
                    "Curves = share of the point's requests (all trials pooled) at or below x; markers at p50, p90 and p99. "
                    "TPOT per request = (E2E latency − TTFT) / (output tokens − 1).",
                    Font{7.5}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w);
    y += r.h + 4;
    if (!st.without.empty()) {
      std::string list;
      for (const auto& id : st.without) list += (list.empty() ? "" : ", ") + id;
      r = c.text(f.body.x, y, "No per-request data at the asked concurrency: " + list, Font{6.8, false, true}, Color::hex(0xb71c1c),
                 Align::left, VAlign::top, f.body.w);
      y += r.h + 4;
    }
    if (curves.empty()) {
      draw_empty_panel(c, {f.body.x, y, f.body.w, 200}, "Latency distributions", "no cell has per-request data at the chosen concurrency");
      return;
    }
    std::vector<LegendEntry> entries;
    for (const Curve* cv : curves) entries.push_back({cv->label, f.in.variants[cv->variant].style, variant_series(cv->variant)});
    int columns = std::min<int>(3, static_cast<int>(entries.size()));
    Rect size = legend_size(c, entries, Font{7.5}, columns);
    while (columns > 1 && size.w > f.body.w) size = legend_size(c, entries, Font{7.5}, --columns);
    size.w = std::min(size.w, f.body.w);
    draw_legend(c, {f.body.x, y, size.w, size.h}, entries, Font{7.5}, columns, true);
    y += size.h + 6;
    double table_h = 11.0 * (curves.size() + 1) + 8;
    double panel_h = (f.body.bottom() - y - table_h) / 3;
    for (size_t m = 0; m < 3; ++m) draw_cdf_panel(f, {f.body.x, y + m * panel_h, f.body.w, panel_h - 8}, st, curves, m);
    draw_table(f, y + 3 * panel_h, curves);
  };
  return s;
}

}  // namespace ptr
