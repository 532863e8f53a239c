// The "Next lever" page: the grind frontier of value_view (the same levers
// the value_view verb writes to HANDOFF.md), after the measured pages and
// before completeness and source.
#include <fmt/format.h>

#include "render/pages/pages.hpp"

namespace ptr {

PageSpec next_lever_spec() {
  using namespace chart;
  PageSpec s;
  s.id = "next_lever";
  s.title = "Next lever";
  s.count = [](const ReportInputs&, const Rect&) { return 1; };
  s.draw = [](PageFrame& f, int) {
    Canvas& c = f.c;
    double y = f.body.y;
    Rect r = c.text(f.body.x, y,
                    "Candidate next levers derived from this campaign's data (value_view; docs/champion.md), ranked by value ÷ "
                    "cost: value = the share of capacity a lever could move (0-1), cost = 1 a re-run, 2 a configuration change, "
                    "3 engineering work. Each names the evidence, the expected unlock and the gate that proves or refutes it. "
                    "value_view writes the same list to HANDOFF.md.",
                    Font{7}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w);
    y += r.h + 10;
    if (f.in.levers.empty()) {
      c.text(f.body.x, y, "No lever derived from the data: no failed or partial cell, no undercounted or noisy point, telemetry on "
                          "every cell, no decode point below 75 % of HBM and no crossover.", Font{8, true}, Color::hex(0x1a237e),
             Align::left, VAlign::top, f.body.w);
      return;
    }
    int i = 0;
    for (const auto& l : f.in.levers) {
      if (y > f.body.bottom() - 70) {
        c.text(f.body.x, y, fmt::format("… and {} more in value_view.json", f.in.levers.size() - static_cast<size_t>(i)), Font{7, false, true},
               Color::hex(0x555555));
        break;
      }
      ++i;
      TagScope tag(c, {"data", l.id});
      r = c.text(f.body.x, y, fmt::format("{}. {}", i, l.title), Font{9, true}, i == 1 ? Color::hex(0x1a237e) : Color::hex(0x111111),
                 Align::left, VAlign::top, f.body.w);
      y += r.h + 2;
      for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
               {"Evidence", l.evidence}, {"Expected unlock", l.unlock}, {"Gate", l.gate},
               {"Score", fmt::format("{:.2f} (value {:.2f} ÷ cost {:g})", l.score(), l.value, l.cost)}}) {
        r = c.text(f.body.x + 14, y, k + ": " + v, Font{7.5}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w - 14);
        y += r.h + 1;
      }
      y += 8;
    }
  };
  return s;
}

}  // namespace ptr
