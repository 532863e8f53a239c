#include <fmt/format.h>

#include "campaign/baseline_diff.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec baseline_diff_verb() {
  return {
      "baseline_diff",
      "Compare a campaign's points with an earlier campaign's, matched on the comparison key (configuration without the "
      "stack) and concurrency: regressions and improvements beyond --threshold-pct and the trials' noise. Exit 3 when a "
      "regression is found (for CI); over MCP that is a result with regressions > 0, not an error.",
      "perftunereport baseline_diff --campaign nightly --baseline last-week --threshold-pct 5",
      Safety::writes_campaign,
      "Diff against a baseline campaign",
      true,
      {
          {"campaign", ParamType::string, true, nullptr, "The new campaign (id or slug)."},
          {"baseline", ParamType::string, true, nullptr, "The campaign to compare against (id or slug)."},
          {"threshold_pct", ParamType::number, false, 5, "Smallest |Δ %| that counts."},
          {"cross_delivery", ParamType::boolean, false, false, "Also compare points of different delivery (said in the output)."},
      },
      [](const Params& p, const Context& ctx, Envelope& env) {
        DiffConfig cfg;
        cfg.threshold_pct = p.opt_num("threshold_pct").value_or(5);
        cfg.cross_delivery = p.flag("cross_delivery");
        env.result = baseline_diff(ctx.campaigns_root, p.str("campaign"), p.str("baseline"), cfg);
        env.files = env.result["files"].get<std::vector<std::string>>();
        long reg = env.result["regressions"].get<long>();
        std::string human = fmt::format("{} regression(s), {} improvement(s) beyond {:g} %; {} point(s) not compared\n{}", reg,
                                        env.result["improvements"].get<long>(), cfg.threshold_pct, env.result["unmatched"].size(),
                                        env.result["files"][1].get<std::string>());
        for (const auto& m : env.result["matches"])
          if (m["verdict"] == "regression")
            human += fmt::format("\n  REGRESSION {} c={} {}: {:.4g} -> {:.4g} ({:+.1f} %)", m["cell"].get<std::string>(),
                                 m["concurrency"].get<long>(), m["metric"].get<std::string>(), m["baseline"].get<double>(),
                                 m["new"].get<double>(), m["delta_pct"].get<double>());
        env.human = human;
        if (reg > 0) env.exit_code = 3;  // still ok: a finding, not a failure
      },
  };
}

}  // namespace ptr
