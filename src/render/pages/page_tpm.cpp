// Capacity: at TPOT <= X, which configuration (variant and mbt) gives the
// most tokens per minute per GPU, at what $/1M tokens, and can the point be
// trusted. One row pair (peak, SLA) per variant — the identity without mbt,
// so A/B arms and workloads never merge — then a bar chart of SLA output TPM
// per GPU. Numbers come from the same compute_tpm as tpm_summary.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

#include "analysis/tpm.hpp"
#include "analysis/tpm_export.hpp"
#include "render/chart/axes.hpp"
#include "render/chart/marks.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

constexpr double kRowH = 12;
constexpr double kBarH = 13;

// 1234567 -> "1,234,567": TPM figures run to millions; one style everywhere.
std::string thousands(double v) {
  std::string digits = fmt::format("{:.0f}", std::fabs(v));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return (v < 0 ? "-" : "") + out;
}

std::string opt_num(const std::optional<double>& v, const char* na, int decimals) {
  return v ? fmt::format("{:.{}f}", *v, decimals) : std::string(na);
}

std::string short_model(const std::string& m) {
  auto slash = m.rfind('/');
  return slash == std::string::npos ? m : m.substr(slash + 1);
}

std::string workload(const TpmGroup& g) {
  if (!g.isl && !g.osl) return "?";
  return fmt::format("{}/{}", g.isl ? std::to_string(*g.isl) : "?", g.osl ? std::to_string(*g.osl) : "?");
}

// Groups per page from the space: table rows, a bar, and room for two
// footnote lines each.
size_t groups_per_page(const Rect& body) {
  double per_group = 2 * kRowH + 3 + kBarH + 2 * 9;
  return static_cast<size_t>(std::max(4.0, std::floor((body.h - 250) / per_group)));
}

struct Col {
  const char* head;
  double w;
  bool right;
};

// With power captured (dcgm_correlate) the table gains W/GPU and tok/W and
// the text columns give up the room.
const std::vector<Col>& columns(bool power) {
  static const std::vector<Col> cols = {
      {"model", 86, false},       {"variant", 118, false},      {"ISL/OSL", 46, false},    {"point", 24, false},
      {"status", 56, false},      {"limit", 26, false},         {"mbt", 32, true},         {"c", 28, true},           {"TTFT ms", 36, true},
      {"TPOT ms", 34, true},      {"out TPM/GPU", 52, true},    {"out TPM/replica", 58, true},
      {"out TPM/node", 56, true}, {"$/1M out", 36, true},       {"$/1M total", 40, true},  {"notes", 26, false},
  };
  static const std::vector<Col> with_power = {
      {"model", 72, false},       {"variant", 98, false},       {"ISL/OSL", 46, false},    {"point", 24, false},
      {"status", 50, false},      {"limit", 26, false},         {"mbt", 32, true},         {"c", 28, true},           {"TTFT ms", 36, true},
      {"TPOT ms", 34, true},      {"out TPM/GPU", 52, true},    {"out TPM/replica", 56, true},
      {"out TPM/node", 54, true}, {"$/1M out", 34, true},       {"$/1M total", 38, true},  {"W/GPU", 28, true},
      {"tok/W", 28, true},        {"notes", 24, false},
  };
  return power ? with_power : cols;
}

// Each header fits its column with room to spare (3 pt inside, 2 pt before the
// next); the width comes out of the variant column, whose label is cut in the
// middle anyway.
std::vector<Col> fitted(Canvas& c, std::vector<Col> cols, const Font& head) {
  double taken = 0;
  for (auto& col : cols) {
    double need = c.measure(col.head, head).w + 5;
    if (need > col.w) {
      taken += need - col.w;
      col.w = need;
    }
  }
  cols[1].w = std::max(40.0, cols[1].w - taken);
  return cols;
}

// Footnotes collected while the rows are drawn: each distinct text once,
// numbered in order of first use.
struct Notes {
  std::vector<std::string> texts;
  std::string ref(const std::string& text) {
    auto it = std::find(texts.begin(), texts.end(), text);
    if (it == texts.end()) {
      texts.push_back(text);
      return std::to_string(texts.size());
    }
    return std::to_string(it - texts.begin() + 1);
  }
};

std::string quality_marks(const PointQuality& q) {
  std::string s;
  if (q.partial) s += "†";
  if (q.undercount) s += "‡";
  if (q.high_variance) s += "§";
  return s;
}

void draw_bars(PageFrame& f, double y, const std::vector<const TpmGroup*>& groups, const std::vector<MarkStyle>& styles) {
  Canvas& c = f.c;
  double x = f.body.x;
  bool any = std::any_of(groups.begin(), groups.end(), [](const TpmGroup* g) { return g->sla.has_value(); });
  c.text(x, y, "SLA output TPM per GPU by variant", Font{8.5, true}, Color::hex(0x111111));
  y += 16;
  if (!any) {
    std::map<std::string, int> why;
    for (const TpmGroup* g : groups) why[g->sla_status]++;
    std::string list;
    for (const auto& [status, n] : why) list += fmt::format("{}{} ({} variant{})", list.empty() ? "" : ", ", status, n, n == 1 ? "" : "s");
    c.text(x, y,
           "No bar chart: no variant on this page has an SLA point — " + list +
               ". The status column and the notes say why for each.",
           Font{7.5, false, true}, Color::hex(0xb71c1c), Align::left, VAlign::top, f.body.w);
    return;
  }
  double max_v = 0;
  for (const TpmGroup* g : groups)
    if (g->sla) max_v = std::max(max_v, *g->sla->basis.output_tpm_per_gpu);
  double label_w = 230, bar_x = x + label_w, bar_w = f.body.w - label_w - 70;
  double h = kBarH * groups.size();
  auto scale = linear_scale(0, max_v, bar_x, bar_x + bar_w, true);
  for (const auto& t : scale->ticks()) {
    double tx = scale->map(t.value);
    c.line(tx, y, tx, y + h, Color::hex(0xe3e3e3), 0.5);
    c.text(tx, y + h + 2, thousands(t.value), Font{6.5}, Color::hex(0x333333), Align::center);
  }
  for (size_t k = 0; k < groups.size(); ++k) {
    const TpmGroup& g = *groups[k];
    double by = y + k * kBarH;
    c.text(bar_x - 4, by + kBarH / 2, g.label, Font{6.5}, Color::hex(0x222222), Align::right, VAlign::middle, label_w - 6);
    if (g.sla) {
      double val = *g.sla->basis.output_tpm_per_gpu;
      c.rect_fill({bar_x, by + 2, scale->map(val) - bar_x, kBarH - 4}, styles[k].color);
      c.text(scale->map(val) + 3, by + kBarH / 2, thousands(val) + quality_marks(g.sla->quality), Font{6.5},
             Color::hex(0x222222), Align::left, VAlign::middle);
    } else {
      c.hatch({bar_x, by + 2, 60, kBarH - 4}, Color::hex(0xeeeeee), Color::hex(0xbbbbbb), 3.5);
      c.text(bar_x + 64, by + kBarH / 2, "no SLA point: " + g.sla_status, Font{6.5, false, true}, Color::hex(0xb71c1c),
             Align::left, VAlign::middle);
    }
  }
  c.text(bar_x + bar_w / 2, y + h + 14, "output tokens per minute per GPU at the SLA point", Font{7.5}, Color::hex(0x333333),
         Align::center);
}

}  // namespace

PageSpec tpm_spec() {
  PageSpec s;
  s.id = "tpm";
  s.title = "Capacity under the SLA: TPM and $/1M tokens";
  s.precondition = [](const ReportInputs& in) -> std::optional<Omission> {
    for (const auto& g : in.tpm_groups)
      if (g.peak) return std::nullopt;
    return Omission{"tpm", "no measured point with output tok/s/GPU (GPU count or throughput missing)",
                    "set tensor_parallel for each cell and import results that report output throughput"};
  };
  s.count = [](const ReportInputs& in, const Rect& body) {
    size_t per = groups_per_page(body);
    return static_cast<int>(std::max<size_t>(1, (in.tpm_groups.size() + per - 1) / per));
  };
  s.draw = [](PageFrame& f, int index) {
    Canvas& c = f.c;
    const ReportInputs& in = f.in;
    const TpmConfig& cfg = in.tpm_config;
    size_t per = groups_per_page(f.body);
    size_t first = static_cast<size_t>(index) * per;
    size_t count = std::min(per, in.tpm_groups.size() - first);
    std::vector<const TpmGroup*> groups;
    std::vector<MarkStyle> styles;
    for (size_t i = first; i < first + count; ++i) {
      groups.push_back(&in.tpm_groups[i]);
      styles.push_back(in.tpm_styles[i]);
    }
    double y = f.body.y, x = f.body.x;
    for (const auto& line : tpm_caveats(cfg, in.tpm_groups)) {
      Rect r = c.text(x, y, "• " + line, Font{6.5, false, true}, Color::hex(0x444444), Align::left, VAlign::top, f.body.w);
      y += r.h + 1;
    }
    y += 5;
    bool power = std::any_of(in.tpm_groups.begin(), in.tpm_groups.end(), [](const TpmGroup& g) {
      return (g.peak && g.peak->power_watts_per_gpu) || (g.sla && g.sla->power_watts_per_gpu);
    });
    const Font head_font{power ? 5.8 : 6.5, true};
    const std::vector<Col> cols = fitted(c, columns(power), head_font);
    std::vector<double> col_x;
    double cx = x;
    for (const auto& col : cols) {
      col_x.push_back(cx);
      cx += col.w;
    }
    c.rect_fill({x, y, cx - x, kRowH + 2}, Color::hex(0xe8eaf6));
    for (size_t i = 0; i < cols.size(); ++i)
      c.text(cols[i].right ? col_x[i] + cols[i].w - 3 : col_x[i] + 2, y + 2, cols[i].head, head_font, Color::hex(0x1a237e),
             cols[i].right ? Align::right : Align::left);
    y += kRowH + 4;
    Notes notes;
    bool any_quality = false;
    for (size_t k = 0; k < groups.size(); ++k) {
      const TpmGroup& g = *groups[k];
      c.markers({{x - 5, y + kRowH / 2}}, [&] {
        MarkStyle m = styles[k];
        m.size = 2.6;
        return m;
      }());
      for (int row = 0; row < 2; ++row) {
        const std::optional<TpmPoint>& p = row == 0 ? g.peak : g.sla;
        std::string status = row == 0 ? "" : g.sla_status;
        std::string limit = row == 1 && p && !p->binding_constraint.empty() ? (p->binding_constraint == "ttft" ? "TTFT" : "TPOT") : "";
        std::string refs;
        if (p) {
          std::string q = quality_marks(p->quality);
          any_quality = any_quality || !q.empty();
          refs += q;
        }
        auto add_ref = [&](const std::string& text) { refs += (refs.empty() ? "" : ",") + notes.ref(text); };
        if (row == 1 && !p && !g.sla_reason.empty()) add_ref(g.sla_status + ": " + g.sla_reason);
        if (row == 1 && p && p->range_note == "above sweep") add_ref("above sweep: " + g.sla_reason);
        if (p && !p->basis.usd_per_1m_output_tokens && !g.cost_reason.empty()) add_ref("$ n/a: " + g.cost_reason);
        if (p && !p->basis.total_tpm_per_gpu && !g.total_reason.empty()) add_ref("$/1M total n/a: " + g.total_reason);
        std::string conc = !p ? "—" : p->interpolated ? fmt::format("{:.1f}", p->concurrency) : fmt::format("{:.0f}", p->concurrency);
        std::vector<std::string> vals = {
            row == 0 ? short_model(g.model) : "",
            row == 0 ? g.variant : "",
            row == 0 ? workload(g) : "",
            row == 0 ? "peak" : "SLA",
            status,
            limit,
            p && p->max_num_batched_tokens ? std::to_string(*p->max_num_batched_tokens) : (p ? "?" : "—"),
            conc,
            p ? opt_num(p->ttft_ms, "n/a", 0) : "—",
            p ? opt_num(p->tpot_ms, "n/a", 1) : "—",
            p && p->basis.output_tpm_per_gpu ? thousands(*p->basis.output_tpm_per_gpu) : "—",
            p && p->basis.output_tpm_per_replica ? thousands(*p->basis.output_tpm_per_replica) : "—",
            p && p->basis.output_tpm_per_node ? thousands(*p->basis.output_tpm_per_node) : "—",
            p ? opt_num(p->basis.usd_per_1m_output_tokens, "n/a", 3) : "—",
            p ? opt_num(p->basis.usd_per_1m_total_tokens, "n/a", 3) : "—",
        };
        if (power) {
          vals.push_back(p ? opt_num(p->power_watts_per_gpu, "n/a", 0) : "—");
          vals.push_back(p ? opt_num(p->tokens_per_watt, "n/a", 2) : "—");
          if (p && p->power_basis == "cell window mean") add_ref("W/GPU: the cell's bench-window mean (no per-point window)");
        }
        vals.push_back(refs);
        if (row == 1) c.line(x, y - 1, cx, y - 1, Color::hex(0xeeeeee), 0.4);
        Color col = (row == 1 && !p) ? Color::hex(0xb71c1c) : Color::hex(0x222222);
        // The row's point, for the HTML report's tooltip (an interpolated SLA point names its cell only).
        Tag row_tag = p ? Tag{"data", p->cell_id, p->interpolated ? std::vector<std::string>{} : std::vector<std::string>{fmt::format("{:.0f}", p->concurrency)}}
                        : c.tag();
        TagScope tag(c, row_tag);
        for (size_t i = 0; i < cols.size(); ++i) {
          if (cols[i].right) c.text(col_x[i] + cols[i].w - 3, y, vals[i], Font{6.5, row == 1}, col, Align::right);
          else {
            // One line per value: cut at the column, never wrapped into the next row.
            Font font{6.5, row == 1 && i > 2};
            // The variant's label is cut in the middle: its end tells A/B arms apart.
            c.text(col_x[i] + 2, y, i == 1 ? fit_text_middle(c, vals[i], font, cols[i].w - 4) : fit_text(c, vals[i], font, cols[i].w - 4), font,
                   col);
          }
        }
        y += kRowH;
      }
      c.line(x, y, cx, y, Color::hex(0xcccccc), 0.5);
      y += 3;
    }
    y += 4;
    std::string legend = fmt::format(
        "SLA: {} TTFT ≤ {:g} ms and {} TPOT ≤ {:g} ms (TPOT falls back to ITL); c is a tested concurrency, or interpolated "
        "(one decimal) on log2(c) between two tested ones; limit = the SLA limit that binds there. Same numbers as "
        "tpm_summary.json.{}",
        cfg.sla_percentile, cfg.ttft_sla_ms, cfg.sla_percentile, cfg.tpot_sla_ms,
        power ? " W/GPU = GPU power while the point ran (dcgm_correlate); tok/W = output tok/s/GPU ÷ W/GPU = output tokens per joule."
              : "");
    if (any_quality)
      legend += " † from a partial point (some requests or trials failed); ‡ undercounted window (num_prompts < 2 × c); "
                "§ run-to-run CV of output tok/s > 10 %: the gap to a neighbour may be noise.";
    Rect r = c.text(x, y, legend, Font{6.5, false, true}, Color::hex(0x555555), Align::left, VAlign::top, f.body.w);
    y += r.h + 3;
    for (size_t i = 0; i < notes.texts.size(); ++i) {
      r = c.text(x, y, fmt::format("{} — {}", i + 1, notes.texts[i]), Font{6.5}, Color::hex(0x444444), Align::left,
                 VAlign::top, f.body.w);
      y += r.h + 1;
    }
    y += 10;
    draw_bars(f, y, groups, styles);
  };
  return s;
}

}  // namespace ptr
