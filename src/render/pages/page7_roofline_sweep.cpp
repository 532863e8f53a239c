// Page 7, the phase-separated roofline of the roofline sweeps
// (import_roofline_sweep). Panel A: arithmetic intensity against achieved
// TFLOP/s per GPU under the GPU's memory diagonal and tensor roof (datasheet
// solid, measured achievable dashed), decode points labelled c=N, prefill
// points ISL N. Panel B, per decode batch: the byte-grounded delivered HBM
// bandwidth (the model's bytes per step x steps per second, over the
// datasheet) beside the DRAM_ACTIVE duty-cycle proxy, with the 75 % line.
// Without a model shape panel A falls back to the proxies (DRAM and tensor
// activity) and says so. A table gives every point's numbers.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "model/telemetry_names.hpp"
#include "render/chart/axes.hpp"
#include "render/chart/marks.hpp"
#include "render/pages/gpu_roofs.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

constexpr double kHbmTarget = 75;  // % of datasheet HBM bandwidth a tuned decode should reach

struct SweepPoint {
  std::string phase;  // decode | prefill
  long batch = 0;
  std::optional<long> isl;
  std::optional<double> tok_s, ai, tflops, hbm_tb_s, dram_pct, tensor_pct, power_w;
  std::string cell;
};

// A point's mark stands for its roofline cell at its batch (the HTML report's
// tooltip and raw-file link).
Tag point_tag(const SweepPoint& pt) { return {"data", pt.cell, {std::to_string(pt.batch)}}; }

struct Sweep {
  std::string label, hardware, weight_dtype;
  const GpuCeiling* gpu = nullptr;
  MarkStyle style;
  std::vector<SweepPoint> points;
  bool analytic = false;  // points carry the model shape's coordinates
  std::optional<double> hbm_pct(const SweepPoint& p) const {
    if (!p.hbm_tb_s || !gpu) return std::nullopt;
    return *p.hbm_tb_s / gpu->hbm_tb_s * 100;
  }
  std::optional<std::pair<double, std::string>> roof() const { return gpu ? gpu->compute_roof_tflops(weight_dtype) : std::nullopt; }
};

std::optional<double> num(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::string sweep_label(const std::string& cell_id) {
  for (const char* suffix : {"-decode", "-prefill"}) {
    std::string s = suffix;
    if (cell_id.size() > s.size() && cell_id.compare(cell_id.size() - s.size(), s.size(), s) == 0)
      return cell_id.substr(0, cell_id.size() - s.size());
  }
  return cell_id;
}

std::string weight_dtype_of(const AtlasCell& cell) {
  auto sweep = cell.extra.find("roofline_sweep");
  if (sweep != cell.extra.end() && sweep->is_object() && sweep->contains("model_shape") && (*sweep)["model_shape"].is_object())
    return (*sweep)["model_shape"].value("weight_dtype", "bf16");
  std::string q = cell.quant.value_or("bf16");
  std::transform(q.begin(), q.end(), q.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return q;
}

struct State {
  std::vector<Sweep> sweeps;
  std::vector<std::string> unmapped;  // hardware without a ceiling
};

State prepare_sweeps(const ReportInputs& in) {
  State st;
  std::map<std::string, size_t> index;
  for (const auto& cell : in.roofline_cells) {
    std::string label = sweep_label(cell.cell_id);
    if (!index.count(label)) {
      index[label] = st.sweeps.size();
      Sweep s;
      s.label = label;
      s.hardware = cell.hardware.value_or("?");
      s.weight_dtype = weight_dtype_of(cell);
      s.gpu = in.ceilings ? in.ceilings->for_hardware(s.hardware) : nullptr;
      st.sweeps.push_back(s);
    }
    Sweep& s = st.sweeps[index[label]];
    for (const auto& p : cell.points) {
      if (!p.concurrency || p.status == "failed") continue;
      SweepPoint sp;
      sp.phase = cell.sweep_kind.value_or("decode");
      sp.batch = *p.concurrency;
      sp.isl = p.isl;
      sp.cell = cell.cell_id;
      sp.tok_s = sp.phase == "decode" ? p.output_tok_s : p.total_tok_s;
      if (auto r = p.extra.find("roofline"); r != p.extra.end() && r->is_object()) {
        sp.ai = num(*r, "arithmetic_intensity");
        sp.tflops = num(*r, "achieved_tflops_per_gpu");
        sp.hbm_tb_s = num(*r, "delivered_hbm_tb_s_per_gpu");
        if (sp.ai && sp.tflops) s.analytic = true;
      }
      if (auto t = p.extra.find("telemetry"); t != p.extra.end() && t->is_object()) {
        sp.dram_pct = num(*t, telemetry::kDramActivePct);
        sp.tensor_pct = num(*t, telemetry::kTensorActivePct);
        sp.power_w = num(*t, telemetry::kPowerW);
      }
      s.points.push_back(sp);
    }
  }
  std::vector<std::string> hw;
  for (const auto& s : st.sweeps) hw.push_back(s.hardware);
  auto styles = series_styles(hw, std::vector<bool>(hw.size(), false), hw);
  for (size_t i = 0; i < st.sweeps.size(); ++i) st.sweeps[i].style = styles[i];
  for (const auto& s : st.sweeps)
    if (!s.gpu && std::find(st.unmapped.begin(), st.unmapped.end(), s.hardware) == st.unmapped.end()) st.unmapped.push_back(s.hardware);
  return st;
}

std::string point_name(const SweepPoint& p) {
  return p.phase == "decode" ? fmt::format("c={}", p.batch)
                             : (p.batch > 1 ? fmt::format("ISL {}×{}", p.isl.value_or(0), p.batch) : fmt::format("ISL {}", p.isl.value_or(0)));
}

Shape shape_of(const SweepPoint& p) { return p.phase == "decode" ? Shape::circle : Shape::square; }

// Panel A, analytic: AI against achieved TFLOP/s per GPU under each GPU's roofs.
void draw_roofline(Canvas& c, const Rect& area, const State& st, DrawLedger& ledger) {
  double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  for (const auto& s : st.sweeps) {
    for (const auto& p : s.points)
      if (p.ai && p.tflops && *p.ai > 0 && *p.tflops > 0) {
        xlo = std::min(xlo, *p.ai);
        xhi = std::max(xhi, *p.ai);
        ylo = std::min(ylo, *p.tflops);
        yhi = std::max(yhi, *p.tflops);
      }
    if (auto r = s.roof()) {
      yhi = std::max(yhi, r->first);
      xhi = std::max(xhi, r->first / s.gpu->hbm_tb_s);  // the ridge point
    }
  }
  std::string title = "A  Roofline per GPU: arithmetic intensity vs achieved TFLOP/s (log-log)";
  if (!(xhi >= xlo)) {
    draw_empty_panel(c, area, title, "no point has both an arithmetic intensity and a measured rate");
    return;
  }
  AxisSpec xs{"arithmetic intensity (FLOP/byte, model shape)", true}, ys{"achieved TFLOP/s per GPU", true};
  Panel p = make_panel(area, xlo / 1.6, xhi * 1.6, xs, ylo / 1.6, yhi * 1.5, ys);
  draw_axes(c, p, title, xs, ys);
  c.save();
  c.clip(p.plot);
  std::map<std::string, bool> drawn_gpu;
  for (const auto& s : st.sweeps) {
    if (!s.gpu || drawn_gpu[s.gpu->key]) continue;
    drawn_gpu[s.gpu->key] = true;
    draw_gpu_roofs(c, p, *s.gpu, s.weight_dtype, s.hardware);
  }
  c.restore();
  LabelPlacer labels(p.plot);
  std::vector<std::tuple<double, double, std::string, Color>> to_label;
  for (const auto& s : st.sweeps) {
    for (const char* phase : {"decode", "prefill"}) {
      std::vector<std::pair<double, double>> at;
      std::vector<const SweepPoint*> of;
      for (const auto& pt : s.points) {
        if (pt.phase != phase) continue;
        if (!pt.ai || !pt.tflops || !(*pt.ai > 0) || !(*pt.tflops > 0)) {
          ledger.undrawn.push_back({"page7", pt.cell, pt.batch, "no analytical coordinates (model shape or rate missing)"});
          continue;
        }
        double x = p.px(*pt.ai), y = p.py(*pt.tflops);
        at.push_back({x, y});
        of.push_back(&pt);
        to_label.emplace_back(x, y, point_name(pt), s.style.color);
      }
      MarkStyle m = s.style;
      m.shape = std::string(phase) == "decode" ? Shape::circle : Shape::square;
      for (size_t i = 0; i < at.size(); ++i) {
        TagScope tag(c, point_tag(*of[i]));
        c.markers({at[i]}, m);
        labels.add_obstacle(marker_box(at[i].first, at[i].second, m));
      }
    }
  }
  for (const auto& [x, y, text, color] : to_label) labels.place(c, x, y, text, Font{6.5}, color);
  if (labels.skipped() > 0) ledger.skipped_labels += labels.skipped();
}

// Panel A without a model shape: the activity proxies.
void draw_proxy(Canvas& c, const Rect& area, const State& st) {
  std::string title = "A  Proxy roofline: DRAM_ACTIVE vs tensor activity (no model shape)";
  AxisSpec xs{"DRAM_ACTIVE (% of time, duty-cycle proxy)", false, true}, ys{"tensor pipe active (%)", false, true};
  std::vector<std::pair<const Sweep*, const SweepPoint*>> pts;
  for (const auto& s : st.sweeps)
    for (const auto& p : s.points)
      if (p.dram_pct && p.tensor_pct) pts.push_back({&s, &p});
  if (pts.empty()) {
    draw_empty_panel(c, area, title, "no model shape and no DRAM/tensor telemetry: give the model's config.json");
    return;
  }
  Panel p = make_panel(area, 0, 100, xs, 0, 100, ys);
  draw_axes(c, p, title, xs, ys);
  LabelPlacer labels(p.plot);
  for (const auto& [s, pt] : pts) {
    MarkStyle m = s->style;
    m.shape = shape_of(*pt);
    TagScope tag(c, point_tag(*pt));
    c.markers({{p.px(*pt->dram_pct), p.py(*pt->tensor_pct)}}, m);
    labels.add_obstacle(marker_box(p.px(*pt->dram_pct), p.py(*pt->tensor_pct), m));
  }
  for (const auto& [s, pt] : pts) labels.place(c, p.px(*pt->dram_pct), p.py(*pt->tensor_pct), point_name(*pt), Font{6.5}, s->style.color);
}

// Panel B: per decode batch, the delivered HBM % and the DRAM_ACTIVE proxy.
void draw_bandwidth(Canvas& c, const Rect& area, const State& st) {
  std::string title = "B  Decode: HBM bandwidth per batch (% of datasheet)";
  double xlo = INFINITY, xhi = -INFINITY, yhi = kHbmTarget;
  for (const auto& s : st.sweeps)
    for (const auto& p : s.points) {
      if (p.phase != "decode") continue;
      auto pct = s.hbm_pct(p);
      if (!pct && !p.dram_pct) continue;
      xlo = std::min(xlo, static_cast<double>(p.batch));
      xhi = std::max(xhi, static_cast<double>(p.batch));
      yhi = std::max({yhi, pct.value_or(0), p.dram_pct.value_or(0)});
    }
  if (!(xhi >= xlo)) {
    draw_empty_panel(c, area, title, "no decode point with a delivered bandwidth or DRAM activity");
    return;
  }
  if (xhi == xlo) xhi = xlo * 2;
  AxisSpec xs{"decode batch (concurrent sequences)", true}, ys{"% of datasheet HBM bandwidth", false, true};
  Panel p = make_panel(area, xlo, xhi, xs, 0, std::min(110.0, yhi * 1.1), ys);
  draw_axes(c, p, title, xs, ys);
  {
    TagScope tag(c, {"guide", "hbm-75"});
    c.line(p.plot.x, p.py(kHbmTarget), p.plot.right(), p.py(kHbmTarget), Color::hex(0xb71c1c, 0.8), 0.7, true);
    c.text(p.plot.x + 3, p.py(kHbmTarget) - 1, "75 % of datasheet", Font{6.5}, Color::hex(0xb71c1c), Align::left, VAlign::bottom);
  }
  bool any_bytes = false, any_proxy = false;
  for (const auto& s : st.sweeps) {
    std::vector<std::pair<double, double>> bytes, proxy;
    std::vector<const SweepPoint*> bytes_of, proxy_of;
    for (const auto& pt : s.points) {
      if (pt.phase != "decode") continue;
      if (auto pct = s.hbm_pct(pt)) {
        bytes.push_back({p.px(static_cast<double>(pt.batch)), p.py(*pct)});
        bytes_of.push_back(&pt);
      }
      if (pt.dram_pct) {
        proxy.push_back({p.px(static_cast<double>(pt.batch)), p.py(*pt.dram_pct)});
        proxy_of.push_back(&pt);
      }
    }
    any_bytes = any_bytes || !bytes.empty();
    any_proxy = any_proxy || !proxy.empty();
    MarkStyle filled = s.style, hollow = s.style;
    filled.filled = true;
    hollow.filled = false;
    hollow.shape = Shape::diamond;
    if (!bytes.empty()) c.polyline(bytes, s.style.color, 1.0);
    if (!proxy.empty()) c.polyline(proxy, s.style.color, 0.7, true);
    for (size_t i = 0; i < bytes.size(); ++i) {
      TagScope tag(c, point_tag(*bytes_of[i]));
      c.markers({bytes[i]}, filled);
    }
    for (size_t i = 0; i < proxy.size(); ++i) {
      TagScope tag(c, point_tag(*proxy_of[i]));
      c.markers({proxy[i]}, hollow);
    }
  }
  std::vector<LegendEntry> entries;
  MarkStyle solid{Shape::circle, Color::hex(0x455a64), true}, hollow{Shape::diamond, Color::hex(0x455a64), false};
  // Only the marks in use.
  if (any_bytes) entries.push_back({"delivered (model bytes/step × steps/s)", solid});
  if (any_proxy) entries.push_back({"DRAM_ACTIVE proxy (GPM/DCGM)", hollow});
  Rect size = legend_size(c, entries, Font{6.5}, 1);
  draw_legend(c, {p.plot.right() - size.w - 4, p.plot.bottom() - size.h - 4, size.w, size.h}, entries, Font{6.5}, 1, true);
}

std::string opt(const std::optional<double>& v, const char* f) { return v ? fmt::format(fmt::runtime(f), *v) : "—"; }

void draw_table(Canvas& c, const Rect& area, const State& st, DrawLedger& ledger) {
  bool several = st.sweeps.size() > 1;
  std::vector<std::pair<std::string, double>> cols = {{"point", 56}, {"tok/s", 52}, {"AI FLOP/B", 52}, {"TFLOP/s/GPU", 56},
                                                      {"% roof", 40},  {"HBM TB/s", 48}, {"% datasheet", 52}, {"% achievable", 56},
                                                      {"DRAM_ACTIVE %", 62}, {"tensor %", 44}, {"power W", 44}};
  if (several) cols.insert(cols.begin(), {"sweep", 120});
  double total = 0;
  for (const auto& col : cols) total += col.second;
  double scale = std::min(1.0, area.w / total);
  Font head{6.5, true}, font{6.5};
  double y = area.y, row_h = 10;
  double x = area.x;
  c.rect_fill({area.x, y, total * scale, row_h + 1}, Color::hex(0xe8eaf6));
  for (const auto& col : cols) {
    c.text(x + 2, y + 1, fit_text(c, col.first, head, col.second * scale - 4), head);
    x += col.second * scale;
  }
  y += row_h + 2;
  size_t rows = 0, total_rows = 0;
  for (const auto& s : st.sweeps) total_rows += s.points.size();
  for (const auto& s : st.sweeps) {
    auto roof = s.roof();
    for (const auto& pt : s.points) {
      if (y + row_h > area.bottom()) break;
      std::vector<std::string> vals;
      if (several) vals.push_back(s.label);
      auto pct = s.hbm_pct(pt);
      std::optional<double> ach;
      if (pt.hbm_tb_s && s.gpu && s.gpu->achievable_hbm_tb_s) ach = *pt.hbm_tb_s / *s.gpu->achievable_hbm_tb_s * 100;
      std::optional<double> roof_pct;
      if (pt.tflops && roof) roof_pct = *pt.tflops / roof->first * 100;
      vals.push_back(point_name(pt));
      vals.push_back(opt(pt.tok_s, "{:.0f}"));
      vals.push_back(opt(pt.ai, pt.ai && *pt.ai >= 100 ? "{:.0f}" : "{:.3g}"));
      vals.push_back(opt(pt.tflops, "{:.1f}"));
      vals.push_back(opt(roof_pct, "{:.1f}"));
      vals.push_back(pt.phase == "decode" ? opt(pt.hbm_tb_s, "{:.3f}") : "—");
      vals.push_back(pt.phase == "decode" ? opt(pct, "{:.1f}") : "—");
      vals.push_back(pt.phase == "decode" ? opt(ach, "{:.1f}") : "—");
      vals.push_back(opt(pt.dram_pct, "{:.0f}"));
      vals.push_back(opt(pt.tensor_pct, "{:.0f}"));
      vals.push_back(opt(pt.power_w, "{:.0f}"));
      x = area.x;
      if (rows % 2 == 1) c.rect_fill({area.x, y - 1, total * scale, row_h}, Color::hex(0xf5f5f5));
      TagScope tag(c, point_tag(pt));
      for (size_t i = 0; i < cols.size(); ++i) {
        c.text(x + 2, y, fit_text(c, vals[i], font, cols[i].second * scale - 4), font);
        x += cols[i].second * scale;
      }
      y += row_h;
      ++rows;
    }
  }
  if (rows < total_rows) {
    c.text(area.x, y + 1, fmt::format("… {} more points on the charts above, not in this table", total_rows - rows),
           Font{6.5, false, true}, Color::hex(0x555555));
    ledger.notes.push_back(fmt::format("page 7: table shows {} of {} roofline points (all are on the charts)", rows, total_rows));
  }
}

// One line per sweep answering the page's two questions.
std::vector<std::string> verdicts(const State& st) {
  std::vector<std::string> out;
  for (const auto& s : st.sweeps) {
    const SweepPoint *best_bw = nullptr, *best_flops = nullptr;
    for (const auto& p : s.points) {
      if (p.phase == "decode" && s.hbm_pct(p) && (!best_bw || *s.hbm_pct(p) > *s.hbm_pct(*best_bw))) best_bw = &p;
      if (p.tflops && (!best_flops || *p.tflops > *best_flops->tflops)) best_flops = &p;
    }
    std::string line = s.label + ": ";
    if (best_bw) {
      double pct = *s.hbm_pct(*best_bw);
      line += fmt::format("decode delivers at most {:.0f} % of datasheet HBM ({} at {}) — {} the 75 % line", pct,
                          fmt::format("{:.2f} TB/s", *best_bw->hbm_tb_s), point_name(*best_bw), pct >= kHbmTarget ? "at or above" : "below");
    } else {
      line += "no delivered-bandwidth figure (model shape or ceiling missing)";
    }
    auto roof = s.roof();
    if (best_flops)
      line += fmt::format("; most TFLOP/s: {} {}, {:.0f} TFLOP/s/GPU{}", best_flops->phase, point_name(*best_flops), *best_flops->tflops,
                          roof ? fmt::format(" = {:.0f} % of {} dense {:g}", *best_flops->tflops / roof->first * 100, roof->second,
                                             roof->first)
                               : "");
    out.push_back(line);
  }
  return out;
}

}  // namespace

PageSpec page7_spec() {
  PageSpec s;
  s.id = "page7";
  s.title = "Roofline sweep: delivered vs datasheet";
  s.inputs = {{"a roofline sweep (decode batch and prefill ISL cells)",
               "capture one with cell_run --backend roofline-sweep (or any bundle in docs/formats/roofline-bundle.md), then "
               "import_roofline_sweep",
               [](const ReportInputs& in) { return !in.roofline_cells.empty(); }}};
  s.precondition = [](const ReportInputs& in) -> std::optional<Omission> {
    if (!in.ceilings) return Omission{"page7", in.ceilings_missing, "install configs/sol-ceilings.yaml or set SOL_CEILINGS_YAML"};
    State st = prepare_sweeps(in);
    if (!st.unmapped.empty() && st.unmapped.size() == st.sweeps.size()) {
      std::string list;
      for (const auto& h : st.unmapped) list += (list.empty() ? "" : ", ") + h;
      return Omission{"page7", "no GPU ceiling for hardware " + list,
                      "map the hardware name to a GPU key under hardware: in configs/sol-ceilings.yaml"};
    }
    return std::nullopt;
  };
  s.count = [](const ReportInputs&, const Rect&) { return 1; };
  s.prepare = [](const ReportInputs& in) -> std::any { return prepare_sweeps(in); };
  s.draw = [](PageFrame& f, int) {
    Canvas& c = f.c;
    const auto& st = std::any_cast<const State&>(*f.prepared);
    bool analytic = std::any_of(st.sweeps.begin(), st.sweeps.end(), [](const Sweep& s) { return s.analytic; });
    double y = f.body.y;
    std::string intro =
        "Each point is one step shape measured on its own: decode at batch c (circles), prefill of one prompt of ISL tokens "
        "(squares). Achieved TFLOP/s = model FLOPs per token × measured tok/s ÷ GPUs (prefill FLOPs with causal halving of "
        "attention). Delivered HBM = the model's bytes per decode step (weights once, experts touched, KV read + written) × "
        "steps/s ÷ GPUs: a decode point's distance below the diagonal is its HBM shortfall. Roofs: datasheet solid, measured "
        "achievable dashed (configs/sol-ceilings.yaml). DRAM_ACTIVE is a duty cycle, not bytes: a proxy.";
    if (!analytic) intro += " No model shape was available: panel A shows the activity proxies instead.";
    Rect r = c.text(f.body.x, y, intro, Font{7}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w);
    y += r.h + 3;
    for (const auto& v : verdicts(st)) {
      r = c.text(f.body.x, y, v, Font{7.5, true}, Color::hex(0x1a237e), Align::left, VAlign::top, f.body.w);
      y += r.h + 1;
    }
    if (!st.unmapped.empty()) {
      std::string list;
      for (const auto& h : st.unmapped) list += (list.empty() ? "" : ", ") + h;
      r = c.text(f.body.x, y, "No GPU ceiling for " + list + ": those sweeps have no roofs or percentages.", Font{7, false, true},
                 Color::hex(0xb71c1c), Align::left, VAlign::top, f.body.w);
      y += r.h + 1;
    }
    if (st.sweeps.size() > 1) {
      std::vector<LegendEntry> entries;
      for (const auto& s : st.sweeps) entries.push_back({s.label, s.style});
      int columns = std::min<int>(3, static_cast<int>(entries.size()));
      Rect size = legend_size(c, entries, Font{7}, columns);
      draw_legend(c, {f.body.x, y + 2, std::min(size.w, f.body.w), size.h}, entries, Font{7}, columns, true);
      y += size.h + 4;
    }
    size_t n_points = 0;
    for (const auto& s : st.sweeps) n_points += s.points.size();
    double table_h = std::min(14.0 + 10.0 * static_cast<double>(n_points), (f.body.bottom() - y) * 0.38);
    double charts_h = f.body.bottom() - y - table_h - 6;
    double wa = f.body.w * 0.56;
    if (analytic) draw_roofline(c, {f.body.x, y + 4, wa - 8, charts_h - 4}, st, f.ledger);
    else draw_proxy(c, {f.body.x, y + 4, wa - 8, charts_h - 4}, st);
    draw_bandwidth(c, {f.body.x + wa + 4, y + 4, f.body.w - wa - 4, charts_h - 4}, st);
    draw_table(c, {f.body.x, y + charts_h + 6, f.body.w, table_h}, st, f.ledger);
  };
  s.status = [](const ReportInputs& in, bool drawn, nlohmann::json& status) {
    bool grounded = false;
    for (const auto& cell : in.roofline_cells)
      for (const auto& p : cell.points)
        if (auto t = p.extra.find("telemetry"); t != p.extra.end() && t->contains(telemetry::kDramActivePct)) grounded = true;
    ground_sol(status, drawn, true, grounded ? "L3" : "none", grounded);
  };
  return s;
}

}  // namespace ptr
