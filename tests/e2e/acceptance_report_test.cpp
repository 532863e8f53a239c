// The report of each shared acceptance set, rendered the way a user would
// (scripts/acceptance-reports.sh: campaign_init, imports, atlas, render),
// with its texts and report_status checked.
#include <fmt/format.h>
#include <regex>

#include "campaign/layout.hpp"
#include "page_harness.hpp"
#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

std::string sh_out(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

class AcceptanceReports : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    fs::path cli = PTR_CLI;
    std::string cmd = fmt::format("bash {} {} {} {} 2>&1", quote((source_dir() / "scripts/acceptance-reports.sh").string()),
                                  quote(cli.parent_path().string()), quote(shared_dir().string()), quote(dir_->path.string()));
    log_ = new std::string(sh_out(cmd));
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete log_;
  }
  static std::string text(const std::string& name) {
    return sh_out("pdftotext -layout " + quote((dir_->path / name / "report.pdf").string()) + " - 2>/dev/null");
  }
  static json status(const std::string& name) {
    return load_json(dir_->path / name / "report_status.json");
  }
  static int pages(const std::string& name) {
    std::string info = sh_out("pdfinfo " + quote((dir_->path / name / "report.pdf").string()) + " 2>/dev/null");
    auto at = info.find("Pages:");
    return at == std::string::npos ? 0 : std::stoi(info.substr(at + 6));
  }
  static TempDir* dir_;
  static std::string* log_;
};
TempDir* AcceptanceReports::dir_ = nullptr;
std::string* AcceptanceReports::log_ = nullptr;

TEST_F(AcceptanceReports, FlashSamplingArmsAreThreeVariantsWithTheirNoise) {
  const std::string name = "flashsampling-gpt-oss-120b";
  ASSERT_EQ(pages(name), 8) << *log_;  // with the Next lever page
  std::string t = text(name);
  // gpt-oss-120b is in the built-in registry and H100 has a ceiling: page 4.
  EXPECT_NE(t.find("Workload speed of light"), std::string::npos);
  EXPECT_NE(t.find("Ceiling H100 · mxfp4 · builtin:gpt-oss-120b"), std::string::npos);
  for (const char* arm : {"baseline", "fmms-triton", "fmms-flashinfer"}) EXPECT_NE(t.find(arm), std::string::npos) << arm;
  EXPECT_NE(t.find("3 variants on one set of panels"), std::string::npos);
  EXPECT_NE(t.find("bars = ± std across trials"), std::string::npos);
  // Triton at c=32: TTFT 407 ms with a 510 ms run-to-run std, and a noisy throughput.
  EXPECT_NE(t.find("407 ±510"), std::string::npos);
  EXPECT_NE(t.find("fmms-triton (fmms-triton): run-to-run CV of output tok/s > 10 % at c=32 (CV 12 %)"), std::string::npos);
  // Each arm its own TPM row, interpolated where TPOT reaches 50 ms.
  EXPECT_NE(t.find("Capacity under the SLA"), std::string::npos);
  std::regex row(R"(SLA\s+interpolated\s+TPOT\s+8192)");
  EXPECT_EQ(std::distance(std::sregex_iterator(t.begin(), t.end(), row), std::sregex_iterator()), 3) << t;
  json st = status(name);
  EXPECT_EQ(st["variants"], 3);
  EXPECT_TRUE(st["facet"]["field"].is_null());
  EXPECT_EQ(st["drawing_check"]["placed_points"], 27);
  EXPECT_EQ(st["drawing_check"]["labels_over_data"], 0);
}

TEST_F(AcceptanceReports, GlmFacetsByInputLengthAndShowsFailuresAndUndercounts) {
  const std::string name = "glm-4-7-fp8-llm-benchmaq";
  std::string t = text(name);
  json st = status(name);
  EXPECT_EQ(st["facet"]["field"], "isl");
  EXPECT_EQ(st["facet"]["values"], 5);
  EXPECT_EQ(st["variants"], 6);  // 3 GPUs x (TP8 DP1, TP4 DP2): workloads never merge
  for (const char* isl : {"1024", "2048", "4096", "8192", "15000"})
    EXPECT_NE(t.find(fmt::format("ISL {} — TTFT vs request throughput", isl)), std::string::npos) << isl;
  EXPECT_NE(t.find("FAILED B200 TP4 DP2 c=100: 0/100 completed"), std::string::npos);
  EXPECT_NE(t.find("undercounted: num_prompts < 2 × concurrency"), std::string::npos);
  // TPM rows per workload: the 15000-token rows are their own.
  EXPECT_NE(t.find("15000/128"), std::string::npos);
  EXPECT_NE(t.find("already violated at the lowest tested concurrency (c=100)"), std::string::npos);
  EXPECT_EQ(st["drawing_check"]["labels_over_data"], 0);
  EXPECT_EQ(st["drawing_check"]["placed_points"], 26);
  EXPECT_EQ(st["drawing_check"]["failed_points_marked"], 3);
}

TEST_F(AcceptanceReports, SglangVersionFromTheDataAndTheTrueCostReason) {
  const std::string name = "gpt-oss-120b-sglang-llm-benchmaq";
  std::string t = text(name);
  EXPECT_NE(t.find("0.5.8.post1 (from the data: 6 of 6 cells)"), std::string::npos);
  EXPECT_NE(t.find("no price for A100 in the cost table (add cost.A100 to the campaign config)"), std::string::npos);
  EXPECT_EQ(t.find("GB300"), std::string::npos);
  EXPECT_NE(t.find("https://github.com/sgl-project/sglang"), std::string::npos);
  EXPECT_NE(t.find("A100 TP4 DP2"), std::string::npos);
  std::string bytes = read_file(dir_->path / name / "report.pdf");
  EXPECT_NE(bytes.find("/URI (https://github.com/sgl-project/sglang)"), std::string::npos);
}

TEST_F(AcceptanceReports, AiperfTwoConcurrenciesOneVariant) {
  const std::string name = "aiperf-qwen";
  std::string t = text(name);
  EXPECT_NE(t.find("2 plot-ready concurrency points"), std::string::npos);
  EXPECT_NE(t.find("TTFT SLA 2000 ms is above the plotted range"), std::string::npos);
  EXPECT_NE(t.find("output tok/s/GPU by concurrency"), std::string::npos);  // one variant: plain tables
  EXPECT_NE(t.find("c=2"), std::string::npos);
  EXPECT_NE(t.find("c=4"), std::string::npos);
  json st = status(name);
  EXPECT_EQ(st["coverage"]["plot_ready_points"], 2);
}

// Every page of each real campaign drawn through the recording canvas: no two
// texts of one line touch (a check the PDF's text cannot make: touching texts
// come out of pdftotext as one word) and none leaves the page body (the cost
// curve's SLA label, when the SLA sat at the plot's right edge).
TEST_F(AcceptanceReports, TextsNeitherTouchNorLeaveThePageOnAnyPage) {
  for (const char* name : {"flashsampling-gpt-oss-120b", "glm-4-7-fp8-llm-benchmaq", "gpt-oss-120b-sglang-llm-benchmaq", "aiperf-qwen"}) {
    SCOPED_TRACE(name);
    ReportInputs in = load_report_inputs(open_campaign(dir_->path / "campaigns", name), ReportOptions{});
    TouchingTexts t = touching_texts_on_every_page(in);
    EXPECT_GE(t.pages, 3);
    EXPECT_EQ(t.lines, "");
  }
}

}  // namespace
}  // namespace ptr::test
