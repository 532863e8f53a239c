#include <fmt/format.h>

#include "render/report.hpp"
#include "campaign/operations.hpp"
#include "lake/history.hpp"
#include "lake/publish.hpp"
#include "model/identity.hpp"
#include "verbs/registry.hpp"
#include "verbs/report_params.hpp"

namespace ptr {

VerbSpec report_render_verb() {
  std::vector<ParamSpec> params = {
      {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
      {"out", ParamType::string, false, nullptr, "PDF path [default: <campaign>/report.pdf]; report_status.json goes beside it.", {}, PathRole::output},
      {"force", ParamType::boolean, false, false, "Replace an existing --out file (or report_status.json beside it) that perftunereport did not write."},
      {"history", ParamType::boolean, false, false, "Add the trend page: earlier published campaigns from the perf lake, matched on the comparison key."},
      {"lake", ParamType::string, false, nullptr, "Lake URL for --history [default: $PERFREPORT_LAKE, else <campaigns-root>/perf-lake.sqlite]."},
  };
  for (auto& p : report_option_params()) params.push_back(p);
  return {
      "report_render",
      "Render the campaign's atlas to report.pdf (latency/throughput, heatmaps, TPM, completeness, source under test) + report_status.json.",
      "perftunereport report_render --campaign example",
      Safety::writes_campaign,
      "Render the PDF report",
      true,
      params,
      [](const Params& p, const Context& ctx, Envelope& env) {
        RenderRequest req;
        req.campaign = p.str("campaign");
        if (auto out = p.opt_str("out")) req.out = *out;
        req.force = p.flag("force");
        req.options = report_options_from(p);
        if (p.flag("history")) {
          std::set<std::string> digests;
          for (const auto& cell : read_atlas(open_campaign(ctx.campaigns_root, req.campaign))) digests.insert(comparison_digest(cell));
          req.history = lake_history(parse_lake_url(default_lake_url(ctx.campaigns_root, p.opt_str("lake").value_or(""), ctx.confined)),
                                     open_campaign(ctx.campaigns_root, req.campaign).id, digests);
        }
        RenderResult r = render_report(ctx.campaigns_root, req, env.warnings);
        env.result = r.status_json;
        env.result["status_file"] = r.status.string();
        env.files.clear();
        for (const auto* f : {&r.pdf, &r.html, &r.status})
          if (!f->empty()) env.files.push_back(fs::absolute(*f).string());
        const std::string& lever = r.next_lever;
        env.result["next_lever"] = lever;
        env.human = fmt::format("{} ({} pages, {} omitted)\n{}\n{}", (r.pdf.empty() ? r.html : r.pdf).string(), r.pages, r.omitted.size(), r.coverage.line(), lever);
      },
  };
}

}  // namespace ptr
