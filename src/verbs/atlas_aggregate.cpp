#include "campaign/operations.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec atlas_aggregate_verb() {
  return {
      "atlas_aggregate",
      "Union every cell's normalized.json into atlas.jsonl (sorted by cell id) and report coverage.",
      "perftunereport atlas_aggregate --campaign example",
      Safety::writes_campaign,
      "Aggregate the atlas",
      true,
      {{"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."}},
      [](const Params& p, const Context& ctx, Envelope& env) {
        AggregateResult r = aggregate_atlas(ctx.campaigns_root, p.str("campaign"), env.warnings);
        env.result = {{"atlas", r.atlas.string()}, {"coverage", r.coverage.to_json()}};
        env.human = r.coverage.line();
        env.files = {fs::absolute(r.atlas).string()};
      },
  };
}

}  // namespace ptr
