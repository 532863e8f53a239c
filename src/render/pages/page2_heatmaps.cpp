// Page 2: at each heatmap concurrency (default 8, 16, 32), a table of output
// tok/s/GPU and one of TTFT avg (ms) for every (variant, mbt). A cell without
// a clean measurement is gray and hatched, and says why.
#include <algorithm>
#include <fmt/format.h>

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
};

const Metric kTput{"output tok/s/GPU", "tok/s/GPU", true, 0, [](const Point& p) { return p.output_tok_s_per_gpu; }};
const Metric kTtft{"TTFT avg (ms)", "ms", false, 0, [](const Point& p) { return p.ttft_ms.mean; }};

// Variants per page: all heatmap concurrencies of a slice of variants share a page.
constexpr size_t kVariantsPerPage = 12;

HeatTable build(const ReportInputs& in, long conc, const Metric& m, size_t first, size_t count) {
  HeatTable t;
  t.title = fmt::format("{} at concurrency {}", m.title, conc);
  t.corner_label = "variant \\ mbt";
  t.unit = m.unit;
  t.higher_is_better = m.higher_is_better;
  t.decimals = m.decimals;
  for (size_t i = first; i < first + count; ++i) t.row_labels.push_back(in.variants[i].label);
  for (long mbt : in.mbt_values) t.col_labels.push_back(std::to_string(mbt));
  t.cells.assign(count, std::vector<HeatCell>(in.mbt_values.size(), HeatCell{std::nullopt, "—", false}));
  for (size_t row = 0; row < count; ++row)
    for (size_t col = 0; col < in.mbt_values.size(); ++col) {
    long idx = in.cell_at[first + row][col];
    if (idx < 0) continue;
    const AtlasCell& cell = in.cells[static_cast<size_t>(idx)];
    HeatCell& hc = t.cells[row][col];
    auto pt = std::find_if(cell.points.begin(), cell.points.end(), [&](const Point& p) { return p.concurrency == conc; });
    if (pt == cell.points.end()) {
      hc = {std::nullopt, "missing", false};
    } else if (pt->status == "failed") {
      hc = {std::nullopt, "failed", false};
    } else if (!has(m.get(*pt))) {
      hc = {std::nullopt, "n/a", false};
    } else {
      hc = {m.get(*pt), "", pt->status == "partial" || cell.status == "partial"};
    }
  }
  return t;
}

bool any_point_at(const ReportInputs& in, long conc) {
  for (const auto& cell : in.cells)
    for (const auto& p : cell.points)
      if (p.concurrency == conc && p.status != "failed") return true;
  return false;
}

}  // namespace

PageSpec page2_spec() {
  PageSpec s;
  s.id = "page2";
  s.title = "Heatmaps: throughput and TTFT by variant and mbt";
  s.precondition = [](const ReportInputs& in) -> std::optional<Omission> {
    if (in.mbt_values.empty() || in.variants.empty())
      return Omission{"page2", "no cells with max_num_batched_tokens", "set max_num_batched_tokens for each cell"};
    for (long c : in.options.heatmap_concurrencies)
      if (any_point_at(in, c)) return std::nullopt;
    std::string list;
    for (long c : in.options.heatmap_concurrencies) list += (list.empty() ? "" : ", ") + std::to_string(c);
    return Omission{"page2", "no measured point at any heatmap concurrency (" + list + ")",
                    "run the sweeps at those concurrencies, or pass --heatmap-concurrencies with ones the data has"};
  };
  s.count = [](const ReportInputs& in) {
    return static_cast<int>(std::max<size_t>(1, (in.variants.size() + kVariantsPerPage - 1) / kVariantsPerPage));
  };
  s.draw = [](PageFrame& f, int index) {
    size_t first = static_cast<size_t>(index) * kVariantsPerPage;
    size_t count = std::min(kVariantsPerPage, f.in.variants.size() - first);
    Canvas& c = f.c;
    const auto& concs = f.in.options.heatmap_concurrencies;
    double y = f.body.y;
    c.text(f.body.x, y,
           "Gray hatched cells carry no clean number: — no cell for this (variant, mbt); missing = the cell has no point "
           "at this concurrency; failed = no request completed; n/a = metric not reported. A value marked * comes from a "
           "partial sweep (some requests or trials failed). Colour: brighter is better (more tok/s, less TTFT).",
           Font{6.5, false, true}, Color::hex(0x444444), Align::left, VAlign::top, f.body.w);
    y += 26;
    double gap = 16, col_w = (f.body.w - gap) / 2;
    double row_h = (f.body.bottom() - y) / std::max<size_t>(1, concs.size());
    double needed = 16 + 13 + 22.0 * count + 12;
    row_h = std::min(row_h, std::max(needed, 120.0));
    for (size_t i = 0; i < concs.size(); ++i) {
      double ry = y + i * row_h;
      draw_heat_table(c, {f.body.x, ry, col_w, row_h - 10}, build(f.in, concs[i], kTput, first, count));
      draw_heat_table(c, {f.body.x + col_w + gap, ry, col_w, row_h - 10}, build(f.in, concs[i], kTtft, first, count));
    }
  };
  return s;
}

}  // namespace ptr
