#include <fmt/format.h>
#include <future>
#include <optional>

#include "render/chart/canvas.hpp"
#include "render/report.hpp"
#include "render/smoke_inputs.hpp"
#include "render/warm_worker.hpp"
#include "verbs/registry.hpp"
#include "verbs/report_params.hpp"

namespace ptr {

VerbSpec report_smoke_verb() {
  std::vector<ParamSpec> params = {
      {"out", ParamType::string, false, "smoke.pdf", "PDF path; report_status.json goes beside it.", {}, PathRole::output},
      {"force", ParamType::boolean, false, false, "Replace an existing --out file (or report_status.json beside it) that perftunereport did not write."},
  };
  for (auto& p : report_option_params()) params.push_back(p);
  return {
      "report_smoke",
      "Build the bundled synthetic campaign (a 40-cell sweep and a 4-arm A/B) in memory and render its report (marked SYNTHETIC).",
      "perftunereport report_smoke --out build/smoke.pdf",
      Safety::writes_files,
      "Render the synthetic smoke report",
      true,
      params,
      [](const Params& p, const Context&, Envelope& env) {
        ReportOptions options = report_options_from(p);
        options.synthetic = true;
        fs::path out = p.str("out");
        const bool force = p.flag("force");
        // The campaign is built in memory (no folder: nothing of it outlives
        // the render) on a second thread while this one, which draws, loads
        // its fonts (Pango's font map is per thread).
        struct Built {
          ReportInputs inputs;
          Coverage coverage;
          long mtp_cells_with_preemptions = 0;
        };
        auto build = std::async(std::launch::async, [&options] {
          SmokeCampaign smoke = smoke_campaign();
          Built b;
          b.coverage = smoke.coverage;
          b.mtp_cells_with_preemptions = smoke.mtp_cells_with_preemptions;
          b.inputs = report_inputs_from_smoke(std::move(smoke), options);
          return b;
        });
        // With both formats the HTML pages get their own thread: it loads its fonts now too.
        std::optional<WarmWorker> html_worker;
        if (options.text("format") == "both") html_worker.emplace();
        chart::warm_fonts();
        Built built = build.get();
        Warnings render_warnings;
        RenderResult r = render_inputs(built.inputs, out, render_warnings, force, html_worker ? &*html_worker : nullptr);
        const Coverage& cov = built.coverage;
        for (auto& w : render_warnings) add_warning(env.warnings, std::move(w));
        std::string summary = fmt::format(
            "{} atlas cells, {} full sweeps, {} partial, {} failed, {} plot-ready points, {} MTP cells that recorded "
            "KV-cache evictions (preemptions)",
            cov.cells, cov.full, cov.partial, cov.failed, cov.plot_ready_points, built.mtp_cells_with_preemptions);
        env.result = r.status_json;
        env.result["status_file"] = r.status.string();
        env.files.clear();
        for (const auto* f : {&r.pdf, &r.html, &r.status})
          if (!f->empty()) env.files.push_back(fs::absolute(*f).string());
        env.result["summary"] = summary;
        env.result["mtp_cells_with_preemptions"] = built.mtp_cells_with_preemptions;
        env.human = fmt::format("{} ({} pages)\nSYNTHETIC smoke campaign: {}", (r.pdf.empty() ? r.html : r.pdf).string(), r.pages, summary);
      },
  };
}

}  // namespace ptr
