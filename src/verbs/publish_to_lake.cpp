#include <fmt/format.h>

#include "lake/publish.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec publish_to_lake_verb() {
  return {
      "publish_to_lake",
      "Publish a rendered campaign into the perf lake (SQLite file or PostgreSQL): atlas, campaign, TPM, cost, roofline and "
      "champion rows replace the campaign's previous rows in one transaction. Gaps are recorded and warned; --strict "
      "refuses a campaign with any (docs/lake.md).",
      "perftunereport publish_to_lake --campaign example --lake sqlite:///data/perf-lake.sqlite",
      Safety::writes_shared,
      "Publish to the perf lake",
      true,
      {
          {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
          {"lake", ParamType::string, false, nullptr,
           "sqlite:///path or postgresql://user@host:port/db [default: $PERFREPORT_LAKE, else <campaigns-root>/perf-lake.sqlite]. "
           "Credentials come from libpq's environment and .pgpass, never from argv."},
          {"strict", ParamType::boolean, false, false,
           "Refuse (exit 2, nothing written) when the campaign has a gap: no page 7 for a throughput campaign, no scatter "
           "point, not DCGM-grounded, methodology problems, or an unsupported verdict claim."},
      },
      [](const Params& p, const Context& ctx, Envelope& env) {
        PublishRequest req;
        req.campaign = p.str("campaign");
        req.lake = p.opt_str("lake").value_or("");
        req.strict = p.flag("strict");
        req.confine_sqlite = ctx.confined;
        env.result = publish_to_lake(ctx.campaigns_root, req, env.warnings);
        std::string human = fmt::format("published {} to {}", env.result["campaign"].get<std::string>(), env.result["lake"].get<std::string>());
        for (const auto& [table, n] : env.result["rows"].items()) human += fmt::format("\n  {:<12} {} row(s)", table, n.get<long>());
        if (!env.result["gaps"].empty())
          human += fmt::format("\n{} gap(s) recorded on campaign_v1 (see warnings)", env.result["gaps"].size());
        env.human = human;
      },
  };
}

}  // namespace ptr
