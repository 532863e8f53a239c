// Stdout captures and AIPerf CSVs are rounded copies of runs we also have as
// JSON: each must agree with its JSON sibling to the printed precision, and an
// import of both keeps one run.
#include <cmath>

#include "campaign/points.hpp"
#include "ingest/discover.hpp"
#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

::testing::AssertionResult near_printed(const char* ea, const char* eb, std::optional<double> rounded,
                                        std::optional<double> exact) {
  if (!rounded || !exact) return ::testing::AssertionFailure() << ea << " or " << eb << " missing";
  if (std::fabs(*rounded - *exact) <= 0.005 + 1e-9) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << ea << " = " << *rounded << " vs " << eb << " = " << *exact;
}

void compare_capture(const fs::path& txt, const fs::path& exact_file, bool sglang) {
  SCOPED_TRACE(txt.string());
  std::string fmt_txt, fmt_json;
  auto cap = ingest_text(txt.string(), read_file(txt), &fmt_txt);
  auto js = ingest_text(exact_file.string(), read_file(exact_file), &fmt_json);
  ASSERT_EQ(fmt_txt, "bench-serve-stdout");
  ASSERT_EQ(cap.size(), 1u);
  ASSERT_EQ(js.size(), 1u);
  const RunResult &c = cap[0], &j = js[0];
  EXPECT_EQ(c.format, sglang ? "sglang-bench-serving-stdout" : "vllm-bench-serve-stdout");
  EXPECT_EQ(c.completed, j.completed);
  EXPECT_EQ(c.max_concurrency, j.max_concurrency);
  EXPECT_EQ(c.total_input_tokens, j.total_input_tokens);
  EXPECT_EQ(c.total_output_tokens, j.total_output_tokens);
  if (!sglang) {
    EXPECT_EQ(c.num_prompts, j.num_prompts);
    EXPECT_EQ(c.failed, j.failed);
  } else {
    EXPECT_TRUE(c.num_prompts.has_value());  // from the Namespace(...) line
    EXPECT_PRED_FORMAT2(near_printed, c.measured_concurrency, j.measured_concurrency);
  }
  EXPECT_PRED_FORMAT2(near_printed, c.duration_s, j.duration_s);
  EXPECT_PRED_FORMAT2(near_printed, c.request_throughput, j.request_throughput);
  EXPECT_PRED_FORMAT2(near_printed, c.output_throughput, j.output_throughput);
  EXPECT_PRED_FORMAT2(near_printed, c.total_token_throughput, j.total_token_throughput);
  EXPECT_PRED_FORMAT2(near_printed, c.ttft.mean, j.ttft.mean);
  EXPECT_PRED_FORMAT2(near_printed, c.ttft.median, j.ttft.median);
  EXPECT_PRED_FORMAT2(near_printed, c.ttft.p99, j.ttft.p99);
  EXPECT_PRED_FORMAT2(near_printed, c.tpot.mean, j.tpot.mean);
  EXPECT_PRED_FORMAT2(near_printed, c.itl.mean, j.itl.mean);
  EXPECT_PRED_FORMAT2(near_printed, c.e2el.mean, j.e2el.mean);
  EXPECT_PRED_FORMAT2(near_printed, c.e2el.p99, j.e2el.p99);
  EXPECT_TRUE(std::isinf(*c.request_rate));

  // Importing both keeps the exact run only.
  IngestBatch b = ingest_paths({txt, exact_file}, "auto");
  ASSERT_EQ(b.results.size(), 1u);
  EXPECT_EQ(b.results[0].format, j.format);
}

TEST(StdoutCapture, VllmFixtureMatchesItsJson) {
  auto d = fixtures_dir() / "vllm/bench-serve";
  compare_capture(d / "run_1_TP8_DP1_CTX1024_C100_P100_O128.txt", d / "run_1_TP8_DP1_CTX1024_C100_P100_O128.json", false);
}

TEST(StdoutCapture, SglangFixtureMatchesItsJsonl) {
  auto d = fixtures_dir() / "sglang";
  compare_capture(d / "tp8_dp1_Qwen3-8B_in1024_out128_p100_c100_38769a.txt",
                  d / "tp8_dp1_Qwen3-8B_in1024_out128_p100_c100_38769a.jsonl", true);
}

TEST(StdoutCapture, EveryAcceptanceCaptureMatchesItsSibling) {
  int compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(acceptance_dir() / "llm-benchmaq")) {
    if (e.path().extension() != ".txt") continue;
    fs::path json_sib = e.path();
    json_sib.replace_extension(".json");
    fs::path jsonl_sib = e.path();
    jsonl_sib.replace_extension(".jsonl");
    bool sglang = e.path().string().find("/sglang/") != std::string::npos;
    if (fs::exists(json_sib)) compare_capture(e.path(), json_sib, sglang);
    else if (fs::exists(jsonl_sib)) compare_capture(e.path(), jsonl_sib, sglang);
    else {
      // A capture without a JSON sibling must still parse on its own.
      auto rs = ingest_text(e.path().string(), read_file(e.path()));
      EXPECT_EQ(rs.size(), 1u) << e.path();
    }
    ++compared;
  }
  EXPECT_EQ(compared, 35);  // every capture in acceptance/llm-benchmaq
}

TEST(AiperfCsv, MatchesItsJsonToPrintedPrecision) {
  auto d = fixtures_dir() / "aiperf";
  for (const std::string stem : {"legacy-v0.1-records", "v0.10.0-schema1.3-agent-c16"}) {
    SCOPED_TRACE(stem);
    std::string fmt;
    auto csv = ingest_text(stem + ".csv", read_file(d / (stem + "__profile_export_aiperf.csv")), &fmt);
    auto js = ingest_text(stem + ".json", read_file(d / (stem + "__profile_export_aiperf.json")));
    EXPECT_EQ(fmt, "aiperf-profile-export-csv");
    ASSERT_EQ(csv.size(), 1u);
    EXPECT_EQ(csv[0].completed, js[0].completed);
    EXPECT_PRED_FORMAT2(near_printed, csv[0].ttft.mean, js[0].ttft.mean);
    EXPECT_PRED_FORMAT2(near_printed, csv[0].ttft.p99, js[0].ttft.p99);
    EXPECT_PRED_FORMAT2(near_printed, csv[0].e2el.mean, js[0].e2el.mean);
    EXPECT_PRED_FORMAT2(near_printed, csv[0].request_throughput, js[0].request_throughput);
    EXPECT_PRED_FORMAT2(near_printed, csv[0].duration_s, js[0].duration_s);
    EXPECT_PRED_FORMAT2(near_printed, csv[0].tpot.mean, js[0].tpot.mean);
  }
  // The whole aiperf fixture folder: 3 aggregate runs; the CSVs and the
  // partial per-request file collapse onto their aggregates.
  IngestBatch b = ingest_paths({d}, "auto");
  ASSERT_EQ(b.results.size(), 3u);
  for (const auto& r : b.results) EXPECT_EQ(r.format, "aiperf-profile-export-json");
}

}  // namespace
}  // namespace ptr::test
