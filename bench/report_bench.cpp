// Benchmark: report rendering.
//  1. `report_smoke` end to end (the CLI process: build the synthetic campaign,
//     render, write), median wall time of --runs runs; then with the five
//     pages it had when its target was set (<= 40 ms), against an older
//     build's report_smoke when --reference-cli names one (interleaved).
//  2. Scale: render campaigns of 500..4000 cells x 6 concurrencies (atlas
//     generated, then report_render's path: read atlas + render), to check
//     linear growth and the 4,000-cell target (<= 1 s).
//  3. Per page: the smoke campaign's inputs built in memory (timed), then each
//     page entry drawn by the PDF canvas, median of --runs draws.
//  4. The HTML report: `report_smoke --format both` against the PDF alone,
//     runs interleaved (the host's pace drifts), medians and their difference
//     (target +40 ms); then each scale campaign with --format html (<= 2 s and
//     <= 20 MB at 4,000 cells).
//   bench_report --cli build/perftunereport [--runs 15] [--scale-only] [--keep] [--reference-cli OLD]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <vector>

#include "campaign/operations.hpp"
#include "campaign/smoke_fixture.hpp"
#include "render/chart/pdf_canvas.hpp"
#include "render/pages/pages.hpp"
#include "render/report.hpp"


extern char** environ;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// `cli report_smoke --out out` with `extra` arguments, in ms.
static double run_smoke(const std::string& cli, const std::string& out, std::vector<std::string> extra) {
  std::vector<std::string> args = {cli, "report_smoke", "--out", out};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);  // its page-omitted warnings, every run
  auto t = Clock::now();
  pid_t pid;
  if (posix_spawn(&pid, cli.c_str(), &fa, nullptr, argv.data(), environ) != 0) throw std::runtime_error("spawn failed");
  int status = 0;
  waitpid(pid, &status, 0);
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
  posix_spawn_file_actions_destroy(&fa);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("report_smoke failed: " + cli);
  return ms;
}

static double run_cli(const std::string& cli, const std::string& out, const std::string& format = "pdf") {
  return run_smoke(cli, out, {"--format", format});
}

// The pages the smoke report had when its 40 ms target was set (2026-11-27).
static const std::vector<std::string> kFirstPages = {"--pages", "page1,page2,tpm,completeness,source", "--force"};

int main(int argc, char** argv) {
  std::string cli = "build/perftunereport";
  int runs = 15;
  bool scale_only = false, keep = false;  // --scale-only: skip the smoke timings; --keep: leave the scratch reports
  std::string reference;  // --reference-cli: a build whose report_smoke drew just those five pages (e.g. 4094083)
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--scale-only")) scale_only = true;
    else if (!std::strcmp(argv[i], "--keep")) keep = true;
    else if (i + 1 < argc && !std::strcmp(argv[i], "--cli")) cli = argv[++i];
    else if (i + 1 < argc && !std::strcmp(argv[i], "--runs")) runs = std::stoi(argv[++i]);
    else if (i + 1 < argc && !std::strcmp(argv[i], "--reference-cli")) reference = argv[++i];
  }
  fs::path scratch = fs::temp_directory_path() / "ptr-bench-report";
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  std::vector<double> smoke;
  if (!scale_only) {
  run_cli(cli, (scratch / "warm.pdf").string());  // page cache, font cache
  for (int r = 0; r < runs; ++r) smoke.push_back(run_cli(cli, (scratch / "smoke.pdf").string()));
  std::printf("report_smoke (CLI, full report): median %.1f ms over %d runs (min %.1f, max %.1f)\n", median(smoke), runs,
              *std::min_element(smoke.begin(), smoke.end()), *std::max_element(smoke.begin(), smoke.end()));
  {
    // Today's build on the five first pages; beside an older build when given,
    // interleaved (the host's pace drifts): the ratio is the measure there.
    std::vector<double> first, ref;
    run_smoke(cli, (scratch / "first.pdf").string(), kFirstPages);
    if (!reference.empty()) run_smoke(reference, (scratch / "ref.pdf").string(), {});
    for (int r = 0; r < runs; ++r) {
      first.push_back(run_smoke(cli, (scratch / "first.pdf").string(), kFirstPages));
      if (!reference.empty()) ref.push_back(run_smoke(reference, (scratch / "ref.pdf").string(), {}));
    }
    std::printf("report_smoke --pages page1,page2,tpm,completeness,source: median %.1f ms over %d runs (target <= 40 ms)\n",
                median(first), runs);
    if (!reference.empty())
      std::printf("  the reference build's report_smoke (%s), interleaved: median %.1f ms; ratio today/reference %.2f\n",
                  reference.c_str(), median(ref), median(first) / median(ref));
  }
  {
    std::vector<double> pdf, both;
    run_cli(cli, (scratch / "both.pdf").string(), "both");
    for (int r = 0; r < runs; ++r) {
      pdf.push_back(run_cli(cli, (scratch / "smoke.pdf").string()));
      both.push_back(run_cli(cli, (scratch / "both.pdf").string(), "both"));
    }
    std::printf("report_smoke --format both: median %.1f ms against %.1f ms for the PDF alone (interleaved, %d runs each): "
                "the HTML adds %+.1f ms; report.html %.2f MB\n",
                median(both), median(pdf), runs, median(both) - median(pdf),
                static_cast<double>(fs::file_size(scratch / "both.html")) / (1024.0 * 1024.0));
  }

  // Per page on the smoke campaign.
  {
    ptr::chart::warm_fonts();
    ptr::SmokeCampaign sc = ptr::build_smoke_campaign(scratch / "pages");
    std::vector<double> build;
    ptr::ReportInputs in;
    for (int r = 0; r < runs; ++r) {
      auto t = Clock::now();
      in = ptr::report_inputs_from_cells(sc.campaign, sc.cells, ptr::ReportOptions{});
      build.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    }
    std::printf("page cost: inputs (identity, facets, styles, TPM) median %.2f ms\n", median(build));
    const ptr::chart::Rect body{36, 46, 841.89 - 72, 1190.55 - 82};
    // One canvas for every page, as the report draws them (its glyph tables
    // and fonts are shared); a page's cost is its drawing into PDF operators
    // (their compression runs on the report's second thread).
    ptr::chart::PdfDocument doc(841.89, 1190.55);
    ptr::chart::PdfCanvas canvas(doc);
    for (const auto& spec : ptr::report_pages()) {
      if (ptr::page_omission(spec, in)) continue;
      int n = spec.count(in, body);
      std::vector<double> times;
      for (int r = 0; r < runs; ++r) {
        std::any state;
        ptr::DrawLedger ledger;
        nlohmann::json status = nlohmann::json::object();
        std::vector<ptr::Omission> omissions;
        auto t = Clock::now();
        if (spec.prepare) state = spec.prepare(in);
        for (int i = 0; i < n; ++i) {
          ptr::PageFrame frame{canvas, in, body, omissions, ledger, status, true};
          if (spec.prepare) frame.prepared = &state;
          spec.draw(frame, i);
          canvas.take_page();
        }
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
      }
      std::printf("page cost: %-13s %d page(s) median %.2f ms\n", spec.id.c_str(), n, median(times));
    }
  }

  }  // !scale_only

  // Scale: one campaign per size, rendered 3 times each.
  fs::path cfg = scratch / "scale.yaml";
  {
    FILE* f = std::fopen(cfg.c_str(), "w");
    std::fputs("name: scale\ncells:\n  - {cell_id: placeholder, model: m, hardware: H100, quant: FP8, tensor_parallel: 8,"
               " parallel_strategy: TP, mtp: false, max_num_batched_tokens: 8192, concurrencies: [1]}\n", f);
    std::fclose(f);
  }
  for (size_t variants : {100, 200, 400, 800}) {
    fs::path root = scratch / fmt::format("scale-{}", variants);
    ptr::InitResult init = ptr::init_campaign(root, cfg);
    auto cells = ptr::synthetic_scale_cells(init.id, variants);
    size_t n_cells = cells.size();
    ptr::write_atlas(init.campaign, std::move(cells), false);
    std::vector<double> times;
    int pages = 0;
    for (int r = 0; r < 3; ++r) {
      ptr::Warnings warnings;
      ptr::RenderRequest req;
      req.campaign = init.id;
      req.out = root / "report.pdf";
      auto t = Clock::now();
      auto res = ptr::render_report(root, req, warnings);
      times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
      pages = res.pages;
    }
    double m = median(times);
    std::printf("scale: %5zu cells x 6 concurrencies -> %3d pages: median %.0f ms (%.3f ms/cell)\n", n_cells, pages, m, m / n_cells);
    // The HTML report of the same campaign (--format html): time and size.
    std::vector<double> html_times;
    for (int r = 0; r < 3; ++r) {
      ptr::Warnings warnings;
      ptr::RenderRequest req;
      req.campaign = init.id;
      req.out = root / "report.html";
      req.options.set("format", "html");
      auto t = Clock::now();
      ptr::render_report(root, req, warnings);
      html_times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    }
    std::printf("scale html: %5zu cells -> median %.0f ms, %.1f MB\n", n_cells, median(html_times),
                static_cast<double>(fs::file_size(root / "report.html")) / 1e6);
  }
  if (keep) std::printf("reports kept under %s\n", scratch.c_str());
  else fs::remove_all(scratch);
  return 0;
}
