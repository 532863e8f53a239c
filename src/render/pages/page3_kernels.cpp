// Page 3: where each cell's GPU time goes, by kernel category (kernels.json,
// from a continuous profiler: import_kernels). One stacked bar per cell,
// shares of its profiled GPU time, with the milliseconds behind them in a
// table. Rigor L1: a category share says what dominates, not how close any
// kernel comes to the hardware (that is page 5).
#include <algorithm>
#include <fmt/format.h>

#include "render/chart/bars.hpp"
#include "render/chart/marks.hpp"
#include "render/chart/table.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

Color category_color(const std::string& c) {
  if (c == "gemm") return Color::hex(0x1f4e9c);
  if (c == "attention") return Color::hex(0xd9822b);
  if (c == "moe") return Color::hex(0x6a3d9a);
  if (c == "communication") return Color::hex(0xc62828);
  if (c == "elementwise") return Color::hex(0x2e7d32);
  return Color::hex(0x9e9e9e);
}

struct Row {
  std::string cell_id, label;
  const KernelBreakdown* k;
};

std::vector<Row> rows_of(const ReportInputs& in) {
  std::vector<Row> out;
  for (const auto& cell : in.cells)
    if (auto it = in.kernels_of_cell.find(cell.cell_id); it != in.kernels_of_cell.end()) {
      std::string label = in.variant(cell).label;
      if (in.facets.size() > 1) label += " · " + in.facets[in.facet_of_cell.at(cell.cell_id)].label;
      out.push_back({cell.cell_id, label, &it->second});
    }
  for (const auto& cell : in.roofline_cells)
    if (auto it = in.kernels_of_cell.find(cell.cell_id); it != in.kernels_of_cell.end())
      out.push_back({cell.cell_id, cell.cell_id, &it->second});
  return out;
}

constexpr size_t kRowsPerPage = 24;

std::string dominant(const KernelBreakdown& k) {
  std::string best = "other";
  for (const char* c : kKernelCategories)
    if (k.share_pct(c) > k.share_pct(best)) best = c;
  return best;
}

}  // namespace

PageSpec page3_spec() {
  PageSpec s;
  s.id = "page3";
  s.title = "Kernel time by category";
  s.inputs = {{"per-cell kernel categories (cells/<id>/kernels.json)",
               "profile a steady window with Nsight Systems, then import_kernels --file <nsys stats --report cuda_gpu_kern_sum "
               "--format csv output> (or a kernels_v1 file, docs/formats/kernels.md)",
               [](const ReportInputs& in) { return !in.kernels_of_cell.empty(); }}};
  s.count = [](const ReportInputs& in, const Rect&) {
    size_t n = rows_of(in).size();
    return static_cast<int>(std::max<size_t>(1, (n + kRowsPerPage - 1) / kRowsPerPage));
  };
  s.draw = [](PageFrame& f, int index) {
    Canvas& c = f.c;
    auto rows = rows_of(f.in);
    size_t first = static_cast<size_t>(index) * kRowsPerPage, last = std::min(rows.size(), first + kRowsPerPage);
    double y = f.body.y;
    Rect r = c.text(f.body.x, y,
                    "Share of each cell's profiled GPU kernel time by category (kernels.json, built by import_kernels from an "
                    "Nsight Systems kernel summary whose kernel names are classified by the rules of docs/formats/kernels.md, "
                    "or given as categories). It says what dominates the step; it says nothing about how close a kernel runs to "
                    "the hardware (page 5, ncu) or the GPU as a whole (pages 6 and 7). Rigor L1. Time is GPU time summed over "
                    "kernels: overlapping streams can make it exceed wall time.",
                    Font{7}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w);
    y += r.h + 6;
    std::vector<LegendEntry> legend;
    for (const char* cat : kKernelCategories) legend.push_back({cat, MarkStyle{Shape::square, category_color(cat), true, 3.4}});
    Rect size = legend_size(c, legend, Font{7}, 6);
    draw_legend(c, {f.body.x, y, std::min(size.w, f.body.w), size.h}, legend, Font{7}, 6, true);
    y += size.h + 6;
    BarChart chart;
    chart.axis_label = "% of profiled GPU kernel time";
    chart.label_share = 0.28;
    chart.note_width = 150;
    std::vector<BarRow> bars;
    HeatTable t;
    t.title = "GPU time per category (ms) and the profile's scope";
    t.corner_label = "cell";
    for (const char* cat : kKernelCategories) t.col_labels.push_back(cat);
    t.col_labels.push_back("total ms");
    for (size_t i = first; i < last; ++i) {
      const Row& row = rows[i];
      BarRow b{row.label, {}, fmt::format("{:.4g} ms · {}", row.k->total_ms(), dominant(*row.k)), row.cell_id};
      std::vector<HeatCell> cells;
      for (const char* cat : kKernelCategories) {
        double pct = row.k->share_pct(cat);
        b.segments.push_back({pct, category_color(cat), pct >= 6 ? fmt::format("{:.0f}%", pct) : ""});
        HeatCell h;
        h.value = row.k->category_ms.at(cat);
        cells.push_back(h);
      }
      HeatCell total;
      total.value = row.k->total_ms();
      cells.push_back(total);
      bars.push_back(std::move(b));
      t.row_labels.push_back(row.label);
      t.cells.push_back(std::move(cells));
    }
    draw_bar_chart(c, {f.body.x, y, f.body.w, bar_chart_height(bars.size())}, chart, bars);
    y += bar_chart_height(bars.size()) + 14;
    t.decimals = 2;
    draw_heat_table(c, {f.body.x, y, f.body.w, table_height(t.row_labels.size())}, t);
    y += table_height(t.row_labels.size()) + 10;
    // Where each profile came from.
    for (size_t i = first; i < last && y < f.body.bottom() - 10; ++i) {
      const KernelBreakdown& k = *rows[i].k;
      std::string src = fmt::format("{}: {}{}{}", rows[i].cell_id, k.source_file.empty() ? "(no source named)" : k.source_file,
                                    k.source_format.empty() ? "" : " (" + k.source_format + ")", k.scope.empty() ? "" : ", scope: " + k.scope);
      if (!k.top_kernels.empty()) {
        const KernelRecord& top = k.top_kernels.front();
        src += fmt::format("; largest kernel {} ({}, {:.3g} ms)", fit_text(c, top.name, Font{6}, 220), top.category, top.total_time_ms.value_or(0));
      }
      r = c.text(f.body.x, y, src, Font{6}, Color::hex(0x555555), Align::left, VAlign::top, f.body.w);
      y += r.h + 1;
    }
  };
  s.status = [](const ReportInputs&, bool drawn, nlohmann::json& status) { ground_sol(status, drawn, false, "L1", false); };
  return s;
}

}  // namespace ptr
