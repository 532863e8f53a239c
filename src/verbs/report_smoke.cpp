#include <chrono>
#include <fmt/format.h>
#include <future>
#include <optional>
#include <random>
#include <unistd.h>

#include "campaign/smoke_fixture.hpp"
#include "render/chart/canvas.hpp"
#include "render/report.hpp"
#include "render/warm_worker.hpp"
#include "verbs/registry.hpp"
#include "verbs/report_params.hpp"

namespace ptr {

namespace {

// A killed run (kill -9, OOM) leaves its scratch campaign behind, and /dev/shm
// is memory: remove ours that are over an hour old (a run takes under a second).
void remove_stale_scratch(const fs::path& scratch) {
  std::error_code ec;
  auto now = fs::file_time_type::clock::now();
  for (fs::directory_iterator it(scratch, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind("perftunereport-smoke-", 0) != 0 || it->symlink_status(ec).type() != fs::file_type::directory) continue;
    auto age = now - fs::last_write_time(it->path(), ec);
    if (!ec && age > std::chrono::hours(1)) fs::remove_all(it->path(), ec);
    ec.clear();
  }
}

}  // namespace

VerbSpec report_smoke_verb() {
  std::vector<ParamSpec> params = {
      {"out", ParamType::string, false, "smoke.pdf", "PDF path; report_status.json goes beside it.", {}, PathRole::output},
      {"force", ParamType::boolean, false, false, "Replace an existing --out file (or report_status.json beside it) that perftunereport did not write."},
  };
  for (auto& p : report_option_params()) params.push_back(p);
  return {
      "report_smoke",
      "Build the bundled synthetic campaign (a 40-cell sweep and a 4-arm A/B) in a temporary folder and render its report (marked SYNTHETIC).",
      "perftunereport report_smoke --out build/smoke.pdf",
      Safety::writes_files,
      "Render the synthetic smoke report",
      true,
      params,
      [](const Params& p, const Context&, Envelope& env) {
        // The scratch campaign lives in memory-backed /dev/shm when there is one:
        // 44 cells of small files cost more in inode churn than in rendering.
        std::random_device rd;
        std::error_code ec;
        fs::path scratch = fs::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0 ? fs::path("/dev/shm")
                                                                                           : fs::temp_directory_path();
        remove_stale_scratch(scratch);
        fs::path root = scratch / fmt::format("perftunereport-smoke-{:x}", rd());
        struct Cleanup {
          fs::path p;
          ~Cleanup() {
            std::error_code ec;
            fs::remove_all(p, ec);
          }
        } cleanup{root};
        ReportOptions options = report_options_from(p);
        options.synthetic = true;
        fs::path out = p.str("out");
        const bool force = p.flag("force");
        // The renderer runs on its own thread: it loads fonts while this
        // thread builds the campaign, renders as soon as the cells exist in
        // memory, and overlaps with writing the cell files.
        std::promise<ReportInputs> inputs;
        Warnings render_warnings;
        // With both formats the HTML pages get their own thread: it loads its fonts now too.
        std::optional<WarmWorker> html_worker;
        if (options.text("format") == "both") html_worker.emplace();
        auto render = std::async(std::launch::async, [&, f = inputs.get_future()]() mutable {
          chart::warm_fonts();
          return render_inputs(f.get(), out, render_warnings, force, html_worker ? &*html_worker : nullptr);
        });
        SmokeCampaign smoke;
        bool handed_over = false;
        try {
          smoke = build_smoke_campaign(root, [&](const Campaign& c, const std::vector<AtlasCell>& cells, const SmokeEvidence& k) {
            ReportInputs in = report_inputs_from_cells(c, cells, options);
            in.kernels_of_cell = k.kernels;
            in.ncu_of_cell = k.ncu;
            in.champion = k.champion;
            in.requests_of_cell = std::make_shared<const ReportInputs::RequestTables>(k.requests);
            inputs.set_value(std::move(in));
            handed_over = true;
          });
        } catch (...) {
          if (!handed_over) inputs.set_exception(std::current_exception());
          try {
            render.get();
          } catch (...) {
          }
          throw;
        }
        RenderResult r = render.get();
        for (auto& w : render_warnings) add_warning(env.warnings, std::move(w));
        const Coverage& cov = smoke.coverage;
        std::string summary = fmt::format(
            "{} atlas cells, {} full sweeps, {} partial, {} failed, {} plot-ready points, {} MTP cells that recorded "
            "KV-cache evictions (preemptions)",
            cov.cells, cov.full, cov.partial, cov.failed, cov.plot_ready_points, smoke.mtp_cells_with_preemptions);
        env.result = r.status_json;
        env.result["status_file"] = r.status.string();
        env.files.clear();
        for (const auto* f : {&r.pdf, &r.html, &r.status})
          if (!f->empty()) env.files.push_back(fs::absolute(*f).string());
        env.result["summary"] = summary;
        env.result["mtp_cells_with_preemptions"] = smoke.mtp_cells_with_preemptions;
        env.human = fmt::format("{} ({} pages)\nSYNTHETIC smoke campaign: {}", (r.pdf.empty() ? r.html : r.pdf).string(), r.pages, summary);
      },
  };
}

}  // namespace ptr
