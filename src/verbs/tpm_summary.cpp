#include <fmt/format.h>

#include "analysis/methodology.hpp"
#include "analysis/tpm_export.hpp"
#include "campaign/operations.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/fs.hpp"
#include "campaign/frontier.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec tpm_summary_verb() {
  return {
      "tpm_summary",
      "Tokens-per-minute capacity (peak and SLA point) per group at per-GPU/replica/node bases, with $/1M tokens; writes tpm_summary.{json,csv,md}.",
      "perftunereport tpm_summary --campaign example --ttft-sla-ms 2000 --tpot-sla-ms 50",
      Safety::writes_campaign,
      "Capacity (TPM) and cost tables",
      true,
      {
          {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
          {"ttft_sla_ms", ParamType::number, false, nullptr, "TTFT limit in ms [default: config tpm.ttft_sla_ms, else 2000]."},
          {"tpot_sla_ms", ParamType::number, false, nullptr, "TPOT limit in ms [default: config tpm.tpot_sla_ms, else 50]."},
          {"sla_percentile", ParamType::string, false, nullptr, "Statistic the SLA applies to [default: mean].",
           {"mean", "p50", "p90", "p99"}},
          {"gpus_per_node", ParamType::integer, false, nullptr, "GPUs per node for the per-node basis [default: 8]."},
          {"strict", ParamType::boolean, false, false, "Refuse (exit 2) when any methodology problem is found."},
      },
      [](const Params& p, const Context& ctx, Envelope& env) {
        Campaign c = open_campaign(ctx.campaigns_root, p.str("campaign"));
        FileLock lock(c.dir, "tpm_summary", lock_wait_seconds());
        TpmConfig cfg = discover_tpm_config(c.config.tpm, c.config.cost, (c.dir / "config.yaml").string());
        if (auto v = p.opt_num("ttft_sla_ms")) cfg.ttft_sla_ms = *v;
        if (auto v = p.opt_num("tpot_sla_ms")) cfg.tpot_sla_ms = *v;
        if (auto v = p.opt_str("sla_percentile")) cfg.sla_percentile = *v;
        if (auto v = p.opt_int("gpus_per_node")) cfg.gpus_per_node = *v;
        if (!(cfg.ttft_sla_ms > 0) || !(cfg.tpot_sla_ms > 0) || cfg.gpus_per_node < 1)
          throw_usage("SLA limits must be > 0 and --gpus-per-node >= 1");
        std::vector<AtlasCell> cells = read_atlas(c);
        auto problems = methodology_problems(cells);
        if (p.flag("strict") && !problems.empty()) {
          std::string list;
          for (const auto& l : summarize(problems)) list += "\n  - " + l;
          throw_refusal(fmt::format("--strict: {} methodology problem(s); nothing written:{}", problems.size(), list),
                        "record the unknown fields in the campaign config, or run without --strict");
        }
        auto groups = compute_tpm(cells, cfg);
        atomic_write(c.dir / "tpm_summary.json", tpm_json(groups, cfg, problems, c.id));
        atomic_write(c.dir / "tpm_summary.csv", tpm_csv(groups));
        atomic_write(c.dir / "tpm_summary.md", tpm_markdown(groups, cfg, problems, c.id));
        json rows = tpm_rows(groups);
        for (const char* f : {"tpm_summary.json", "tpm_summary.csv", "tpm_summary.md"})
          env.files.push_back(fs::absolute(c.dir / f).string());
        env.result = {{"campaign", c.id},
                      {"files", {(c.dir / "tpm_summary.json").string(), (c.dir / "tpm_summary.csv").string(),
                                 (c.dir / "tpm_summary.md").string()}},
                      {"config", cfg.to_json()},
                      {"groups", groups.size()},
                      {"rows", rows},
                      {"methodology_problems", problems.size()}};
        for (const auto& l : summarize(problems)) add_warning(env.warnings, {"methodology_problem", l, {}, {}, {}, {}, {}});
        std::string human = fmt::format("{} groups -> {}/tpm_summary.{{json,csv,md}}", groups.size(), c.dir.string());
        for (const auto& g : groups)
          human += fmt::format("\n  {}: peak {} | SLA {}", g.key,
                               g.peak ? fmt::format("{:.0f} out TPM/GPU", *g.peak->basis.output_tpm_per_gpu) : "n/a",
                               g.sla ? fmt::format("{:.0f} out TPM/GPU ({})", *g.sla->basis.output_tpm_per_gpu, g.sla_status)
                                     : g.sla_status);
        env.result["next_lever"] = next_lever_line(campaign_levers(c));
        env.human = human + "\n" + env.result["next_lever"].get<std::string>();
      },
  };
}

}  // namespace ptr
