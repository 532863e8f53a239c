#include <fmt/format.h>

#include "campaign/frontier.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec value_view_verb() {
  return {
      "value_view",
      "The grind frontier: next levers derived from the data (decode HBM gap, MTP or TP/EP crossovers, failed cells, "
      "undercounted or noisy points, missing telemetry) plus the config's frontier: block, each with evidence, expected "
      "unlock, cost and the gate that proves it, ranked by value / cost; refuted levers with why they lost; the speed-of-light "
      "wall when documented; writes value_view.json and HANDOFF.md (docs/champion.md).",
      "perftunereport value_view --campaign example",
      Safety::writes_campaign,
      "Rank the next levers",
      true,
      {{"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."}},
      [](const Params& p, const Context& ctx, Envelope& env) {
        env.result = write_value_view(ctx.campaigns_root, p.str("campaign"));
        env.files = env.result["files"].get<std::vector<std::string>>();
        std::string human;
        int i = 0;
        for (const auto& l : env.result["levers"])
          human += fmt::format("{}. {} [score {:.2f}]\n   {}\n", ++i, l["title"].get<std::string>(), l["score"].get<double>(),
                               l["expected_unlock"].get<std::string>());
        for (const auto& l : env.result["refuted"])
          human += fmt::format("refuted: {} — {}\n", l["title"].get<std::string>(), l["why_lost"].get<std::string>());
        if (env.result["wall"].is_string()) human += "speed-of-light wall: " + env.result["wall"].get<std::string>() + "\n";
        env.human = human + env.result["files"][1].get<std::string>() + "\n" + env.result["next_lever"].get<std::string>();
      },
  };
}

}  // namespace ptr
