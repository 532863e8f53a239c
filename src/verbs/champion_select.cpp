#include <fmt/format.h>
#include <sstream>

#include "campaign/champion_select.hpp"
#include "util/error.hpp"
#include "campaign/frontier.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec champion_select_verb() {
  return {
      "champion_select",
      "Rank the baseline and every variant (across engines) under a focus metric at the SLO operating point (tpm_summary's "
      "interpolation), with Welch's t-test on the trials, SLO sensitivity and the DRAFT/VERDICT gates; writes "
      "champion_select.json and CHAMPION.md (docs/champion.md).",
      "perftunereport champion_select --campaign ab --tpot-slo-ms 30 --top 3",
      Safety::writes_campaign,
      "Pick the production champion",
      true,
      {
          {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
          {"baseline", ParamType::string, false, nullptr, "Baseline cell [default: the cell whose arm is baseline]."},
          {"top", ParamType::integer, false, 3, "Variants shown beside the baseline."},
          {"focus", ParamType::string, false, "throughput",
           "throughput: output tok/s/GPU at the SLO point; latency: TPOT at the baseline's operating concurrency.",
           {"throughput", "latency"}},
          {"tpot_slo_ms", ParamType::number, false, nullptr, "TPOT limit in ms [default: config tpm.tpot_sla_ms, else 50]."},
          {"ttft_slo_ms", ParamType::number, false, nullptr, "TTFT limit in ms [default: config tpm.ttft_sla_ms, else 2000]."},
          {"sla_percentile", ParamType::string, false, nullptr, "Statistic the SLO applies to [default: mean].",
           {"mean", "p50", "p90", "p99"}},
          {"workloads_present", ParamType::string, false, nullptr,
           "Comma list of workloads measured (aa,sonnet,sharegpt,random,code); the cells' datasets win when known."},
          {"accuracy_gate", ParamType::string, false, "unknown", "The accuracy check's result.", {"pass", "fail", "unknown"}},
          {"same_node", ParamType::boolean, false, nullptr, "Assert the arms ran on one node (the cells' recorded nodes win)."},
          {"trials", ParamType::integer, false, nullptr, "Trials per arm claimed (checked against the data)."},
      },
      [](const Params& p, const Context& ctx, Envelope& env) {
        ChampionRequest req;
        req.campaign = p.str("campaign");
        req.baseline = p.opt_str("baseline");
        req.tpot_slo_ms = p.opt_num("tpot_slo_ms");
        req.ttft_slo_ms = p.opt_num("ttft_slo_ms");
        req.sla_percentile = p.opt_str("sla_percentile");
        req.config.focus = p.str("focus");
        long top = p.opt_int("top").value_or(3);
        if (top < 1 || top > 100) throw_usage("--top must be 1..100");
        req.config.top = static_cast<size_t>(top);
        if (auto w = p.opt_str("workloads_present")) {
          std::vector<std::string> list;
          std::stringstream ss(*w);
          for (std::string x; std::getline(ss, x, ',');)
            if (!x.empty()) list.push_back(x);
          req.config.workloads_present = list;
        }
        req.config.accuracy_gate = p.str("accuracy_gate");
        req.config.same_node = p.opt_bool("same_node");
        req.config.trials = p.opt_int("trials");
        env.result = champion_select(ctx.campaigns_root, req, env.warnings);
        env.files = env.result["files"].get<std::vector<std::string>>();
        const json& r = env.result;
        std::string human = fmt::format("{} ({} focus, baseline {}):", r["tier"] == "verdict" ? "VERDICT" : "DRAFT",
                                        r["focus"].get<std::string>(), r["baseline"].get<std::string>());
        size_t i = 0;
        for (const auto& c : r["ranked"])
          human += fmt::format("\n  {}. {:<36} {:>10.1f}{}{}", ++i, c["cell"].get<std::string>(), c["score"].get<double>(),
                               c["score_std"].is_number() ? fmt::format(" ± {:.1f}", c["score_std"].get<double>()) : "",
                               c["delta_pct_vs_baseline"].is_number() ? fmt::format("  {:+.1f} %", c["delta_pct_vs_baseline"].get<double>()) : "");
        if (r["champion"].is_string())
          human += fmt::format("\n{}RECOMMENDED FOR PRODUCTION: {}", r["tier"] == "verdict" ? "" : "DRAFT — ", r["champion"].get<std::string>());
        for (const auto& g : r["unmet_gates"]) human += "\n  unmet: " + g.get<std::string>();
        human += "\n" + r["files"][1].get<std::string>();
        std::string lever = next_lever_line(campaign_levers(open_campaign(ctx.campaigns_root, req.campaign)));
        env.result["next_lever"] = lever;
        env.human = human + "\n" + lever;
      },
  };
}

}  // namespace ptr
