// Report completeness: what this report could not show and why — omitted
// pages with how to populate them, every point not drawn with the reason,
// failed points, caveats once per cell, methodology problems per cell, and
// the drawing check (counted by the pages as they drew, never assumed).
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "analysis/methodology.hpp"
#include "analysis/point_quality.hpp"
#include "render/chart/axes.hpp"
#include "render/chart/svg_canvas.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

std::string conc_text(const std::optional<long>& c) { return c ? std::to_string(*c) : "?"; }

std::string list_of(const std::vector<std::string>& items, size_t max = 8) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > max) out += fmt::format(", … ({} in all)", items.size());
  return out;
}

// Caveats of one cell, once: partial, undercounted and noisy points and
// KV-cache evictions, never on failed points (those have their own list).
std::string cell_caveats(const AtlasCell& cell, bool with_preemptions) {
  std::vector<std::string> partial, under, noisy;
  long preempt = 0;
  for (const auto& p : cell.points) {
    if (p.status == "failed") continue;
    PointQuality q = quality_of(p);
    if (q.partial)
      partial.push_back(fmt::format("c={} ({}/{})", conc_text(p.concurrency), p.completed.value_or(0),
                                    p.num_prompts ? std::to_string(*p.num_prompts) : "?"));
    if (q.undercount) under.push_back(conc_text(p.concurrency));
    if (q.high_variance) noisy.push_back(fmt::format("c={} (CV {:.0f} %)", conc_text(p.concurrency), 100 * *q.output_cv));
    if (p.preemptions && *p.preemptions > 0) ++preempt;
  }
  std::vector<std::string> parts;
  if (!partial.empty()) parts.push_back("partial at " + list_of(partial));
  if (!under.empty()) parts.push_back("undercounted (num_prompts < 2 × c) at c=" + list_of(under));
  if (!noisy.empty()) parts.push_back("run-to-run CV of output tok/s > 10 % at " + list_of(noisy));
  if (preempt > 0 && (with_preemptions || !parts.empty()))
    parts.push_back(fmt::format("KV-cache evictions (preemptions) at {} point(s)", preempt));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

}  // namespace

std::vector<CompletenessLine> completeness_lines(const ReportInputs& in, const std::vector<Omission>& omissions,
                                                 const DrawLedger& ledger, bool page1_drawn) {
  std::vector<CompletenessLine> out;
  auto add = [&](const char* section, std::string text, bool severe = false) { out.push_back({section, std::move(text), severe}); };
  for (const auto& o : omissions)
    add("omitted_pages", fmt::format("{}: {} — how to populate it: {}", o.page, o.reason, o.how_to_fix));

  // Every point not drawn, with why.
  long points = 0, failed = 0;
  for (const auto& cell : in.cells)
    for (const auto& p : cell.points) {
      ++points;
      std::string at = fmt::format("{} c={}", cell.cell_id, conc_text(p.concurrency));
      if (p.status == "failed") {
        ++failed;
        continue;
      }
      if (rate_only(p))
        add("undrawn_points", fmt::format("{} (offered rate {}): a request-rate run has no concurrency; kept in the atlas and "
                                          "report_status.json, not placed on the concurrency charts",
                                          cell.cell_id,
                                          std::isinf(*p.request_rate) ? std::string("inf") : fmt::format("{:g} req/s", *p.request_rate)));
      else if (!p.concurrency) add("undrawn_points", at + ": no concurrency recorded");
      else if (!p.output_tok_s) add("undrawn_points", at + ": no output throughput recorded");
      else if (!page1_drawn) add("undrawn_points", at + ": page 1 was omitted (see above)");
    }
  for (const auto& u : ledger.undrawn)
    add("undrawn_points", fmt::format("{} c={}: {}", u.cell, conc_text(u.concurrency), u.reason));

  // Cells whose only caveat is KV-cache evictions: one line for all of them;
  // cells with the very same caveats: one line naming them.
  std::vector<std::string> evicting;
  std::map<std::string, std::vector<const AtlasCell*>> same_caveat;
  for (const auto& cell : in.cells) {
    std::vector<std::string> fails;
    for (const auto& p : cell.points)
      if (p.status == "failed")
        fails.push_back(fmt::format("c={} {}/{} completed{}", conc_text(p.concurrency), p.completed.value_or(0),
                                    p.num_prompts ? std::to_string(*p.num_prompts) : "?",
                                    p.error ? " — " + *p.error : std::string()));
    if (!fails.empty()) add("failed_points", fmt::format("{} ({}): {}", cell.cell_id, in.variant(cell).label, list_of(fails, 6)), true);
    std::string cav = cell_caveats(cell, false);
    if (!cav.empty()) same_caveat[cav].push_back(&cell);
    else if (!cell_caveats(cell, true).empty()) evicting.push_back(cell.cell_id);
    if (auto m = cell.extra.find("missing_concurrencies"); m != cell.extra.end() && m->is_array() && !m->empty())
      add("cell_caveats", fmt::format("{}: requested concurrencies without any point: {}", cell.cell_id, m->dump()));
  }

  for (const auto& [cav, cells] : same_caveat) {
    if (cells.size() < 3) {
      for (const AtlasCell* cell : cells) add("cell_caveats", fmt::format("{} ({}): {}", cell->cell_id, in.variant(*cell).label, cav));
      continue;
    }
    std::vector<std::string> ids;
    for (const AtlasCell* cell : cells) ids.push_back(cell->cell_id);
    add("cell_caveats", fmt::format("{} cells, each {}: {}", cells.size(), cav, list_of(ids, 12)));
  }
  if (!evicting.empty())
    add("cell_caveats", fmt::format("KV-cache evictions (preemptions) recorded in {} cell(s), no other caveat; throughput there "
                                    "includes recomputation: {}",
                                    evicting.size(), list_of(evicting, 12)));

  // Methodology problems: the per-field unknowns summarised, the rest per cell.
  auto problems = methodology_problems(in.cells);
  std::map<std::string, int> unknown;
  std::map<std::string, std::vector<std::string>> per_scope;
  for (const auto& p : problems) {
    if (p.kind == "unknown_field") ++unknown[p.field];
    else {
      std::string scope = p.scope.substr(0, p.scope.find(' '));  // "<cell> c=8" -> the cell
      std::string where = p.scope.size() > scope.size() ? p.scope.substr(scope.size() + 1) + ": " : "";
      per_scope[p.scope == "across variants" ? p.scope : scope].push_back(
          p.kind == "descriptor_mismatch" ? fmt::format("{} differs — {}", p.field, p.detail) : where + p.detail);
    }
  }
  for (const auto& [field, n] : unknown) add("methodology", fmt::format("{} unknown in {} cell(s)", field, n));
  for (const auto& [scope, details] : per_scope) {
    std::string text;
    for (const auto& d : details) text += (text.empty() ? "" : "; ") + d;
    add("methodology", scope + ": " + text);
  }

  // The drawing check, counted.
  if (page1_drawn)
    add("drawing", fmt::format("{} of {} points placed on page 1 panels, {} failed point(s) shown in FAILED strips, {} point(s) "
                               "not drawn (listed above); {} label(s) or box(es) found over a data mark",
                               ledger.placed.size(), points, ledger.failed_marked, points - failed - static_cast<long>(ledger.placed.size()),
                               ledger.overlaps),
        ledger.overlaps > 0);
  if (ledger.skipped_labels > 0)
    add("drawing", fmt::format("{} c=N label(s) on {} page-1 panel(s) had no free spot beside their point and were left out "
                               "rather than drawn over data",
                               ledger.skipped_labels, ledger.panels_with_skips));
  for (const auto& n : ledger.notes) add("drawing", n);
  return out;
}

namespace {

// Per cell (atlas_aggregate's sol_rigor), strongest first: which cells the
// report-wide level actually covers.
std::string sol_line(const PageFrame& f) {
  std::map<std::string, long> per_cell;
  for (const auto* list : {&f.in.cells, &f.in.roofline_cells})
    for (const auto& cell : *list) ++per_cell[cell.sol_rigor.value_or("none")];
  std::string cells;
  for (const char* level : {"L4", "L3", "L1", "none"})
    if (per_cell.count(level)) cells += fmt::format("{}{} {}", cells.empty() ? "" : ", ", level, per_cell[level]);
  return fmt::format("Speed of light: sol_complete={}, sol_rigor={}, dcgm_grounded={} (report_status.json); "
                     "cells by sol_rigor: {}.",
                     f.status.value("sol_complete", false), f.status.value("sol_rigor", std::string("none")),
                     f.status.value("dcgm_grounded", false), cells);
}

// Section key -> heading and what "none" means there.
const std::vector<std::pair<const char*, std::pair<const char*, const char*>>>& completeness_sections() {
  static const std::vector<std::pair<const char*, std::pair<const char*, const char*>>> sections = {
      {"omitted_pages", {"Omitted pages", "None: every page's inputs were present."}},
      {"undrawn_points", {"Points not drawn", "None: every point is on the charts (failed ones in their FAILED strips)."}},
      {"failed_points", {"Failed points (no request completed)", "None."}},
      {"cell_caveats", {"Caveats per cell", "None: every point completed every request, with a steady window and low run-to-run noise."}},
      {"methodology", {"Methodology problems (full-context descriptor)", "None: every descriptor field is known and the data agrees with it."}},
      {"drawing", {"Drawing check", "Page 1 was not drawn."}},
  };
  return sections;
}

// The HTML report's version: every line (no page to run out of), one list per section.
std::string completeness_html(PageFrame& f) {
  auto lines = completeness_lines(f.in, f.omissions, f.ledger, f.page1_drawn);
  f.ledger.completeness = lines;
  std::string html = "<p class=\"lead\">" + chart::xml_escape(f.in.coverage.line()) + "</p>\n<p>" + chart::xml_escape(sol_line(f)) + "</p>\n";
  for (const auto& [key, text] : completeness_sections()) {
    html += fmt::format("<h3>{}</h3>\n<ul data-section=\"{}\">\n", chart::xml_escape(text.first), key);
    bool any = false;
    for (const auto& l : lines)
      if (l.section == key) {
        html += fmt::format("<li{}>{}</li>\n", l.severe ? " class=\"severe\"" : "", chart::xml_escape(l.text));
        any = true;
      }
    if (!any) html += "<li class=\"none\">" + chart::xml_escape(text.second) + "</li>\n";
    html += "</ul>\n";
  }
  return html;
}

}  // namespace

PageSpec completeness_spec() {
  PageSpec s;
  s.id = "completeness";
  s.title = "Report completeness";
  s.count = [](const ReportInputs&, const Rect&) { return 1; };
  s.draw = [](PageFrame& f, int) {
    Canvas& c = f.c;
    double y = f.body.y;
    int dropped = 0;
    auto fits = [&](double h) {
      if (y + h <= f.body.bottom() - 14) return true;
      ++dropped;
      return false;
    };
    auto heading = [&](const std::string& s2) {
      y += 6;
      if (!fits(14)) return;
      c.text(f.body.x, y, s2, Font{8.5, true}, Color::hex(0x1a237e));
      y += 15;
    };
    auto line = [&](const std::string& s2, bool severe) {
      Rect m = c.measure(s2, Font{7.5}, f.body.w - 12);
      if (!fits(m.h + 2)) return;
      c.text(f.body.x + 12, y, s2, Font{7.5}, severe ? Color::hex(0xb71c1c) : Color::hex(0x222222), Align::left, VAlign::top,
             f.body.w - 12);
      y += m.h + 2;
    };
    c.text(f.body.x, y, f.in.coverage.line(), Font{8.5, true}, Color::hex(0x1a237e));
    y += 14;
    c.text(f.body.x, y, sol_line(f), Font{7.5}, Color::hex(0x333333));
    y += 12;
    auto lines = completeness_lines(f.in, f.omissions, f.ledger, f.page1_drawn);
    f.ledger.completeness = lines;  // report_status.json carries them in full
    for (const auto& [key, text] : completeness_sections()) {
      heading(text.first);
      bool any = false;
      for (const auto& l : lines)
        if (l.section == key) {
          line(l.text, l.severe);
          any = true;
        }
      if (!any) line(text.second, false);
    }
    if (dropped > 0)
      c.text(f.body.x, f.body.bottom() - 12,
             fmt::format("… {} more line(s) not shown; the full list is in report_status.json (completeness)", dropped),
             Font{7.5, false, true}, Color::hex(0x666666));
  };
  s.html = [](PageFrame& f, int) { return completeness_html(f); };
  return s;
}

}  // namespace ptr
