#include <fmt/format.h>
#include <random>

#include "campaign/smoke_fixture.hpp"
#include "render/report.hpp"
#include "verbs/registry.hpp"
#include "verbs/report_params.hpp"

namespace ptr {

VerbSpec report_smoke_verb() {
  std::vector<ParamSpec> params = {
      {"out", ParamType::string, false, "smoke.pdf", "PDF path; report_status.json goes beside it."},
  };
  for (auto& p : report_option_params()) params.push_back(p);
  return {
      "report_smoke",
      "Build the bundled synthetic 40-cell campaign in a temporary folder and render its report (marked SYNTHETIC).",
      "perftunereport report_smoke --out build/smoke.pdf",
      Safety::read_only,
      params,
      [](const Params& p, const Context&, Envelope& env) {
        std::random_device rd;
        fs::path root = fs::temp_directory_path() / fmt::format("perftunereport-smoke-{:x}", rd());
        struct Cleanup {
          fs::path p;
          ~Cleanup() {
            std::error_code ec;
            fs::remove_all(p, ec);
          }
        } cleanup{root};
        SmokeCampaign smoke = build_smoke_campaign(root);
        RenderRequest req;
        req.campaign = smoke.id;
        req.out = p.str("out");
        req.options = report_options_from(p);
        req.options.synthetic = true;
        RenderResult r = render_report(root, req, env.warnings);
        const Coverage& cov = smoke.coverage;
        std::string summary = fmt::format(
            "{} atlas cells, {} full sweeps, {} partial, {} failed, {} plot-ready points, {} MTP cells that recorded "
            "KV-cache evictions (preemptions)",
            cov.cells, cov.full, cov.partial, cov.failed, cov.plot_ready_points, smoke.mtp_cells_with_preemptions);
        env.result = r.status_json;
        env.result["status_file"] = r.status.string();
        env.result["summary"] = summary;
        env.result["mtp_cells_with_preemptions"] = smoke.mtp_cells_with_preemptions;
        env.human = fmt::format("{} ({} pages)\nSYNTHETIC smoke campaign: {}", r.pdf.string(), r.pages, summary);
      },
  };
}

}  // namespace ptr
