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
                    "3 engineering work. Each names the evidence, the expected unlock and the gate that proves or refutes it; "
                    "levers the team declared in the config's frontier: block join them. value_view writes the same list to HANDOFF.md.",
                    Font{7}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w);
    y += r.h + 10;
    const Frontier& fr = f.in.frontier;
    // What stays at the bottom: the refuted levers and the wall.
    double tail = 40 + 12 * static_cast<double>(fr.refuted.size());
    if (fr.levers.empty())
      y += c.text(f.body.x, y, "No open lever: the frontier ends at the speed-of-light wall below.", Font{8, true}, Color::hex(0x1a237e),
                  Align::left, VAlign::top, f.body.w).h + 10;
    int i = 0;
    for (const auto& l : fr.levers) {
      if (y > f.body.bottom() - 70 - tail) {
        c.text(f.body.x, y, fmt::format("… and {} more in value_view.json", fr.levers.size() - static_cast<size_t>(i)), Font{7, false, true},
               Color::hex(0x555555));
        y += 14;
        break;
      }
      ++i;
      TagScope tag(c, {"data", "lever/" + l.id});
      r = c.text(f.body.x, y, fmt::format("{}. {}{}", i, l.title, l.source == "config" ? " (declared in the config)" : ""), Font{9, true},
                 i == 1 ? Color::hex(0x1a237e) : Color::hex(0x111111), Align::left, VAlign::top, f.body.w);
      y += r.h + 2;
      for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
               {"Evidence", l.evidence}, {"Expected unlock", l.unlock}, {"Gate", l.gate},
               {"Score", fmt::format("{:.2f} (value {:.2f} ÷ cost {:g})", l.score(), l.value, l.cost)}}) {
        r = c.text(f.body.x + 14, y, k + ": " + v, Font{7.5}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w - 14);
        y += r.h + 1;
      }
      y += 8;
    }
    if (!fr.refuted.empty()) {
      y += 4;
      y += c.text(f.body.x, y, "Refuted levers (why they lost)", Font{9, true}, Color::hex(0x111111)).h + 3;
      for (const auto& l : fr.refuted) {
        TagScope tag(c, {"data", "lever/" + l.id});
        y += c.text(f.body.x + 14, y, "• " + l.title + " — " + l.why_lost, Font{7.5}, Color::hex(0x555555), Align::left, VAlign::top, f.body.w - 14).h + 2;
      }
    }
    y += 8;
    c.text(f.body.x, y, "Speed-of-light wall: " + (fr.wall.empty() ? std::string("not documented yet (a roofline sweep at the memory roof, or the "
                                                                                 "config's frontier.wall, documents it)")
                                                                     : fr.wall),
           Font{7.5, true}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w);
  };
  return s;
}

}  // namespace ptr
