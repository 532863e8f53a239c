// The trend page (report_render --history --lake URL): this campaign's
// configurations against the earlier published campaigns the lake holds,
// matched on the comparison key (the configuration without the stack, so a
// re-run after an engine upgrade matches its predecessor). Two tables: best
// output tok/s/GPU per configuration, and SLA output TPM per GPU per variant;
// the last columns are this campaign, from its own atlas, and its change
// against the latest earlier value.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "model/identity.hpp"
#include "render/chart/table.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

struct Row {
  std::string label, digest;
  std::optional<double> now;
};

std::string short_stamp(const std::string& iso) {  // 2026-11-28T14:05:42Z -> 11-28 14:05
  return iso.size() >= 16 ? iso.substr(5, 5) + " " + iso.substr(11, 5) : iso;
}

HeatTable trend_table(const std::string& title, const std::vector<Row>& rows, const LakeHistory& h,
                      const std::map<std::string, std::map<std::string, double>>& values, int decimals) {
  HeatTable t;
  t.title = title;
  t.corner_label = "configuration · published (UTC)";
  for (const auto& c : h.campaigns) t.col_labels.push_back(short_stamp(c.published_at));
  t.col_labels.push_back("this campaign");
  t.col_labels.push_back("Δ % vs last");
  t.col_decimals.assign(h.campaigns.size() + 1, decimals);
  t.col_decimals.push_back(1);
  for (const auto& r : rows) {
    t.row_labels.push_back(r.label);
    std::vector<HeatCell> cells;
    std::optional<double> last;
    auto it = values.find(r.digest);
    for (const auto& c : h.campaigns) {
      HeatCell cell;
      if (it != values.end() && it->second.count(c.id)) {
        cell.value = it->second.at(c.id);
        last = cell.value;
      } else {
        cell.state = "—";
      }
      cells.push_back(cell);
    }
    HeatCell now, delta;
    now.value = r.now;
    if (!r.now) now.state = "n/a";
    if (r.now && last && *last > 0) delta.value = (*r.now / *last - 1) * 100;
    else delta.state = "—";
    cells.push_back(now);
    cells.push_back(delta);
    t.cells.push_back(std::move(cells));
  }
  return t;
}

// Rows with at least one earlier value; the others are counted.
std::vector<Row> matched(std::vector<Row> rows, const std::map<std::string, std::map<std::string, double>>& values, size_t& unmatched) {
  std::vector<Row> out;
  for (auto& r : rows)
    if (values.count(r.digest)) out.push_back(std::move(r));
    else ++unmatched;
  return out;
}

}  // namespace

PageSpec history_spec() {
  PageSpec s;
  s.id = "history";
  s.title = "History: this campaign against the lake";
  s.inputs = {{"a lake history", "render with --history (and --lake URL, or $PERFREPORT_LAKE): earlier published campaigns from the perf lake",
               [](const ReportInputs& in) { return in.history.has_value(); }}};
  s.count = [](const ReportInputs&, const Rect&) { return 1; };
  s.draw = [](PageFrame& f, int) {
    Canvas& c = f.c;
    const LakeHistory& h = *f.in.history;
    std::vector<Row> best, sla;
    for (const auto& cell : f.in.cells) {
      std::optional<double> top;
      for (const auto& p : cell.points)
        if (p.status == "ok" && p.output_tok_s_per_gpu) top = std::max(top.value_or(0), *p.output_tok_s_per_gpu);
      std::string label = f.in.variant(cell).label;
      if (f.in.facets.size() > 1) label += " · " + f.in.facets[f.in.facet_of_cell.at(cell.cell_id)].label;
      best.push_back({label, comparison_digest(cell), top});
    }
    for (const auto& g : f.in.tpm_groups) {
      if (!g.sla || !g.sla->basis.output_tpm_per_gpu) continue;
      auto cell = std::find_if(f.in.cells.begin(), f.in.cells.end(), [&](const AtlasCell& x) { return x.cell_id == g.sla->cell_id; });
      if (cell != f.in.cells.end()) sla.push_back({g.label, comparison_digest(*cell), g.sla->basis.output_tpm_per_gpu});
    }
    size_t best_unmatched = 0, sla_unmatched = 0;
    best = matched(best, h.best_output_tok_s_per_gpu, best_unmatched);
    sla = matched(sla, h.sla_output_tpm_per_gpu, sla_unmatched);
    double y = f.body.y;
    std::string cols;
    for (const auto& cp : h.campaigns) cols += fmt::format("{}{} = {}", cols.empty() ? "" : "; ", short_stamp(cp.published_at), cp.id);
    std::string intro = fmt::format(
        "From the perf lake {}: {} earlier published campaign(s) with a configuration of this one, matched on the comparison key "
        "(the descriptor without the engine version, image and delivery; docs/lake.md). This campaign's columns come from its own "
        "atlas{}. Δ % is this campaign against the latest earlier value. Columns: {}.",
        h.lake, h.campaigns.size(),
        h.this_published_at ? fmt::format(" (it is in the lake too, published {})", *h.this_published_at) : " (not published yet)",
        cols.empty() ? "none" : cols);
    y += c.text(f.body.x, y, intro, Font{7}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w).h + 10;
    if (h.campaigns.empty()) {
      c.text(f.body.x, y, "No earlier published campaign shares a configuration with this one.", Font{9, true}, Color::hex(0x1a237e));
      return;
    }
    size_t room = static_cast<size_t>(std::max(2.0, (f.body.bottom() - y - 80) / 2 / kTableRowHeight - 3));
    auto draw = [&](const std::string& title, std::vector<Row> rows, const std::map<std::string, std::map<std::string, double>>& values,
                    int decimals, size_t unmatched) {
      size_t more = rows.size() > room ? rows.size() - room : 0;
      rows.resize(std::min(rows.size(), room));
      HeatTable t = trend_table(title, rows, h, values, decimals);
      double ht = table_height(t.row_labels.size());
      draw_heat_table(c, {f.body.x, y, f.body.w, ht}, t);
      y += ht + 4;
      std::string note;
      if (more) note += fmt::format("and {} more configuration(s) with history; ", more);
      note += fmt::format("{} configuration(s) of this campaign have no earlier match.", unmatched);
      y += c.text(f.body.x, y, note, Font{6.5, false, true}, Color::hex(0x555555)).h + 12;
    };
    draw("Best output tok/s/GPU per configuration (ok points)", best, h.best_output_tok_s_per_gpu, 1, best_unmatched);
    draw("Output TPM per GPU at the SLA point (tpm_summary's, per variant)", sla, h.sla_output_tpm_per_gpu, 0, sla_unmatched);
  };
  return s;
}

}  // namespace ptr
