// Page 4, workload speed of light: every plot-ready serving point beside the
// analytical decode ceiling of its model on its GPU at that batch (the
// concurrency per replica) and context (mean ISL + half the mean OSL), as %
// of speed of light against the datasheet and the measured achievable
// ceilings. The seed draws page 4 from kernels.json; this build draws it from
// the model shape, which needs no profiler (docs/report.md).
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include "analysis/roofline/decode_ceiling.hpp"
#include "analysis/roofline/model_shape.hpp"
#include "render/chart/axes.hpp"
#include "render/chart/marks.hpp"
#include "render/chart/table.hpp"
#include "render/pages/cell_shape.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

struct SolPoint {
  long concurrency = 0;
  double measured = 0, ceiling = 0;
  std::optional<double> achievable;
  std::string bound;
  double pct() const { return measured / ceiling * 100; }
};

struct SolCell {
  const AtlasCell* cell = nullptr;
  std::string label, shape_from, weight_dtype;
  MarkStyle style;
  std::vector<SolPoint> points;
};

struct State {
  std::vector<SolCell> cells;
  std::vector<std::string> missing;  // "<cell>: why" for cells left out
};

// `ceilings` false: which cells make rows, without computing a ceiling
// (precondition and page count). Ceilings repeat across cells (same shape,
// GPU, batch and context): computed once each.
State prepare_sol(const ReportInputs& in, bool ceilings = true) {
  State st;
  if (!in.ceilings) return st;
  ShapeCache cache;
  std::map<std::tuple<const ModelShape*, const GpuCeiling*, double, double>, std::pair<DecodeCeiling, std::optional<DecodeCeiling>>> memo;
  for (const auto& cell : in.cells) {
    const GpuCeiling* gpu = in.ceilings->for_hardware(cell.hardware.value_or(""));
    if (!gpu) {
      st.missing.push_back(cell.cell_id + ": no GPU ceiling for hardware " + cell.hardware.value_or("?"));
      continue;
    }
    auto [shape, from] = shape_for(in, cell, cache);
    if (!shape) {
      st.missing.push_back(cell.cell_id + ": no model shape for " + cell.model.value_or("?"));
      continue;
    }
    SolCell sc{&cell, in.variant(cell).label, from, shape->weight_dtype, in.variant(cell).style, {}};
    if (in.facets.size() > 1) sc.label += " · " + in.facets[in.facet_of_cell.at(cell.cell_id)].label;
    long replicas = std::max(1L, cell.data_parallel.value_or(1));
    for (const auto& p : cell.points) {
      if (!plot_ready(p) || !has(p.output_tok_s_per_gpu)) continue;
      double in_tok = p.mean_input_tokens.value_or(static_cast<double>(cell.isl.value_or(0)));
      double out_tok = p.mean_output_tokens.value_or(static_cast<double>(cell.osl.value_or(0)));
      double batch = std::max(1.0, static_cast<double>(*p.concurrency) / static_cast<double>(replicas));
      SolPoint sp{*p.concurrency, *p.output_tok_s_per_gpu, 0, std::nullopt, ""};
      if (ceilings) {
        auto key = std::make_tuple(shape.get(), gpu, batch, in_tok + out_tok / 2);
        auto it = memo.find(key);
        if (it == memo.end())
          it = memo.emplace(key, std::pair{decode_ceiling(*shape, *gpu, batch, in_tok + out_tok / 2),
                                           achievable_decode_ceiling(*shape, *gpu, batch, in_tok + out_tok / 2)})
                   .first;
        sp.ceiling = it->second.first.tok_s_per_gpu;
        sp.bound = it->second.first.bound;
        if (it->second.second) sp.achievable = *p.output_tok_s_per_gpu / it->second.second->tok_s_per_gpu * 100;
      }
      sc.points.push_back(sp);
    }
    if (!sc.points.empty()) st.cells.push_back(std::move(sc));
    else st.missing.push_back(cell.cell_id + ": no plot-ready point");
  }
  return st;
}

std::vector<long> concurrencies(const State& st) {
  std::set<long> cs;
  for (const auto& sc : st.cells)
    for (const auto& p : sc.points) cs.insert(p.concurrency);
  return {cs.begin(), cs.end()};
}

// Rows per page: the first page carries the introduction.
constexpr double kIntroShare = 0.13;
// Where the time of the cells on this page goes (kernels.json, page 3): the
// three largest categories of each cell that has one, at most eight cells.
std::string kernel_line(const ReportInputs& in, const State& st) {
  std::string out;
  size_t shown = 0, more = 0;
  for (const auto& sc : st.cells) {
    auto it = in.kernels_of_cell.find(sc.cell->cell_id);
    if (it == in.kernels_of_cell.end()) continue;
    if (shown == 8) {
      ++more;
      continue;
    }
    std::vector<std::pair<double, std::string>> shares;
    for (const char* cat : kKernelCategories) shares.push_back({it->second.share_pct(cat), cat});
    std::sort(shares.begin(), shares.end(), std::greater<>());
    out += fmt::format("{}{}: {} {:.0f}%, {} {:.0f}%, {} {:.0f}%", out.empty() ? "" : "; ", sc.label, shares[0].second, shares[0].first,
                       shares[1].second, shares[1].first, shares[2].second, shares[2].first);
    ++shown;
  }
  if (out.empty()) return out;
  if (more) out += fmt::format("; and {} more", more);
  return "Kernel time by category (kernels.json, page 3) — " + out + ".";
}

size_t rows_on_page(const Rect& body, int index) {
  double h = body.h * (index == 0 ? 1 - kIntroShare : 1) - kTableTitleHeight - kTableHeadHeight - 30;
  return static_cast<size_t>(std::max(1.0, h / kTableRowHeight));
}

HeatTable sol_table(const State& st, size_t first, size_t count, bool achievable) {
  auto cs = concurrencies(st);
  HeatTable t;
  t.title = achievable ? "% of the measured-achievable decode ceiling" : "% of the datasheet decode ceiling";
  t.corner_label = "variant · c";
  for (long c : cs) t.col_labels.push_back(std::to_string(c));
  t.scale = ColorScale{0, 100, true};
  t.unit = "%";
  for (size_t i = first; i < std::min(st.cells.size(), first + count); ++i) {
    const SolCell& sc = st.cells[i];
    t.row_labels.push_back(sc.label);
    std::vector<HeatCell> row;
    for (long c : cs) {
      HeatCell h;
      auto it = std::find_if(sc.points.begin(), sc.points.end(), [&](const SolPoint& p) { return p.concurrency == c; });
      bool failed = std::any_of(sc.cell->points.begin(), sc.cell->points.end(),
                                [&](const Point& p) { return p.concurrency == c && p.status == "failed"; });
      if (it == sc.points.end()) h.state = failed ? "failed" : "—";
      else if (achievable && !it->achievable) h.state = "n/a";
      else h.value = achievable ? *it->achievable : it->pct();
      if (h.value && sc.cell->mtp.value_or(false)) h.marks = "*";
      // Above the ceiling without speculative decoding is not physics: the
      // cell's identity (GPUs, quant) or the shape is wrong.
      else if (h.value && *h.value > 100) h.marks = "!";
      row.push_back(h);
    }
    t.cells.push_back(std::move(row));
  }
  return t;
}

// Below short tables: % SoL against concurrency, one line per row (at most
// kVariantsPerChunk rows, so colours stay apart).
void draw_lines(Canvas& c, const Rect& area, const State& st) {
  double xlo = INFINITY, xhi = -INFINITY, yhi = 10;
  for (const auto& sc : st.cells)
    for (const auto& p : sc.points) {
      xlo = std::min(xlo, static_cast<double>(p.concurrency));
      xhi = std::max(xhi, static_cast<double>(p.concurrency));
      yhi = std::max(yhi, p.pct());
    }
  if (xhi == xlo) xhi = xlo * 2;
  AxisSpec xs{"concurrency", true}, ys{"% of the datasheet decode ceiling", false, true};
  Panel p = make_panel(area, xlo, xhi, xs, 0, yhi * 1.1, ys);
  draw_axes(c, p, "Output tok/s/GPU as % of the decode ceiling, by concurrency", xs, ys);
  std::vector<LegendEntry> entries;
  std::vector<std::pair<double, double>> all;
  for (const auto& sc : st.cells) {
    std::vector<std::pair<double, double>> at;
    for (const auto& pt : sc.points) at.push_back({p.px(static_cast<double>(pt.concurrency)), p.py(pt.pct())});
    all.insert(all.end(), at.begin(), at.end());
    TagScope tag(c, {"data", sc.cell->cell_id});
    Color line = sc.style.color;
    line.a = 0.8;
    c.polyline(at, line, 0.8);
    c.markers(at, sc.style);
    entries.push_back({sc.label, sc.style});
  }
  Rect size = legend_size(c, entries, Font{6.5}, 1);
  draw_legend(c, best_legend_corner(p.plot, size, all), entries, Font{6.5}, 1, true);
}

// Per hardware and shape: the ceiling each column is divided by.
std::vector<std::string> ceiling_lines(const State& st) {
  std::map<std::string, std::map<long, std::pair<double, std::string>>> by;
  for (const auto& sc : st.cells)
    for (const auto& p : sc.points)
      by[sc.cell->hardware.value_or("?") + " · " + sc.weight_dtype + " · " + sc.shape_from][p.concurrency] = {p.ceiling, p.bound};
  std::vector<std::string> out;
  for (const auto& [key, cs] : by) {
    std::string line = key + ": ";
    bool first = true;
    for (const auto& [c, v] : cs) {
      line += fmt::format("{}c={} {:.0f}{}", first ? "" : ", ", c, v.first, v.second == "compute" ? " (compute)" : "");
      first = false;
    }
    out.push_back(line + " tok/s/GPU");
  }
  return out;
}

}  // namespace

PageSpec page4_spec() {
  PageSpec s;
  s.id = "page4";
  s.title = "Workload speed of light";
  s.inputs = {{"GPU ceilings (configs/sol-ceilings.yaml)", "install configs/sol-ceilings.yaml beside the binary or set SOL_CEILINGS_YAML",
               [](const ReportInputs& in) { return in.ceilings != nullptr; }}};
  s.precondition = [](const ReportInputs& in) -> std::optional<Omission> {
    State st = prepare_sol(in, false);
    if (!st.cells.empty()) return std::nullopt;
    std::string why = st.missing.empty() ? "no plot-ready serving point" : st.missing.front();
    if (st.missing.size() > 1) why += fmt::format(" (and {} more cells)", st.missing.size() - 1);
    return Omission{"page4", "no serving point with both a GPU ceiling and a model shape: " + why,
                    "map the hardware in configs/sol-ceilings.yaml; for a model outside the built-in registry put its config.json "
                    "in the campaign folder as model_config.json, or import a roofline sweep with its config"};
  };
  s.count = [](const ReportInputs& in, const Rect& body) {
    size_t rows = prepare_sol(in, false).cells.size(), first = rows_on_page(body, 0);
    if (rows <= first) return 1;
    return 1 + static_cast<int>((rows - first + rows_on_page(body, 1) - 1) / rows_on_page(body, 1));
  };
  s.prepare = [](const ReportInputs& in) -> std::any { return prepare_sol(in); };
  s.draw = [](PageFrame& f, int index) {
    Canvas& c = f.c;
    const auto& st = std::any_cast<const State&>(*f.prepared);
    size_t first = index == 0 ? 0 : rows_on_page(f.body, 0) + static_cast<size_t>(index - 1) * rows_on_page(f.body, 1);
    size_t count = rows_on_page(f.body, index);
    double y = f.body.y;
    if (index == 0) {
      std::string intro =
          "Measured output tok/s/GPU ÷ the analytical decode ceiling of the point: the model's bytes per decode step at batch = "
          "concurrency ÷ data-parallel replicas and context = mean ISL + ½ mean OSL, over the GPU's HBM bandwidth, or its FLOPs "
          "over the tensor roof, whichever is slower (per GPU, independent of TP). Serving output tok/s also pays for the "
          "prefill sharing the GPU, so % SoL is a lower bound on decode efficiency. * MTP / speculative cells: a step can emit "
          "accepted draft tokens, so they may pass 100 %. ! = above the ceiling without MTP: check the cell's GPU count, quant "
          "and model shape. Model shapes: a roofline sweep's, the campaign's model_config.json, or "
          "the built-in registry with the cell's quant.";
      Rect r = c.text(f.body.x, y, intro, Font{7}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w);
      y += r.h + 3;
      for (const auto& line : ceiling_lines(st)) {
        r = c.text(f.body.x, y, "Ceiling " + line, Font{6.5}, Color::hex(0x1a237e), Align::left, VAlign::top, f.body.w);
        y += r.h + 1;
      }
      if (std::string k = kernel_line(f.in, st); !k.empty()) {
        r = c.text(f.body.x, y, k, Font{6.5}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w);
        y += r.h + 1;
      }
      if (!st.missing.empty()) {
        std::string list;
        for (size_t i = 0; i < st.missing.size() && i < 4; ++i) list += (list.empty() ? "" : "; ") + st.missing[i];
        if (st.missing.size() > 4) list += fmt::format("; and {} more", st.missing.size() - 4);
        r = c.text(f.body.x, y, "Not on this page — " + list, Font{6.5, false, true}, Color::hex(0xb71c1c), Align::left,
                   VAlign::top, f.body.w);
        y += r.h + 1;
      }
      // A table that fits on this page starts right under the text; a longer
      // one starts where the page count assumed.
      y = st.cells.size() <= count ? y + 6 : std::max(y + 4, f.body.y + f.body.h * kIntroShare);
    }
    double w = (f.body.w - 12) / 2;
    size_t rows = std::min(count, st.cells.size() - std::min(first, st.cells.size()));
    draw_heat_table(c, {f.body.x, y, w, table_height(rows)}, sol_table(st, first, count, false));
    draw_heat_table(c, {f.body.x + w + 12, y, w, table_height(rows)}, sol_table(st, first, count, true));
    double below = f.body.bottom() - (y + table_height(rows) + 16);
    if (index == 0 && st.cells.size() <= kVariantsPerChunk && below > 220)
      draw_lines(c, {f.body.x, y + table_height(rows) + 16, f.body.w, std::min(below, f.body.h * 0.5)}, st);
  };
  s.status = [](const ReportInputs&, bool drawn, nlohmann::json& status) { ground_sol(status, drawn, true, "none", false); };
  return s;
}

}  // namespace ptr
