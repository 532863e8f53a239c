// Report completeness: what this report could not show and why — omitted
// pages with how to populate them, failed and partial points, missing
// concurrencies, undercounted windows, and the pages' own drawing warnings.
#include <cmath>
#include <fmt/format.h>

#include "analysis/methodology.hpp"
#include "render/chart/axes.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

struct Writer {
  Canvas& c;
  Rect body;
  double y;
  int dropped = 0;
  void heading(const std::string& s) {
    y += 6;
    if (!fits(14)) return;
    c.text(body.x, y, s, Font{8.5, true}, Color::hex(0x1a237e));
    y += 15;
  }
  void line(const std::string& s, Font f = Font{7.5}, Color col = Color::hex(0x222222)) {
    Rect m = c.measure(s, f, body.w - 12);
    if (!fits(m.h + 2)) return;
    c.text(body.x + 12, y, s, f, col, Align::left, VAlign::top, body.w - 12);
    y += m.h + 2;
  }
  bool fits(double h) {
    if (y + h <= body.bottom() - 14) return true;
    ++dropped;
    return false;
  }
};

std::vector<std::string> data_findings(const ReportInputs& in) {
  std::vector<std::string> out;
  for (const auto& cell : in.cells) {
    for (const auto& p : cell.points) {
      std::string at = fmt::format("{} ({}) c={}", cell.cell_id, variant_label(cell),
                                   p.concurrency ? std::to_string(*p.concurrency) : "?");
      if (p.status == "failed")
        out.push_back(fmt::format("FAILED {}: {}/{} requests completed — {}", at, p.completed.value_or(0),
                                  p.num_prompts ? std::to_string(*p.num_prompts) : "?", p.error.value_or("no request completed")));
      else if (p.status == "partial")
        out.push_back(fmt::format("partial {}: {} completed, {} failed", at, p.completed.value_or(0),
                                  p.failed ? std::to_string(*p.failed) : "?"));
      if (p.steady_window_undercount.value_or(false))
        out.push_back(fmt::format("undercount {}: {} requests < 2 x concurrency; throughput is undercounted", at,
                                  p.num_prompts ? std::to_string(*p.num_prompts) : fmt::format("{} completed", p.completed.value_or(0))));
      if (p.preemptions && *p.preemptions > 0)
        out.push_back(fmt::format("preemptions {}: {} KV-cache evictions recorded", at, *p.preemptions));
    }
    std::string rates;
    long n_rates = 0;
    for (const auto& p : cell.points)
      if (rate_only(p)) {
        ++n_rates;
        if (n_rates <= 8)
          rates += (rates.empty() ? "" : ", ") + (std::isinf(*p.request_rate) ? std::string("inf") : fmt::format("{:g}", *p.request_rate));
      }
    if (n_rates > 0)
      out.push_back(fmt::format("request-rate runs {}: {} run(s) at offered rates {}{} req/s carry no concurrency; kept in the "
                                "atlas and report_status.json, not placed on the concurrency charts",
                                cell.cell_id, n_rates, rates, n_rates > 8 ? ", ..." : ""));
    if (auto m = cell.extra.find("missing_concurrencies"); m != cell.extra.end() && m->is_array() && !m->empty())
      out.push_back(fmt::format("missing {}: requested concurrencies without any point: {}", cell.cell_id, m->dump()));
  }
  return out;
}

}  // namespace

PageSpec completeness_spec() {
  PageSpec s;
  s.id = "completeness";
  s.title = "Report completeness";
  s.precondition = [](const ReportInputs&) { return std::optional<Omission>{}; };
  s.count = [](const ReportInputs&) { return 1; };
  s.draw = [](PageFrame& f, int) {
    Writer w{f.c, f.body, f.body.y};
    w.c.text(f.body.x, w.y, f.in.coverage.line(), Font{8.5, true}, Color::hex(0x1a237e));
    w.y += 16;
    w.heading("Omitted pages");
    if (f.omissions.empty()) w.line("None: every page's inputs were present.");
    for (const auto& o : f.omissions) {
      w.line(fmt::format("{}: {}", o.page, o.reason), Font{7.5, true});
      w.line(fmt::format("How to populate it: {}", o.how_to_fix), Font{7.5, false, true}, Color::hex(0x444444));
    }
    w.heading("Points the charts show as failed, partial or caveated");
    auto findings = data_findings(f.in);
    if (findings.empty()) w.line("None: every point completed every request with a steady measurement window.");
    // Preemption notes are many in MTP-heavy campaigns: summarise them per cell.
    size_t preempt = 0;
    for (const auto& s2 : findings) {
      if (s2.rfind("preemptions ", 0) == 0) {
        ++preempt;
        continue;
      }
      w.line(s2, Font{7.5}, s2.rfind("FAILED", 0) == 0 ? Color::hex(0xb71c1c) : Color::hex(0x222222));
    }
    if (preempt > 0) {
      size_t cells = 0;
      for (const auto& cell : f.in.cells) {
        bool any = false;
        for (const auto& p : cell.points) any = any || (p.preemptions && *p.preemptions > 0);
        cells += any;
      }
      w.line(fmt::format("KV-cache evictions (preemptions) recorded at {} point(s) in {} cell(s); throughput at those points "
                         "includes recomputation.",
                         preempt, cells));
    }
    w.heading("Methodology problems (full-context descriptor)");
    auto methodology = summarize(methodology_problems(f.in.cells));
    if (methodology.empty()) w.line("None: every descriptor field is known and comparisons differ only in the variable under test.");
    for (const auto& m : methodology) w.line(m, Font{7.5});
    w.heading("Drawing notes");
    if (f.drawn_warnings.empty()) w.line("None: every plot-ready point was placed on every panel.");
    for (const auto& s2 : f.drawn_warnings) w.line(s2, Font{7.5});
    if (w.dropped > 0)
      f.c.text(f.body.x, f.body.bottom() - 12,
               fmt::format("… {} more line(s) not shown; the full list is in report_status.json", w.dropped),
               Font{7.5, false, true}, Color::hex(0x666666));
  };
  return s;
}

}  // namespace ptr
