// Page 8, what to ship (champion_select.json): the banner (VERDICT, or DRAFT
// with every unmet gate), the baseline and the top variants at the SLO
// operating point with Welch's p, Δ % vs the baseline per concurrency with
// the trials' spread, and the arms overlaid on their GPU's roofline.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "render/chart/axes.hpp"
#include "render/chart/marks.hpp"
#include "analysis/roofline/sweep_point.hpp"
#include "render/chart/table.hpp"
#include "render/pages/cell_shape.hpp"
#include "render/pages/gpu_roofs.hpp"
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

// One colour per shown row, the baseline grey: the Δ chart and the rooflines agree.
Color row_color(const json& ch, const std::vector<const json*>& rows, const json* row) {
  const Color palette[] = {Color::hex(0x1f4e9c), Color::hex(0xd9822b), Color::hex(0x2e7d32), Color::hex(0x6a3d9a), Color::hex(0xc62828)};
  std::string base = ch.value("baseline", "");
  if (row->value("cell", "") == base) return Color::hex(0x616161);
  size_t k = 0;
  for (const json* r : rows) {
    if (r == row) break;
    if (r->value("cell", "") != base) ++k;
  }
  return palette[k % 5];
}

void draw_delta_chart(Canvas& c, const Rect& area, const json& ch, const std::vector<const json*>& rows) {
  double xlo = INFINITY, xhi = -INFINITY, ylo = 0, yhi = 0;
  for (const json* r : rows)
    for (const auto& p : (*r)["per_concurrency"])
      if (auto d = num(p, "delta_pct")) {
        double x = p["concurrency"].get<double>(), sd = num(p, "delta_pct_std").value_or(0);
        xlo = std::min(xlo, x), xhi = std::max(xhi, x);
        ylo = std::min(ylo, *d - sd), yhi = std::max(yhi, *d + sd);
      }
  std::string title = "Δ % vs baseline (bars: ± 1 std from both arms' trials)";
  if (!(xhi >= xlo)) {
    draw_empty_panel(c, area, title, "no concurrency shared with the baseline");
    return;
  }
  double pad = std::max(2.0, (yhi - ylo) * 0.1);
  AxisSpec xs{"concurrency", true, false}, ys{"Δ % vs baseline (positive = better)", false, true};
  Panel p = make_panel(area, xlo, xhi, xs, ylo - pad, yhi + pad, ys);
  draw_axes(c, p, title, xs, ys);
  c.line(p.plot.x, p.py(0), p.plot.right(), p.py(0), Color::hex(0x444444), 0.8, true);
  std::vector<LegendEntry> legend;
  std::string base = ch.value("baseline", "");
  for (const json* r : rows) {
    if (r->value("cell", "") == base) continue;
    MarkStyle st{Shape::circle, row_color(ch, rows, r), true, 3.0};
    std::vector<std::pair<double, double>> pts;
    std::vector<ErrorBar> bars;
    for (const auto& pc : (*r)["per_concurrency"]) {
      auto d = num(pc, "delta_pct");
      if (!d) continue;
      double x = p.px(pc["concurrency"].get<double>()), y = p.py(*d);
      pts.push_back({x, y});
      if (auto sd = num(pc, "delta_pct_std")) bars.push_back({x, y, x, x, p.py(*d + *sd), p.py(*d - *sd)});  // page y grows downward
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

// Where the shown arms sit on their GPU's roofline: every plot-ready point
// at its decode coordinates (the model shape at batch c per replica and
// context ISL + OSL/2, the serving output rate as achieved TFLOP/s), and the
// points of a roofline sweep of the same arm (page 7's data) hollow.
struct ArmRoofline {
  const json* row = nullptr;
  const GpuCeiling* gpu = nullptr;
  std::string weight_dtype, hardware;
  std::vector<std::tuple<double, double, long>> serving, sweep;  // AI, TFLOP/s per GPU, c
};

std::vector<ArmRoofline> arm_rooflines(const ReportInputs& in, const std::vector<const json*>& rows, std::vector<std::string>& missing) {
  std::vector<ArmRoofline> out;
  ShapeCache cache;
  for (const json* row : rows) {
    std::string id = row->value("cell", "");
    auto cell = std::find_if(in.cells.begin(), in.cells.end(), [&](const AtlasCell& c) { return c.cell_id == id; });
    if (cell == in.cells.end()) continue;
    const GpuCeiling* gpu = in.ceilings ? in.ceilings->for_hardware(cell->hardware.value_or("")) : nullptr;
    auto [shape, from] = shape_for(in, *cell, cache);
    if (!gpu || !shape) {
      missing.push_back(id + (gpu ? ": no model shape" : ": no GPU ceiling"));
      continue;
    }
    ArmRoofline a{row, gpu, shape->weight_dtype, cell->hardware.value_or("?"), {}, {}};
    long replicas = std::max(1L, cell->data_parallel.value_or(1)), gpus = cell->gpus.value_or(1);
    for (const auto& p : cell->points) {
      if (!plot_ready(p) || !has(p.output_tok_s)) continue;
      double in_tok = p.mean_input_tokens.value_or(static_cast<double>(cell->isl.value_or(0)));
      double out_tok = p.mean_output_tokens.value_or(static_cast<double>(cell->osl.value_or(0)));
      double batch = std::max(1.0, static_cast<double>(*p.concurrency) / static_cast<double>(replicas));
      SweepCoordinates sc = decode_coordinates(*shape, batch, in_tok + out_tok / 2, *p.output_tok_s, gpus, replicas);
      if (sc.achieved_tflops_per_gpu) a.serving.emplace_back(sc.arithmetic_intensity, *sc.achieved_tflops_per_gpu, *p.concurrency);
    }
    for (const auto& rc : in.roofline_cells) {
      if (!cell->arm || rc.arm != cell->arm || rc.sweep_kind != std::optional<std::string>("decode")) continue;
      for (const auto& p : rc.points)
        if (auto r = p.extra.find("roofline"); r != p.extra.end() && r->is_object() && p.concurrency)
          if (auto ai = num(*r, "arithmetic_intensity"), tf = num(*r, "achieved_tflops_per_gpu"); ai && tf)
            a.sweep.emplace_back(*ai, *tf, *p.concurrency);
    }
    if (a.serving.empty() && a.sweep.empty()) missing.push_back(id + ": no plot-ready point");
    else out.push_back(std::move(a));
  }
  return out;
}

void draw_rooflines(Canvas& c, const Rect& area, const ReportInputs& in, const json& ch, const std::vector<const json*>& rows) {
  std::string title = "Rooflines: decode coordinates per concurrency";
  std::vector<std::string> missing;
  auto arms = arm_rooflines(in, rows, missing);
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  for (const auto& a : arms) {
    for (const auto* set : {&a.serving, &a.sweep})
      for (const auto& [ai, tf, conc] : *set) {
        xlo = std::min(xlo, ai), xhi = std::max(xhi, ai), ylo = std::min(ylo, tf), yhi = std::max(yhi, tf);
      }
    if (auto ridge = ridge_intensity(*a.gpu, a.weight_dtype)) {
      xhi = std::max(xhi, *ridge);
      yhi = std::max(yhi, a.gpu->compute_roof_tflops(a.weight_dtype)->first);
    }
  }
  if (!(xhi >= xlo) || !(xlo > 0) || !(ylo > 0)) {
    std::string why = in.ceilings ? "no shown arm has a model shape and a GPU ceiling" : "no GPU ceilings: " + in.ceilings_missing;
    if (!missing.empty()) why += " (" + missing.front() + ")";
    draw_empty_panel(c, area, title, why);
    return;
  }
  AxisSpec xs{"arithmetic intensity of a decode step (FLOP/byte, model shape)", true}, ys{"achieved TFLOP/s per GPU", true};
  Panel p = make_panel(area, xlo / 1.6, xhi * 1.6, xs, ylo / 1.6, yhi * 1.5, ys);
  draw_axes(c, p, title, xs, ys);
  c.save();
  c.clip(p.plot);
  std::vector<std::string> drawn;
  for (const auto& a : arms)
    if (std::find(drawn.begin(), drawn.end(), a.gpu->key + a.weight_dtype) == drawn.end()) {
      drawn.push_back(a.gpu->key + a.weight_dtype);
      draw_gpu_roofs(c, p, *a.gpu, a.weight_dtype, a.hardware);
    }
  c.restore();
  LabelPlacer labels(p.plot);
  std::vector<LegendEntry> legend;
  bool any_sweep = false;
  for (const auto& a : arms) {
    MarkStyle st{Shape::circle, row_color(ch, rows, a.row), true, 3.0};
    std::vector<std::pair<double, double>> pts, sweep;
    for (const auto& [ai, tf, conc] : a.serving) pts.push_back({p.px(ai), p.py(tf)});
    for (const auto& [ai, tf, conc] : a.sweep) sweep.push_back({p.px(ai), p.py(tf)});
    TagScope tag(c, {"data", a.row->value("cell", "")});
    c.polyline(pts, st.color, 1.0);
    c.markers(pts, st);
    if (!sweep.empty()) {
      any_sweep = true;
      c.markers(sweep, MarkStyle{Shape::square, st.color, false, 3.0});
    }
    for (const auto& [x, y] : pts) labels.add_obstacle(marker_box(x, y, st));
    legend.push_back({a.row->value("cell", ""), st});
  }
  // The lowest and highest concurrency of each arm, so the direction reads.
  for (const auto& a : arms)
    if (!a.serving.empty())
      for (const auto* pt : {&a.serving.front(), &a.serving.back()})
        labels.place(c, p.px(std::get<0>(*pt)), p.py(std::get<1>(*pt)), fmt::format("c={}", std::get<2>(*pt)), Font{6.5},
                     row_color(ch, rows, a.row));
  if (any_sweep) legend.push_back({"roofline sweep of the arm (page 7)", MarkStyle{Shape::square, Color::hex(0x455a64), false, 3.0}});
  Rect size = legend_size(c, legend, Font{7}, 1);
  draw_legend(c, {p.plot.x + 6, p.plot.y + 6, size.w, size.h}, legend, Font{7}, 1, true);
  if (!missing.empty())
    c.text(p.plot.x + 6, p.plot.bottom() - 4, "Not placed: " + missing.front() + (missing.size() > 1 ? fmt::format(" and {} more", missing.size() - 1) : ""),
           Font{6.5}, Color::hex(0x7f3b00), Align::left, VAlign::bottom);
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
    double w = (f.body.w - 16) / 2, h = std::min(w * 1.4, f.body.bottom() - y - 40);
    draw_delta_chart(c, {f.body.x, y, w, h}, ch, rows);
    draw_rooflines(c, {f.body.x + w + 16, y, w, h}, f.in, ch, rows);
    c.text(f.body.x, y + h + 6,
           "Right: each point is a serving concurrency placed where its decode step sits (arithmetic intensity of the model shape at "
           "batch c per replica and context ISL + OSL/2) and what its output rate achieves; serving output tok/s also pays for "
           "prefill, so the height is a lower bound on the decode step's. Solid roofs: datasheet; dashed: measured achievable.",
           Font{6.5}, Color::hex(0x555555), Align::left, VAlign::top, f.body.w);
  };
  return s;
}

}  // namespace ptr
