#include <fmt/format.h>

#include "campaign/operations.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec campaign_init_verb() {
  return {
      "campaign_init",
      "Validate a campaign YAML and create its campaign folder (SOURCE.md, summary.md, frozen config, cells/, commands/).",
      "perftunereport campaign_init --config configs/campaigns/example.yaml",
      Safety::writes_campaign,
      "Create a campaign",
      false,
      {{"config", ParamType::string, true, nullptr, "Campaign YAML file (schema: docs/campaign-config.md); also accepted as the first bare argument.", {}, PathRole::input, true}},
      [](const Params& p, const Context& ctx, Envelope& env) {
        InitResult r = init_campaign(ctx.campaigns_root, p.str("config"));
        env.result = {{"campaign", r.id}, {"dir", r.dir.string()}, {"cells", r.cells}};
        for (const char* f : {"config.yaml", "SOURCE.md", "summary.md"}) env.files.push_back(fs::absolute(r.dir / f).string());
        env.human = fmt::format("created campaign {} ({} cells) in {}", r.id, r.cells, r.dir.string());
      },
  };
}

}  // namespace ptr
