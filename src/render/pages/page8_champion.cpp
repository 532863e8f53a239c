// Page 8, what to ship (champion_select.json): the banner (VERDICT, or DRAFT
// with every unmet gate), the baseline and the top variants at the SLO
// operating point with Welch's p, and Δ % vs the baseline per concurrency
// with the trials' spread.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "render/chart/axes.hpp"
#include "render/chart/marks.hpp"
#include "render/chart/table.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;
using nlohmann::json;

std::optional<double> num(const json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
}

// The rows page 8 shows: the baseline and the `top` best others, in rank order.
std::vector<const json*> shown_rows(const json& ch) {
  std::vector<const json*> out;
  size_t top = 3, others = 0;
  std::string base = ch.value("baseline", "");
  for (const auto& r : ch["ranked"]) {
    bool is_base = r.value("cell", "") == base;
    if (!is_base && others >= top) continue;
    if (!is_base) ++others;
    out.push_back(&r);
  }
  return out;
}

double draw_banner(Canvas& c, const Rect& body, const json& ch) {
  bool verdict = ch.value("tier", "draft") == "verdict";
  std::string pick = ch["champion"].is_string() ? ch["champion"].get<std::string>() : "none";
  std::string head = fmt::format("{}RECOMMENDED FOR PRODUCTION: {}", verdict ? "VERDICT — " : "DRAFT — ", pick);
  std::string detail;
  for (const auto& r : ch["ranked"])
    if (r.value("cell", "") == pick) detail = fmt::format("engine {}, delivery {} (the evidence is for that delivery only)",
                                                          r.value("engine", "?"), r.value("delivery", "?"));
  std::string gates;
  for (const auto& g : ch["unmet_gates"]) gates += "• " + g.get<std::string>() + "\n";
  Color bg = verdict ? Color::hex(0xe8f5e9) : Color::hex(0xfff8e1), edge = verdict ? Color::hex(0x2e7d32) : Color::hex(0xef6c00);
  Rect g = c.measure(gates, Font{7}, body.w - 16);
  double h = 34 + (gates.empty() ? 0 : g.h + 4);
  c.rect_fill({body.x, body.y, body.w, h}, bg);
  c.rect_stroke({body.x, body.y, body.w, h}, edge, 1.2);
  c.text(body.x + 8, body.y + 6, head, Font{11, true}, edge);
  c.text(body.x + 8, body.y + 21, detail, Font{7}, Color::hex(0x333333));
  if (!gates.empty()) c.text(body.x + 8, body.y + 32, gates, Font{7}, Color::hex(0x7f3b00), Align::left, VAlign::top, body.w - 16);
  return h;
}

void draw_delta_chart(Canvas& c, const Rect& area, const json& ch, const std::vector<const json*>& rows) {
  double xlo = INFINITY, xhi = -INFINITY, ylo = 0, yhi = 0;
  for (const json* r : rows)
    for (const auto& p : (*r)["per_concurrency"])
      if (auto d = num(p, "delta_pct")) {
        double x = p["concurrency"].get<double>();
        xlo = std::min(xlo, x), xhi = std::max(xhi, x);
        ylo = std::min(ylo, *d), yhi = std::max(yhi, *d);
      }
  std::string title = "Δ % vs baseline per concurrency (bars: ± the variant's trial std, relative to the baseline)";
  if (!(xhi >= xlo)) {
    draw_empty_panel(c, area, title, "no concurrency shared with the baseline");
    return;
  }
  double pad = std::max(2.0, (yhi - ylo) * 0.1);
  AxisSpec xs{"concurrency", true, false}, ys{"Δ % vs baseline (positive = better)", false, true};
  Panel p = make_panel(area, xlo, xhi, xs, ylo - pad, yhi + pad, ys);
  draw_axes(c, p, title, xs, ys);
  c.line(p.plot.x, p.py(0), p.plot.right(), p.py(0), Color::hex(0x444444), 0.8, true);
  const Color palette[] = {Color::hex(0x1f4e9c), Color::hex(0xd9822b), Color::hex(0x2e7d32), Color::hex(0x6a3d9a), Color::hex(0xc62828)};
  std::vector<LegendEntry> legend;
  size_t k = 0;
  std::string base = ch.value("baseline", "");
  for (const json* r : rows) {
    if (r->value("cell", "") == base) continue;
    MarkStyle st{Shape::circle, palette[k++ % 5], true, 3.0};
    std::vector<std::pair<double, double>> pts;
    std::vector<ErrorBar> bars;
    for (const auto& pc : (*r)["per_concurrency"]) {
      auto d = num(pc, "delta_pct");
      if (!d) continue;
      double x = p.px(pc["concurrency"].get<double>()), y = p.py(*d);
      pts.push_back({x, y});
      // The variant's std as a share of its value, on the Δ axis.
      if (auto sd = num(pc, "std"); sd && num(pc, "value") && *num(pc, "value") > 0) {
        double rel = *sd / *num(pc, "value") * (100 + *d);
        bars.push_back({x, y, x, x, p.py(*d - rel), p.py(*d + rel)});
      }
    }
    TagScope tag(c, {"data", r->value("cell", "")});
    c.polyline(pts, st.color, 1.0);
    draw_error_bars(c, bars, st.color);
    c.markers(pts, st);
    legend.push_back({r->value("cell", ""), st});
  }
  if (!legend.empty()) {
    Rect size = legend_size(c, legend, Font{7}, 1);
    draw_legend(c, {p.plot.x + 6, p.plot.y + 6, size.w, size.h}, legend, Font{7}, 1, true);
  }
}

}  // namespace

PageSpec page8_spec() {
  PageSpec s;
  s.id = "page8";
  s.title = "Champion: what to ship";
  s.inputs = {{"a champion selection (champion_select.json)", "run champion_select over the variant arms (docs/champion.md)",
               [](const ReportInputs& in) { return in.champion.is_object(); }}};
  s.count = [](const ReportInputs&, const Rect&) { return 1; };
  s.draw = [](PageFrame& f, int) {
    Canvas& c = f.c;
    const json& ch = f.in.champion;
    double y = f.body.y;
    y += draw_banner(c, f.body, ch) + 8;
    const json& slo = ch["slo"];
    std::string intro = fmt::format(
        "Focus {}: {}. SLO {} TTFT ≤ {:g} ms, TPOT ≤ {:g} ms; baseline {}. Significance: Welch's two-sided t-test on the trials "
        "(p < 0.05 called significant). Sensitivity: with the SLO 20 % tighter the pick is {}, 20 % looser {}.",
        ch.value("focus", "?"), ch.value("metric", ""), slo.value("sla_percentile", "mean"), slo.value("ttft_sla_ms", 0.0),
        slo.value("tpot_sla_ms", 0.0), ch.value("baseline", "?"),
        ch["sensitivity"]["tighter_20pct"]["pick"].is_string() ? ch["sensitivity"]["tighter_20pct"]["pick"].get<std::string>() : "none",
        ch["sensitivity"]["looser_20pct"]["pick"].is_string() ? ch["sensitivity"]["looser_20pct"]["pick"].get<std::string>() : "none");
    Rect r = c.text(f.body.x, y, intro, Font{7}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w);
    y += r.h + 8;
    auto rows = shown_rows(ch);
    HeatTable t;
    t.title = "Baseline and the top variants at the operating point";
    t.corner_label = "rank · cell (engine, delivery, sol_rigor)";
    t.col_labels = {"score", "± std", "trials", "at c", "Δ % vs base", "Welch p", "DRAM act %", "tensor act %"};
    t.col_decimals = {1, 1, 0, 1, 1, 4, 0, 0};
    size_t rank = 0;
    for (const auto& row : ch["ranked"]) {
      ++rank;
      if (std::find(rows.begin(), rows.end(), &row) == rows.end()) continue;
      bool base = row.value("cell", "") == ch.value("baseline", "");
      t.row_labels.push_back(fmt::format("{}. {}{} ({}, {}, {})", rank, row.value("cell", ""), base ? " [baseline]" : "",
                                         row.value("engine", "?"), row.value("delivery", "?"), row.value("sol_rigor", "none")));
      auto cell = [](std::optional<double> v, const char* none) {
        HeatCell h;
        h.value = v;
        if (!v) h.state = none;
        return h;
      };
      std::optional<double> p;
      if (row.contains("welch")) p = num(row["welch"], "p_two_sided");
      const json& tel = row.value("telemetry", json::object());
      t.cells.push_back({cell(num(row, "score"), "n/a"), cell(num(row, "score_std"), "1 trial"), cell(num(row, "trials"), "n/a"),
                         cell(num(row, "at_concurrency"), "n/a"), cell(num(row, "delta_pct_vs_baseline"), base ? "—" : "n/a"),
                         cell(p, base ? "—" : "no spread"), cell(num(tel, "dram_active_pct"), "no DCGM"),
                         cell(num(tel, "tensor_active_pct"), "no DCGM")});
    }
    draw_heat_table(c, {f.body.x, y, f.body.w, table_height(t.row_labels.size())}, t);
    y += table_height(t.row_labels.size()) + 8;
    std::string margin = ch["runner_up"].is_string() && num(ch, "margin_pct")
                             ? fmt::format("Runner-up {}: the champion leads by {:.1f} %.", ch["runner_up"].get<std::string>(), *num(ch, "margin_pct"))
                             : "No runner-up.";
    if (!ch["unranked"].empty()) margin += fmt::format(" Not ranked: {}.", ch["unranked"][0].get<std::string>());
    r = c.text(f.body.x, y, margin, Font{7.5, true}, Color::hex(0x1a237e), Align::left, VAlign::top, f.body.w);
    y += r.h + 10;
    draw_delta_chart(c, {f.body.x, y, f.body.w, std::min(420.0, f.body.bottom() - y)}, ch, rows);
  };
  return s;
}

}  // namespace ptr
