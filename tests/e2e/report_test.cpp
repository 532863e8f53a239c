// The PDF report, checked with poppler (pdfinfo, pdftotext) as a reader would.
#include <fmt/format.h>
#include <fstream>
#include <regex>
#include <set>

#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

std::string sh(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::string pdftext(const fs::path& pdf) { return sh("pdftotext -layout " + quote(pdf.string()) + " - 2>/dev/null"); }
std::string pdfinfo(const fs::path& pdf) { return sh("pdfinfo " + quote(pdf.string()) + " 2>/dev/null"); }

class Smoke : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    result_ = new CliResult(run_cli("report_smoke --out " + quote((dir_->path / "smoke.pdf").string())));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static fs::path pdf() { return dir_->path / "smoke.pdf"; }
  static TempDir* dir_;
  static CliResult* result_;
};
TempDir* Smoke::dir_ = nullptr;
CliResult* Smoke::result_ = nullptr;

TEST_F(Smoke, SummaryPrintsTheFixtureNumbers) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  EXPECT_NE(result_->out.find("44 atlas cells, 42 full sweeps, 1 partial, 1 failed, 256 plot-ready points, 20 MTP cells "
                              "that recorded KV-cache evictions (preemptions)"),
            std::string::npos)
      << result_->out;
}

TEST_F(Smoke, PageCountSizeAndMetadata) {
  std::string info = pdfinfo(pdf());
  EXPECT_NE(info.find("Pages:           17"), std::string::npos) << info;
  EXPECT_NE(info.find("(A3)"), std::string::npos) << info;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(info, m, std::regex(R"(Keywords:\s+campaign=(\d{8}T\d{6}Z-smoke-glm-5-1), rendered=(\d{8}T\d{6}Z), SYNTHETIC)")))
      << info;
  std::string rendered = m[2];
  // CreationDate/ModDate are the render stamp, in UTC.
  std::string hhmmss = rendered.substr(9, 2) + ":" + rendered.substr(11, 2) + ":" + rendered.substr(13, 2);
  EXPECT_TRUE(std::regex_search(info, std::regex("CreationDate:.*" + hhmmss + " " + rendered.substr(0, 4) + " UTC"))) << info;
  EXPECT_TRUE(std::regex_search(info, std::regex("ModDate:.*" + hhmmss + " " + rendered.substr(0, 4) + " UTC"))) << info;
  EXPECT_NE(info.find("Title:           perftunereport: smoke-glm-5.1"), std::string::npos);
  EXPECT_GE(fs::file_size(pdf()), 10u * 1024);
}

TEST_F(Smoke, TextShowsCoverageTitlesFailedCellAndFooter) {
  std::string text = pdftext(pdf());
  EXPECT_NE(text.find("Coverage: 44 atlas cells | 42 full sweeps | 1 partial sweeps | 1 failed cells | 256 plot-ready "
                      "concurrency points"),
            std::string::npos);
  for (long mbt : {1024, 2048, 4096, 8192, 16384}) {
    EXPECT_NE(text.find("mbt " + std::to_string(mbt) + " — TTFT vs request throughput"), std::string::npos) << mbt;
    EXPECT_NE(text.find("mbt " + std::to_string(mbt) + " — tok/s/user vs output tok/s/GPU"), std::string::npos) << mbt;
  }
  // Failed points sit in strips under their panels, labelled with the variant (the fields that vary).
  EXPECT_NE(text.find("FAILED H200 FP8 TP8 vllm 0.11.2 no MTP c=1,8,16,32,64,128: 0/2000 completed"), std::string::npos);
  EXPECT_NE(text.find("FAILED GB300 NVFP4 TP4 EP4 vllm 0.11.2 MTP c=64,128: 0/1536 completed"), std::string::npos);
  EXPECT_NE(text.find("output tok/s/GPU at concurrency 16"), std::string::npos);
  EXPECT_NE(text.find("TTFT avg (ms) at concurrency 32"), std::string::npos);
  EXPECT_NE(text.find("Report completeness"), std::string::npos);
  EXPECT_NE(text.find("Capacity under the SLA: TPM and $/1M tokens"), std::string::npos);
  EXPECT_NE(text.find("GB300 at $12.00/GPU-hour is an ESTIMATE"), std::string::npos);
  EXPECT_NE(text.find("interpolated"), std::string::npos);
  EXPECT_NE(text.find("Throughput and cost against interactivity"), std::string::npos);
  EXPECT_NE(text.find("Source under test"), std::string::npos);
  EXPECT_NE(text.find("vllm/vllm-openai:v0.11.2"), std::string::npos);
  EXPECT_NE(text.find("SYNTHETIC DATA"), std::string::npos);
  EXPECT_NE(text.find("bench capture window: 2026-01-01T00:00:00Z..2026-01-01T08:00:00Z (UTC)"), std::string::npos);
}

TEST_F(Smoke, PagesAreBookmarked) {
  std::string bytes = read_file(pdf());
  EXPECT_NE(bytes.find("/Outlines"), std::string::npos);
  for (const char* t : {"Latency and throughput", "Capacity under the SLA: TPM and $/1M tokens",
                        "Throughput and cost against interactivity", "Workload speed of light",
                        "Roofline sweep: delivered vs datasheet", "Report completeness", "Source under test"})
    EXPECT_NE(bytes.find(t), std::string::npos) << t;
}

// Page 4 flags what physics forbids: a non-MTP cell above its decode ceiling
// (the synthetic GB300 TP cells at c=32/64).
TEST_F(Smoke, KernelPagesCarryTheSyntheticProfiles) {
  std::string text = pdftext(pdf());
  EXPECT_NE(text.find("Kernel time by category"), std::string::npos);
  EXPECT_NE(text.find("B200 NVFP4 TP4 EP4 vllm 0.11.2 MTP · mbt 8192"), std::string::npos);
  EXPECT_NE(text.find("1046 ms · moe"), std::string::npos) << "B200 EP MTP: 193.75 + 260 + 262.5 + 210 + 95 + 25 ms";
  EXPECT_NE(text.find("capture b64 (22 launches, 8 kernels"), std::string::npos);
  EXPECT_NE(text.find("cutlass::Kernel2<cutlass_sm100_moe_gemm_nvfp4>"), std::string::npos);
  // The completeness page counts cells per rigor: the decode sweep has ncu,
  // the prefill sweep and 43 serving cells DRAM activity, the failed cell none.
  EXPECT_NE(text.find("cells by sol_rigor: L4 1, L3 44, none 1."), std::string::npos);
  // The Next lever page: the failed and partial cells first (value 0.4, cost 1).
  EXPECT_NE(text.find("1. Re-run the failed and partial cells"), std::string::npos);
  EXPECT_NE(text.find("Close the decode HBM gap of b200-nvfp4-tp4-roofline-decode"), std::string::npos);
  // The config's frontier: block joins the ranking (0.3 / 2 = 0.15, third); its refuted lever says why it lost.
  EXPECT_NE(text.find("3. EAGLE-3 draft head instead of MTP (declared in the config)"), std::string::npos);
  EXPECT_NE(text.find("max_num_seqs 512 — the MTP cells already evict KV blocks"), std::string::npos);
  EXPECT_NE(text.find("Speed-of-light wall: not documented yet"), std::string::npos);
}

// Page 8 from the fixture's A/B arms (3 trials per point): SGLang wins at the
// TPOT 25 ms operating point, significantly; the FlashInfer sampler's 2.7 %
// is inside the noise; DRAFT, since nothing records the node or the suite.
TEST_F(Smoke, ChampionPageRanksTheArms) {
  std::string text = pdftext(pdf());
  EXPECT_NE(text.find("DRAFT — RECOMMENDED FOR PRODUCTION: ab-h100-sglang"), std::string::npos);
  EXPECT_NE(text.find("same node: not recorded"), std::string::npos);
  EXPECT_NE(text.find("Runner-up ab-h100-vllm-async-sched: the champion leads by 5.8 %."), std::string::npos);
  EXPECT_NE(text.find("Rooflines: decode coordinates per concurrency"), std::string::npos);
  EXPECT_NE(text.find("FP8 dense 1979 TFLOP/s (H100)"), std::string::npos);
  std::string layout = sh("pdftotext -layout -f 14 -l 14 " + quote(pdf().string()) + " - 2>/dev/null");
  EXPECT_TRUE(std::regex_search(layout, std::regex(R"(1\. ab-h100-sglang .*L3\)\s+231\.7\s+5\.7\s+3\s+47\.8\s+19\.3\s+0\.0013)"))) << layout;
  EXPECT_TRUE(std::regex_search(layout, std::regex(R"(3\. ab-h100-vllm-fi-sampler .*\s+2\.7\s+0\.1591)"))) << layout;
}

TEST_F(Smoke, WorkloadSpeedOfLightMarksCellsAboveTheCeiling) {
  std::string text = pdftext(pdf());
  EXPECT_NE(text.find("above the ceiling without MTP"), std::string::npos);
  EXPECT_NE(text.find("Ceiling B200 · nvfp4 · roofline sweep b200-nvfp4-tp4-roofline"), std::string::npos) << text.substr(0, 3000);
  EXPECT_NE(text.find("107!"), std::string::npos);
  // Page 4 names where the time goes for the cells with kernels.json.
  EXPECT_NE(text.find("Kernel time by category (kernels.json, page 3)"), std::string::npos);
}

TEST_F(Smoke, StatusFileListsPagesAndNoOmissions) {
  json st = load_json(dir_->path / "report_status.json");
  EXPECT_EQ(st["pages"].size(), 17u);
  // Only the trend page, which needs --history and a lake, is omitted (and says how to get it).
  ASSERT_EQ(st["omitted_pages"].size(), 1u) << st["omitted_pages"];
  EXPECT_EQ(st["omitted_pages"][0]["page"], "history");
  // The synthetic roofline sweep draws pages 4 and 7 and stays out of coverage.
  EXPECT_EQ(st["coverage"]["plot_ready_points"], 256);
  EXPECT_EQ(st["coverage"]["atlas_cells"], 44);
  EXPECT_TRUE(st["sol_complete"].get<bool>());
  EXPECT_EQ(st["sol_rigor"], "L4");  // the synthetic ncu captures (page 5)
  EXPECT_TRUE(st["dcgm_grounded"].get<bool>());
  EXPECT_TRUE(st.contains("focus"));
  EXPECT_TRUE(st.contains("sol_rigor"));
  EXPECT_TRUE(st["synthetic"].get<bool>());
}

// A real-format campaign without points at the heatmap concurrencies.
struct RealCampaign {
  TempDir root;
  std::string id;
  RealCampaign() {
    auto init = run_cli("--json campaign_init --config " + quote((source_dir() / "configs/campaigns/example.yaml").string()), root.path);
    id = init.envelope()["result"]["campaign"];
    auto imp = run_cli("import_perf_bench --campaign example --cell vllm-c1-c100 --allow-mixed-models --path " +
                           quote((fixtures_dir() / "vllm/bench-serve").string()) +
                           " --model Qwen3 --hardware B200 --quant FP8 --tensor-parallel 8 --parallel-strategy TP --no-mtp --mbt 8192",
                       root.path);
    EXPECT_EQ(imp.exit_code, 0) << imp.err;
    EXPECT_EQ(run_cli("atlas_aggregate --campaign example", root.path).exit_code, 0);
  }
};

// Four cells (two variants x two mbt values) from the same real results: a
// heat-table campaign whose points miss the default heatmap concurrencies.
struct HeatCampaign : RealCampaign {
  HeatCampaign() {
    for (const char* hw : {"B200", "H100"})
      for (const char* mbt : {"8192", "16384"}) {
        if (std::string(hw) == "B200" && std::string(mbt) == "8192") continue;  // RealCampaign's cell
        std::string cell = fmt::format("{}-mbt{}", hw, mbt);
        for (auto& ch : cell) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        auto imp = run_cli("import_perf_bench --campaign example --cell " + cell + " --allow-mixed-models --path " +
                               quote((fixtures_dir() / "vllm/bench-serve").string()) + " --model Qwen3 --hardware " + hw +
                               " --quant FP8 --tensor-parallel 8 --parallel-strategy TP --no-mtp --mbt " + mbt,
                           root.path);
        EXPECT_EQ(imp.exit_code, 0) << imp.err;
      }
    EXPECT_EQ(run_cli("atlas_aggregate --campaign example", root.path).exit_code, 0);
  }
};

TEST(ReportRender, MissingHeatmapDataIsARecordedOmission) {
  HeatCampaign c;
  auto r = run_cli("report_render --campaign example --heatmap-concurrencies 8,16,32", c.root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("WARNING: page page2 omitted: no measured point at any heatmap concurrency (8, 16, 32)"), std::string::npos)
      << r.err;
  json st = load_json(c.root.path / c.id / "report_status.json");
  const json* page2 = nullptr;
  for (const auto& o : st["omitted_pages"])
    if (o["page"] == "page2") page2 = &o;
  ASSERT_NE(page2, nullptr);
  EXPECT_NE((*page2)["how_to_fix"].get<std::string>().find("--heatmap-concurrencies"), std::string::npos);
  std::string text = pdftext(c.root.path / c.id / "report.pdf");
  EXPECT_NE(text.find("page2: no measured point at any heatmap concurrency"), std::string::npos);  // completeness page
  EXPECT_NE(text.find("Coverage: 4 atlas cells | 4 full sweeps | 0 partial sweeps | 0 failed cells | 8 plot-ready"), std::string::npos);
  EXPECT_EQ(text.find("missing — add provenance.engine"), std::string::npos);  // example.yaml has provenance
  // With the data's own concurrency, the page comes back as heat tables.
  auto again = run_cli("--json report_render --campaign example --heatmap-concurrencies 100", c.root.path);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  json again_env = again.envelope();  // a loop over a temporary's member would dangle
  for (const auto& o : again_env["result"]["omitted_pages"]) EXPECT_NE(o["page"], "page2");
  EXPECT_NE(pdftext(c.root.path / c.id / "report.pdf").find("output tok/s/GPU at concurrency 100"), std::string::npos);
}

// One variant: page 2 is a plain table by concurrency, not a 1 x 1 heat map.
TEST(ReportRender, OneVariantGetsPlainTables) {
  RealCampaign c;
  auto r = run_cli("--json report_render --campaign example", c.root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json r_env = r.envelope();
  for (const auto& o : r_env["result"]["omitted_pages"]) EXPECT_NE(o["page"], "page2");
  std::string text = pdftext(c.root.path / c.id / "report.pdf");
  EXPECT_NE(text.find("output tok/s/GPU by concurrency"), std::string::npos);
  EXPECT_NE(text.find("Plain tables by concurrency (one variant: a heat map needs several variants"), std::string::npos);
  EXPECT_EQ(text.find("at concurrency 8"), std::string::npos);
}

TEST(ReportRender, UserStringsAreNeverMarkup) {
  RealCampaign c;
  auto r = run_cli("report_render --campaign example --variants-line " + quote("<b>bold</b> & <i>co</i>"), c.root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(pdftext(c.root.path / c.id / "report.pdf").find("<b>bold</b> & <i>co</i>"), std::string::npos);
}

TEST(ReportRender, MalformedAtlasRaisesAndWritesNoPdf) {
  RealCampaign c;
  fs::path atlas = c.root.path / c.id / "atlas.jsonl";
  std::string good = read_file(atlas);
  std::ofstream(atlas) << good << "{\"schema\": \"atlas_cell/v1\", \"cell_id\": 5}\n";
  auto r = run_cli("report_render --campaign example", c.root.path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("atlas.jsonl:2: key 'cell_id': expected a string"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(c.root.path / c.id / "report.pdf"));
  std::ofstream(atlas) << "{\"schema\": \"atlas_cell/v9\"}\n";
  auto v9 = run_cli("report_render --campaign example", c.root.path);
  EXPECT_EQ(v9.exit_code, 1);
  EXPECT_NE(v9.err.find("unsupported schema 'atlas_cell/v9'"), std::string::npos) << v9.err;
}

TEST(ReportRender, MissingAtlasSaysWhatToRun) {
  TempDir root;
  run_cli("campaign_init --config " + quote((source_dir() / "configs/campaigns/example.yaml").string()), root.path);
  auto r = run_cli("report_render --campaign example", root.path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("atlas not found"), std::string::npos);
  EXPECT_NE(r.err.find("perftunereport atlas_aggregate --campaign"), std::string::npos);
}

TEST(ReportRender, NoFontsIsAClearError) {
  TempDir t;
  std::ofstream(t.path / "fc.conf") << "<?xml version=\"1.0\"?>\n<fontconfig><dir>" << t.path.string()
                                    << "</dir><cachedir>" << (t.path / "cache").string() << "</cachedir></fontconfig>\n";
  std::string cmd = "FONTCONFIG_FILE=" + quote((t.path / "fc.conf").string()) + " " + quote(PTR_CLI) + " report_smoke --out " +
                    quote((t.path / "x.pdf").string()) + " 2>&1; echo rc=$?";
  std::string out = sh(cmd);
  EXPECT_NE(out.find("no font found"), std::string::npos) << out;
  EXPECT_NE(out.find("rc=1"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(t.path / "x.pdf"));
}

}  // namespace
}  // namespace ptr::test

namespace ptr::test {
namespace {

// report_smoke builds its campaign in memory: nothing but the PDF and its
// status is written, in the output folder or the temp folder.
TEST(ReportSmoke, WritesOnlyItsOutputs) {
  TempDir out, tmp;
  ASSERT_EQ(run_cli("report_smoke --out " + quote((out.path / "s.pdf").string()), out.path, "TMPDIR=" + quote(tmp.path.string()) + " ").exit_code, 0);
  std::set<std::string> written;
  for (const auto& e : fs::directory_iterator(out.path)) written.insert(e.path().filename().string());
  EXPECT_EQ(written, (std::set<std::string>{"report_status.json", "s.pdf"}));
  EXPECT_TRUE(fs::is_empty(tmp.path));
}

}  // namespace
}  // namespace ptr::test

namespace ptr::test {
namespace {

// Renders killed mid-way leave ".report.pdf.tmp.<pid>" files: the next render
// removes those whose process is gone and keeps a live writer's.
TEST(RenderTemps, DeadWritersTempFilesAreRemovedLiveOnesKept) {
  TempDir dir;
  fs::path dead_pdf = dir.path / ".s.pdf.tmp.2147483000", dead_status = dir.path / ".report_status.json.tmp.2147483000.3",
           live = dir.path / (".s.pdf.tmp." + std::to_string(getpid())), other = dir.path / ".notes.txt.tmp.2147483000";
  for (const auto& f : {dead_pdf, dead_status, live, other}) std::ofstream(f) << "partial";
  ASSERT_EQ(run_cli("report_smoke --out " + quote((dir.path / "s.pdf").string())).exit_code, 0);
  EXPECT_FALSE(fs::exists(dead_pdf));
  EXPECT_FALSE(fs::exists(dead_status));
  EXPECT_TRUE(fs::exists(live));   // this test process still runs
  EXPECT_TRUE(fs::exists(other));  // not a temp of a file the render writes
}

}  // namespace
}  // namespace ptr::test
