#include <fmt/format.h>

#include "campaign/variant_ab.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec import_variant_ab_verb() {
  return {
      "import_variant_ab",
      "An A/B bundle (one folder per arm, each with an arm.yaml and its bench output in any format the tool reads) "
      "into one engine-tagged cell per arm, trials kept; docs/formats/variant-ab-bundle.md.",
      "perftunereport import_variant_ab --campaign ab --bundle flashsampling/gpt-oss-120b",
      Safety::writes_campaign,
      "Import an A/B bundle",
      true,
      {
          {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
          {"bundle", ParamType::string, true, nullptr, "The bundle folder: baseline/, <variant>/ ..., each with arm.yaml.", {},
           PathRole::input},
      },
      [](const Params& p, const Context& ctx, Envelope& env) {
        VariantAbRequest req{p.str("campaign"), p.str("bundle")};
        env.result = import_variant_ab(ctx.campaigns_root, req, env.warnings);
        std::string human = fmt::format("{} arms from {}", env.result["arms"].size(), req.bundle.string());
        for (const auto& a : env.result["arms"])
          human += fmt::format("\n  {:<20} -> cell {} ({}, {}, {} points)", a["arm"].get<std::string>(), a["cell"].get<std::string>(),
                               a["engine"].get<std::string>().empty() ? "engine ?" : a["engine"].get<std::string>(),
                               a["status"].get<std::string>(), a["points"].is_number() ? a["points"].get<long>() : 0);
        env.human = human;
      },
  };
}

}  // namespace ptr
