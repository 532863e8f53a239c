// Pages 6 and 6b: each cell's GPU telemetry over its bench window
// (dcgm_correlate, joined to the atlas by atlas_aggregate). Page 6: SM, DRAM,
// tensor and graphics-engine activity next to the cell's throughput. Page 6b:
// the DCGM bandwidth proxy (% of datasheet), tensor TFLOP/s, NVLink, power
// and tokens per watt. Tables, rows = cells, one page each, more pages when
// the cells do not fit.
#include <algorithm>
#include <fmt/format.h>

#include "model/telemetry_names.hpp"
#include "render/chart/table.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

// One table row: a cell over its whole window, or one of its points over the
// point's own window (cell_run and roofline sweeps record point windows).
struct Row {
  const AtlasCell* cell;
  std::string label;
  const nlohmann::json* corr;     // the cell's correlation, or the point's entry of it
  std::optional<double> tok_s;    // output tok/s/GPU (prefill sweep points: input + output)
};

struct Column {
  std::string label;
  std::function<std::optional<double>(const Row&)> value;
  int decimals = 1;
};

std::optional<double> num(const nlohmann::json& j, const std::string& key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
}

std::optional<double> mean_of(const nlohmann::json& c, const char* metric) {
  auto m = c.find("mean");
  return m == c.end() ? std::nullopt : num(*m, metric);
}

// A point's tok/s/GPU: output, or input + output for a prefill sweep's points
// (they emit one token each).
std::optional<double> tok_s_of(const AtlasCell& cell, const Point& p) {
  if (cell.sweep_kind == "prefill")
    return p.total_tok_s && cell.gpus && *cell.gpus > 0 ? std::optional<double>(*p.total_tok_s / *cell.gpus) : std::nullopt;
  return p.output_tok_s_per_gpu;
}

// Over the cell's measured points, duration-weighted.
std::optional<double> cell_tok_s_per_gpu(const AtlasCell& cell) {
  double tok = 0, dur = 0;
  for (const auto& p : cell.points)
    if (auto t = tok_s_of(cell, p); plot_ready(p) && t && p.duration_s) {
      tok += *t * *p.duration_s;
      dur += *p.duration_s;
    }
  return dur > 0 ? std::optional<double>(tok / dur) : std::nullopt;
}

std::optional<double> point_tok_s(const AtlasCell& cell, const nlohmann::json& pj) {
  for (const auto& p : cell.points) {
    if (!p.concurrency || pj.value("concurrency", -1L) != *p.concurrency) continue;
    if (pj.contains("isl") && pj["isl"].is_number() && (!p.isl || *p.isl != pj["isl"].get<long>())) continue;
    return tok_s_of(cell, p);
  }
  return std::nullopt;
}

std::vector<const AtlasCell*> correlated(const ReportInputs& in) {
  std::vector<const AtlasCell*> out;
  for (const auto* list : {&in.cells, &in.roofline_cells})
    for (const auto& c : *list)
      if (c.extra.contains("dcgm_correlation") && c.extra["dcgm_correlation"].is_object()) out.push_back(&c);
  return out;
}

std::vector<Row> rows_of(const ReportInputs& in) {
  std::vector<Row> rows;
  for (const AtlasCell* cell : correlated(in)) {
    bool roofline = is_roofline_sweep(*cell);
    std::string label = roofline ? cell->cell_id : in.variant(*cell).label;
    if (!roofline && in.facets.size() > 1) label += " · " + in.facets[in.facet_of_cell.at(cell->cell_id)].label;
    const auto& corr = cell->extra["dcgm_correlation"];
    rows.push_back({cell, label + " · whole window", &corr, cell_tok_s_per_gpu(*cell)});
    if (auto pts = corr.find("points"); pts != corr.end() && pts->is_array())
      for (const auto& pj : *pts) {
        if (!pj.contains("mean")) continue;
        std::string at = pj.contains("isl") && pj["isl"].is_number() && cell->sweep_kind == "prefill"
                             ? fmt::format("ISL {}", pj["isl"].get<long>())
                             : fmt::format("c={}", pj.value("concurrency", 0L));
        rows.push_back({cell, "    " + at, &pj, point_tok_s(*cell, pj)});
      }
  }
  return rows;
}

size_t rows_per_page(const Rect& body) { return static_cast<size_t>(std::max(1.0, (body.h - 60 - kTableTitleHeight - kTableHeadHeight) / kTableRowHeight)); }

void draw(PageFrame& f, int index, const std::string& title, const std::string& intro, const std::vector<Column>& cols) {
  Canvas& c = f.c;
  auto rows = rows_of(f.in);
  size_t per = rows_per_page(f.body), first = static_cast<size_t>(index) * per;
  Rect r = c.text(f.body.x, f.body.y, intro, Font{7}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w);
  HeatTable t;  // plain: the columns have different units
  t.title = title;
  t.corner_label = "cell · window";
  for (const auto& col : cols) {
    t.col_labels.push_back(col.label);
    t.col_decimals.push_back(col.decimals);
  }
  for (size_t i = first; i < std::min(rows.size(), first + per); ++i) {
    t.row_labels.push_back(rows[i].label);
    std::vector<HeatCell> row;
    for (const auto& col : cols) {
      HeatCell h;
      h.value = col.value(rows[i]);
      if (!h.value) h.state = "n/a";
      h.tag = {"data", rows[i].cell->cell_id};  // the HTML report's tooltip and link to the cell's data
      row.push_back(h);
    }
    t.cells.push_back(std::move(row));
  }
  t.decimals = 1;
  size_t n = t.row_labels.size();
  draw_heat_table(c, {f.body.x, f.body.y + r.h + 8, f.body.w, table_height(n)}, t);
}

PageSpec spec(const char* id, const char* title, std::string intro, std::vector<Column> cols, bool grounds) {
  PageSpec s;
  s.id = id;
  s.title = title;
  s.inputs = {{"GPU telemetry correlated with the cells (cells/<id>/dcgm_correlation.json, then atlas_aggregate)",
               "capture DCGM or nvidia-smi during the run and run dcgm_correlate per cell, then atlas_aggregate",
               [](const ReportInputs& in) { return !correlated(in).empty(); }}};
  s.count = [](const ReportInputs& in, const Rect& body) {
    return static_cast<int>(std::max<size_t>(1, (rows_of(in).size() + rows_per_page(body) - 1) / rows_per_page(body)));
  };
  s.draw = [title = std::string(title), intro, cols](PageFrame& f, int index) { draw(f, index, title, intro, cols); };
  s.status = [grounds](const ReportInputs& in, bool drawn, nlohmann::json& status) {
    bool dram = false;
    for (const auto* c : correlated(in)) dram = dram || mean_of(c->extra["dcgm_correlation"], telemetry::kDramActivePct).has_value();
    ground_sol(status, drawn, grounds, dram ? "L3" : "none", dram);
  };
  return s;
}

}  // namespace

PageSpec page6_spec() {
  using namespace telemetry;
  auto pct = [](const char* metric) {
    return [metric](const Row& r) { return mean_of(*r.corr, metric); };
  };
  std::vector<Column> cols = {
      {"SM active %", pct(kSmActivePct)},
      {"SM occupancy %", pct(kSmOccupancyPct)},
      {"tensor active %", pct(kTensorActivePct)},
      {"DRAM active %", pct(kDramActivePct)},
      {"GR engine %", pct(kGrActivePct)},
      {"SM clock MHz", pct(kSmClockMhz), 0},
      {"tok/s/GPU", [](const Row& r) { return r.tok_s; }},
      {"samples", [](const Row& r) { return num(*r.corr, "samples_used"); }, 0},
  };
  return spec("page6", "DCGM correlation: GPU activity per cell",
              "GPU activity over each cell's bench window (dcgm_correlate: DCGM, dcgm-exporter, or nvidia-smi GPM when DCGM is "
              "absent), next to the cell's output tok/s/GPU (duration-weighted over its measured points); then, where the points carry "
              "their own windows (cell_run --telemetry, roofline sweeps), one row per point (prefill sweep points: input + output tok/s). Activity is a duty "
              "cycle: SM active = cycles with a warp resident, tensor active = cycles a tensor pipe worked, DRAM active = "
              "cycles the memory interface was busy. Means over GPUs of the per-GPU means; edges of the window dropped "
              "(docs/metrics.md).",
              cols, true);
}

PageSpec page6b_spec() {
  using namespace telemetry;
  std::vector<Column> cols = {
      {"DCGM BW TB/s", [](const Row& r) { return num(*r.corr, "dcgm_bandwidth_tb_s"); }, 2},
      {"% of datasheet", [](const Row& r) { return num(*r.corr, "dcgm_bandwidth_pct_of_datasheet"); }},
      {"tensor TFLOP/s/GPU", [](const Row& r) { return num(*r.corr, "tensor_tflops_per_gpu"); }},
      {"NVLink TX GB/s",
       [](const Row& r) -> std::optional<double> {
         if (auto b = mean_of(*r.corr, kNvlinkTxBytesS)) return *b / 1e9;
         if (auto m = mean_of(*r.corr, kNvlinkTxMibS)) return *m * 1048576 / 1e9;
         return std::nullopt;
       }},
      {"power W/GPU", [](const Row& r) { return num(*r.corr, "power_watts_per_gpu"); }, 0},
      {"tokens/W", [](const Row& r) { return num(*r.corr, "tokens_per_watt"); }, 2},
  };
  return spec("page6b", "DCGM correlation: bandwidth, power and tokens per watt",
              "DCGM bandwidth = DRAM_ACTIVE × the GPU's theoretical bandwidth (memory clock × 2 × bus width ÷ 8): a duty-cycle "
              "proxy, not the bytes the model moved (page 7 gives that figure). Tensor TFLOP/s = tensor activity × the dense "
              "roof × SM clock ÷ the clock the roof is quoted at. Tokens/W = output tok/s/GPU ÷ W/GPU (tokens per joule), "
              "power averaged over the window.",
              cols, false);
}

}  // namespace ptr
