#include "campaign/champion_select.hpp"

#include <fmt/format.h>

#include "campaign/operations.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/fs.hpp"

namespace ptr {

ChampionDocument champion_document(const Campaign& c, const std::vector<AtlasCell>& cells, const ChampionRequest& req,
                                   Warnings& warnings) {
  ChampionConfig cfg = req.config;
  // The SLO: tpm_summary's config (the campaign's tpm: block), then the flags.
  cfg.tpm = discover_tpm_config(c.config.tpm, c.config.cost, (c.dir / "config.yaml").string());
  if (req.tpot_slo_ms) cfg.tpm.tpot_sla_ms = *req.tpot_slo_ms;
  if (req.ttft_slo_ms) cfg.tpm.ttft_sla_ms = *req.ttft_slo_ms;
  if (req.sla_percentile) cfg.tpm.sla_percentile = *req.sla_percentile;
  if (req.baseline) {
    cfg.baseline = *req.baseline;
  } else {
    std::vector<std::string> found;
    for (const auto& cell : cells)
      if (!is_roofline_sweep(cell) && cell.arm == "baseline") found.push_back(cell.cell_id);
    if (found.size() != 1)
      throw_usage(found.empty() ? "no cell is the baseline arm (arm: baseline)" : "several cells are baseline arms: " + found[0] + ", " + found[1],
                  "name it with --baseline CELL");
    cfg.baseline = found[0];
  }
  ChampionResult r = select_champion(cells, cfg);
  json out = r.to_json(cfg);
  out["campaign"] = c.id;
  // The campaign's claimed tier (config verdict_tier) against what the gates allow:
  // a verdict claim without the provenance is recorded as draft, with the reason.
  out["verdict_tier_claimed"] = c.config.verdict_tier;
  out["verdict_tier"] = c.config.verdict_tier == "verdict" && r.tier == "verdict" ? "verdict" : "draft";
  if (c.config.verdict_tier == "verdict" && r.tier != "verdict") {
    std::string why;
    for (const auto& g : r.unmet_gates) why += (why.empty() ? "" : "; ") + g;
    out["downgrade_reason"] = "the config claims verdict, but: " + why;
    add_warning(warnings, {"verdict_downgraded", out["downgrade_reason"].get<std::string>(), {}, {}, "verdict_tier", {}, {}});
  }
  for (const auto& u : r.unranked) add_warning(warnings, {"not_ranked", u, {}, {}, {}, {}, {}});
  if (r.tier == "draft")
    add_warning(warnings, {"draft", fmt::format("DRAFT: {} unmet gate(s): {}", r.unmet_gates.size(), r.unmet_gates.empty() ? "" : r.unmet_gates.front()),
                           {}, {}, {}, "see CHAMPION.md", {}});
  return {std::move(out), champion_markdown(r, cfg, c.id)};
}

json champion_select(const fs::path& root, const ChampionRequest& req, Warnings& warnings) {
  Campaign c = open_campaign(root, req.campaign);
  FileLock lock(c.dir, "champion_select", lock_wait_seconds());
  ChampionDocument doc = champion_document(c, read_atlas(c), req, warnings);
  json out = std::move(doc.json);
  atomic_write(c.dir / "champion_select.json", out.dump(2) + "\n");
  atomic_write(c.dir / "CHAMPION.md", doc.markdown);
  out["files"] = {(c.dir / "champion_select.json").string(), (c.dir / "CHAMPION.md").string()};
  return out;
}

}  // namespace ptr
