// TPM supported across hardware types: per group, the peak and the SLA point
// at per-GPU / per-replica / per-node bases, output and total, $/1M tokens,
// then a bar chart of SLA output TPM per GPU. Numbers come from the same
// compute_tpm as tpm_summary (config tpm:/cost: blocks, else defaults).
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "analysis/tpm.hpp"
#include "analysis/tpm_export.hpp"
#include "render/chart/axes.hpp"
#include "render/chart/marks.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

constexpr size_t kGroupsPerPage = 20;

std::string group_label(const TpmGroup& g) {
  std::string s = fmt::format("{} {} TP{}", g.hardware, g.quant, g.tensor_parallel);
  if (g.strategy != "TP") s += " " + g.strategy;
  if (g.mtp) s += " MTP";
  if (g.engine != "?") s += " · " + g.engine;
  return s;
}

// 1234567 -> "1,234,567": TPM figures run to millions.
std::string thousands(double v) {
  std::string digits = fmt::format("{:.0f}", std::fabs(v));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return (v < 0 ? "-" : "") + out;
}

std::string fmt_tpm(const std::optional<double>& v) {
  if (!v) return "n/a";
  return thousands(*v);
}

std::string fmt_usd(const std::optional<double>& v) {
  if (!v) return "n/a";
  return fmt::format("{:.3f}", *v);
}

Color group_colour(const ReportInputs& in, const TpmGroup& g) {
  for (const auto& cell : in.cells)
    if (!g.cells.empty() && cell.cell_id == g.cells.front()) return in.variant(cell).style.color;
  return Color::hex(0x777777);
}

}  // namespace

PageSpec tpm_spec() {
  PageSpec s;
  s.id = "tpm";
  s.title = "TPM supported across hardware types";
  s.precondition = [](const ReportInputs& in) -> std::optional<Omission> {
    for (const auto& g : in.tpm_groups)
      if (g.peak) return std::nullopt;
    return Omission{"tpm", "no measured point with output tok/s/GPU (GPU count or throughput missing)",
                    "set tensor_parallel for each cell and import results that report output throughput"};
  };
  s.count = [](const ReportInputs& in) {
    size_t n = in.tpm_groups.size();
    return static_cast<int>(std::max<size_t>(1, (n + kGroupsPerPage - 1) / kGroupsPerPage));
  };
  s.draw = [](PageFrame& f, int index) {
    Canvas& c = f.c;
    const auto& groups = f.in.tpm_groups;
    const TpmConfig& cfg = f.in.tpm_config;
    size_t first = static_cast<size_t>(index) * kGroupsPerPage;
    size_t count = std::min(kGroupsPerPage, groups.size() - first);
    double y = f.body.y, x = f.body.x;
    for (const auto& line : tpm_caveats(cfg)) {
      Rect r = c.text(x, y, "• " + line, Font{6.5, false, true}, Color::hex(0x444444), Align::left, VAlign::top, f.body.w);
      y += r.h + 1;
    }
    y += 6;
    // Table.
    struct Col {
      const char* head;
      double w;
      bool right;
    };
    const std::vector<Col> cols = {{"group", 150, false},        {"point", 30, false},         {"SLA status", 88, false},
                                   {"c", 30, true},              {"out TPM/GPU", 54, true},    {"out TPM/replica", 62, true},
                                   {"out TPM/node", 60, true},   {"total TPM/GPU", 58, true},  {"total TPM/node", 60, true},
                                   {"$/1M out", 44, true},       {"$/1M total", 44, true},     {"$/GPU-h", 40, true}};
    double cx = x;
    std::vector<double> col_x;
    for (const auto& col : cols) {
      col_x.push_back(cx);
      cx += col.w;
    }
    const double row_h = 12;
    c.rect_fill({x, y, cx - x, row_h + 2}, Color::hex(0xe8eaf6));
    for (size_t i = 0; i < cols.size(); ++i)
      c.text(cols[i].right ? col_x[i] + cols[i].w - 3 : col_x[i] + 2, y + 2, cols[i].head, Font{6.5, true}, Color::hex(0x1a237e),
             cols[i].right ? Align::right : Align::left);
    y += row_h + 4;
    for (size_t gi = first; gi < first + count; ++gi) {
      const TpmGroup& g = groups[gi];
      for (int k = 0; k < 2; ++k) {
        const std::optional<TpmPoint>& p = k == 0 ? g.peak : g.sla;
        std::string status = k == 0 ? "" : g.sla_status;
        if (k == 1 && p && !p->binding_constraint.empty() && p->interpolated) status += " (" + p->binding_constraint + ")";
        std::vector<std::string> vals = {k == 0 ? group_label(g) : "",
                                         k == 0 ? "peak" : "SLA",
                                         status,
                                         p ? fmt::format("{:.1f}", p->concurrency) : "—",
                                         p ? fmt_tpm(p->basis.output_tpm_per_gpu) : "—",
                                         p ? fmt_tpm(p->basis.output_tpm_per_replica) : "—",
                                         p ? fmt_tpm(p->basis.output_tpm_per_node) : "—",
                                         p ? fmt_tpm(p->basis.total_tpm_per_gpu) : "—",
                                         p ? fmt_tpm(p->basis.total_tpm_per_node) : "—",
                                         p ? fmt_usd(p->basis.usd_per_1m_output_tokens) : "—",
                                         p ? fmt_usd(p->basis.usd_per_1m_total_tokens) : "—",
                                         k == 0 && g.cost ? fmt::format("{:.2f}{}", g.cost->usd_per_gpu_hour, g.cost->estimate ? " EST" : "")
                                                          : ""};
        if (k == 1) c.line(x, y - 1, cx, y - 1, Color::hex(0xeeeeee), 0.4);
        for (size_t i = 0; i < cols.size(); ++i) {
          Color col = (k == 1 && !p) ? Color::hex(0xb71c1c) : Color::hex(0x222222);
          if (cols[i].right) c.text(col_x[i] + cols[i].w - 3, y, vals[i], Font{6.5, k == 1}, col, Align::right);
          else c.text(col_x[i] + 2, y, vals[i], Font{6.5, k == 1}, col, Align::left, VAlign::top, cols[i].w - 3);
        }
        y += row_h;
      }
      c.line(x, y, cx, y, Color::hex(0xcccccc), 0.5);
      y += 2;
    }
    y += 4;
    c.text(x, y,
           fmt::format("SLA: {} TTFT ≤ {:g} ms and {} TPOT ≤ {:g} ms (TPOT falls back to ITL). EST = estimated rate (no public list "
                       "price). n/a = the benchmark gave no total-token figure. Same numbers as tpm_summary.json.",
                       cfg.sla_percentile, cfg.ttft_sla_ms, cfg.sla_percentile, cfg.tpot_sla_ms),
           Font{6.5, false, true}, Color::hex(0x555555), Align::left, VAlign::top, f.body.w);
    y += 22;
    // Bar chart: SLA output TPM per GPU by group.
    c.text(x, y, "SLA output TPM per GPU by group", Font{8.5, true}, Color::hex(0x111111));
    y += 16;
    double max_v = 0;
    for (size_t gi = first; gi < first + count; ++gi)
      if (groups[gi].sla) max_v = std::max(max_v, *groups[gi].sla->basis.output_tpm_per_gpu);
    double label_w = 170, bar_h = std::min(16.0, (f.body.bottom() - y - 30) / std::max<size_t>(1, count)), bar_x = x + label_w;
    double bar_w = f.body.w - label_w - 70;
    auto scale = linear_scale(0, max_v > 0 ? max_v : 1, bar_x, bar_x + bar_w, true);
    for (const auto& t : scale->ticks()) {
      double tx = scale->map(t.value);
      c.line(tx, y, tx, y + bar_h * count, Color::hex(0xe3e3e3), 0.5);
      c.markup(tx, y + bar_h * count + 2, t.label, Font{6.5}, Color::hex(0x333333), Align::center);
    }
    for (size_t k = 0; k < count; ++k) {
      const TpmGroup& g = groups[first + k];
      double by = y + k * bar_h;
      c.text(bar_x - 4, by + bar_h / 2, group_label(g), Font{6.5}, Color::hex(0x222222), Align::right, VAlign::middle);
      if (g.sla) {
        double val = *g.sla->basis.output_tpm_per_gpu;
        c.rect_fill({bar_x, by + 2, scale->map(val) - bar_x, bar_h - 4}, group_colour(f.in, g));
        c.text(scale->map(val) + 3, by + bar_h / 2, thousands(val), Font{6.5}, Color::hex(0x222222), Align::left,
                 VAlign::middle);
      } else {
        c.hatch({bar_x, by + 2, 60, bar_h - 4}, Color::hex(0xeeeeee), Color::hex(0xbbbbbb), 3.5);
        c.text(bar_x + 64, by + bar_h / 2, "no SLA point: " + g.sla_status, Font{6.5, false, true}, Color::hex(0xb71c1c),
               Align::left, VAlign::middle);
      }
    }
    c.text(bar_x + bar_w / 2, y + bar_h * count + 14, "output tokens per minute per GPU at the SLA point", Font{7.5},
           Color::hex(0x333333), Align::center);
  };
  return s;
}

}  // namespace ptr
