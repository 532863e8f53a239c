// Per-format behaviour that the shared fixtures do not pin on their own, and
// bad input: every failure names the file (and line/key) and says what was expected.
#include <fstream>
#include <set>

#include "campaign/points.hpp"
#include "ingest/discover.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"

namespace ptr::test {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

void write(const fs::path& p, const std::string& s) {
  std::ofstream(p, std::ios::binary) << s;
}

TEST(Vllm2024, SwappedMeanAndMedianE2elAreCorrected) {
  auto rs = ingest_text("v.json", read_file(source_dir() / "tests/data/vllm-2024-swapped-e2el.json"));
  ASSERT_EQ(rs.size(), 1u);
  const auto& r = rs[0];
  EXPECT_EQ(r.format_version, "2024");
  EXPECT_DOUBLE_EQ(*r.e2el.mean, 420.0);
  EXPECT_DOUBLE_EQ(*r.e2el.median, 240.0);
  ASSERT_TRUE(r.e2el.p90.has_value());  // recomputed from the per-request arrays (seconds -> ms)
  EXPECT_NEAR(*r.e2el.p90, 768.0, 1e-9);
  EXPECT_NEAR(*r.ttft.p90, 280.0, 1e-9);
  EXPECT_TRUE(std::isinf(*r.request_rate));
  // The swap is corrected; the file's std of ITL and E2EL (written as 0) are
  // kept, and their disagreement with the arrays is named.
  ASSERT_EQ(r.warnings.size(), 3u);
  EXPECT_EQ(r.warnings[0].kind, "upstream_bug_corrected");
  EXPECT_NE(r.warnings[0].message.find("swapped"), std::string::npos);
  EXPECT_EQ(r.warnings[1].kind, "file_stat_differs_from_arrays");
  EXPECT_NE(r.warnings[1].message.find("std ITL (ms): the file says 0"), std::string::npos) << r.warnings[1].message;
  EXPECT_NE(r.warnings[2].message.find("std E2EL (ms): the file says 0"), std::string::npos) << r.warnings[2].message;
  EXPECT_DOUBLE_EQ(*r.itl.std, 0.0);
}

TEST(Vllm, AppendedObjectsAreSeparateRunsWithLines) {
  auto rs = ingest_text("r.json", read_file(fixtures_dir() / "vllm/bench-serve-legacy/results.json"));
  ASSERT_EQ(rs.size(), 9u);
  EXPECT_EQ(rs[4].line, 4);
  EXPECT_EQ(rs[0].format_version, "legacy-2025");
  // --metadata keys identify the deployment each run belongs to.
  EXPECT_EQ(rs[0].params["deployment"], "no-features");
}

TEST(Vllm, DetailedFileRecomputesMissingPercentiles) {
  auto rs = ingest_text("d.json", read_file(fixtures_dir() / "vllm/bench-serve/tm-l40sx2_qwen27b_in4096_out128_p50_c1_d48e1d.json"));
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_TRUE(rs[0].has_per_request_arrays);
  EXPECT_TRUE(rs[0].ttft.p90.has_value());
  EXPECT_TRUE(rs[0].tpot.p90.has_value());
  EXPECT_GT(*rs[0].ttft.p90, *rs[0].ttft.median);
  EXPECT_LE(*rs[0].ttft.p90, *rs[0].ttft.p99);
  for (const auto& w : rs[0].warnings) ADD_FAILURE() << "unexpected warning: " << w.message;
}

TEST(Sglang, BareInfinityAndNanAreNumbers) {
  std::string line =
      R"({"backend": "sglang", "dataset_name": "random", "request_rate": Infinity, "max_concurrency": 4, "completed": 0, )"
      R"("duration": 1.5, "mean_e2e_latency_ms": NaN, "median_e2e_latency_ms": NaN, "output_throughput": 0.0, "total_output_tokens_retokenized": 0})";
  auto rs = ingest_text("s.jsonl", line + "\n");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_TRUE(std::isinf(*rs[0].request_rate));
  EXPECT_TRUE(std::isnan(*rs[0].e2el.mean));
  EXPECT_EQ(rs[0].max_concurrency, 4);
}

TEST(Json, NonFiniteTokensInsideStringsAreLeftAlone) {
  std::string out;
  ASSERT_TRUE(rewrite_nonfinite_tokens(R"({"a": "NaN and Infinity", "b": -Infinity})", out));
  EXPECT_EQ(out, R"({"a": "NaN and Infinity", "b": "-Infinity"})");
}

TEST(BadInput, TruncatedJsonNamesFileAndLine) {
  TempDir t;
  std::string full = read_file(fixtures_dir() / "vllm/sweep-serve/20260211_140427/BENCH--max_concurrency=8-num_prompts=80-request_rate=8/run=0.json");
  write(t.path / "run=0.json", full.substr(0, full.size() / 2));
  std::string msg = error_of([&] { ingest_paths({t.path / "run=0.json"}, "auto"); });
  EXPECT_NE(msg.find((t.path / "run=0.json").string() + ":"), std::string::npos) << msg;
  EXPECT_NE(msg.find("malformed JSON"), std::string::npos) << msg;
}

TEST(BadInput, EmptyBinaryAndUnknownFilesAreErrors) {
  TempDir t;
  write(t.path / "empty.json", "  \n");
  write(t.path / "blob.bin", std::string("\x7f" "ELF\0\0\0", 7));
  write(t.path / "notes.txt", "hello, this is not a benchmark\n");
  EXPECT_NE(error_of([&] { ingest_paths({t.path / "empty.json"}, "auto"); }).find("empty file"), std::string::npos);
  EXPECT_NE(error_of([&] { ingest_paths({t.path / "blob.bin"}, "auto"); }).find("binary file"), std::string::npos);
  std::string unknown = error_of([&] { ingest_paths({t.path / "notes.txt"}, "auto"); });
  EXPECT_NE(unknown.find((t.path / "notes.txt").string()), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("unknown format"), std::string::npos) << unknown;
  // Inside a folder they are skipped with a warning instead.
  IngestBatch b = ingest_paths({t.path}, "auto");
  EXPECT_EQ(b.skipped.size(), 3u);
  EXPECT_EQ(b.warnings.size(), 3u);
}

TEST(BadInput, WrongTypedValueNamesTheKey) {
  std::string msg = error_of([] {
    ingest_text("w.json", R"({"model_id": "m", "completed": "many", "request_throughput": 1.0, "mean_ttft_ms": 1})");
  });
  EXPECT_NE(msg.find("key 'completed'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("expected a number"), std::string::npos) << msg;
}

TEST(BadInput, MalformedJsonlLineIsNamed) {
  std::string good = R"({"backend": "sglang", "dataset_name": "random", "mean_e2e_latency_ms": 1.0, "completed": 5})";
  std::string msg = error_of([&] { ingest_text("s.jsonl", good + "\n" + good + "\n{\"backend\": \"sglang\", oops}\n"); });
  EXPECT_NE(msg.find("s.jsonl:3:"), std::string::npos) << msg;
}

TEST(BadInput, TruncatedAiperfRecordNamesLine) {
  std::string text = read_file(fixtures_dir() / "aiperf/v0.2x-qwen-c1__profile_export.jsonl");
  size_t second = text.find('\n') + 1;
  std::string cut = text.substr(0, second + 300);
  std::string msg = error_of([&] { ingest_text("p.jsonl", cut); });
  EXPECT_NE(msg.find("p.jsonl:2:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("malformed AIPerf record"), std::string::npos) << msg;
}

TEST(BadInput, DuplicateJsonKeyIsRefusedNamingTheKey) {
  std::string text = read_file(fixtures_dir() / "vllm/bench-serve/tm-l40sx2_qwen27b_in4096_out128_p50_c1_d48e1d.json");
  size_t at = text.find("\"max_concurrency\": 1,");
  ASSERT_NE(at, std::string::npos);
  text.insert(at, "\"max_concurrency\": 64, ");
  std::string msg = error_of([&] { ingest_text("dup.json", text); });
  EXPECT_NE(msg.find("dup.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("duplicate key 'max_concurrency' in one JSON object"), std::string::npos) << msg;
  // The same key in two different objects is fine.
  EXPECT_NO_THROW(parse_json_lenient(R"({"a": {"k": 1}, "b": {"k": 2}})", "ok.json"));
}

TEST(BadInput, ByteOrderMarkIsIgnoredByEveryFormat) {
  for (const char* f : {"vllm/bench-serve/tm-l40sx2_qwen27b_in4096_out128_p50_c1_d48e1d.json",
                        "aiperf/v0.2x-qwen-c1__profile_export_aiperf.json", "aiperf/v0.2x-qwen-c1__profile_export.jsonl",
                        "sglang/tp8_dp1_Qwen3-8B_in1024_out128_p100_c100_38769a.jsonl"}) {
    std::string text = read_file(fixtures_dir() / f);
    std::string plain_format, bom_format;
    auto plain = ingest_text("p", text, &plain_format);
    auto bom = ingest_text("b", "\xEF\xBB\xBF" + text, &bom_format);
    EXPECT_EQ(bom_format, plain_format) << f;
    ASSERT_EQ(bom.size(), plain.size()) << f;
    EXPECT_EQ(bom[0].completed, plain[0].completed) << f;
    EXPECT_EQ(bom[0].ttft.mean, plain[0].ttft.mean) << f;
  }
}

TEST(Backend, FilterRejectsOtherClientsFiles) {
  std::string msg = error_of([] { ingest_paths({fixtures_dir() / "sglang/deepseek_dp_mla_output.jsonl"}, "aiperf"); });
  EXPECT_NE(msg.find("not --backend aiperf"), std::string::npos) << msg;
  EXPECT_NE(error_of([] { ingest_paths({fixtures_dir() / "sglang"}, "bogus"); }).find("unknown --backend"), std::string::npos);
}

TEST(Discovery, SweepTreeDeduplicatesRunsAcrossFiles) {
  // run=0.json, summary.json (3 rows) and summary.csv (27 rows) describe 27 runs.
  IngestBatch b = ingest_paths({fixtures_dir() / "vllm/sweep-serve"}, "vllm-sweep");
  EXPECT_EQ(b.results.size(), 27u);
  EXPECT_EQ(b.files.size(), 3u);
}

TEST(Discovery, RunsOfDifferentPromptLengthsStampedAlikeAreTwoRuns) {
  // A prefill sweep: the same stamp (to the second), concurrency, counts and
  // timings, but 512 against 2,048 prompt tokens. They are two runs; a copy
  // stating 512 is that run, and one stating no count adds no run either.
  const std::string text = read_file(fixtures_dir() / "vllm/bench-serve/run_1_TP8_DP1_CTX1024_C100_P100_O128.json");
  const std::string tokens = "\"total_input_tokens\": 102400, ";
  ASSERT_NE(text.find(tokens), std::string::npos);
  auto with_input_tokens = [&](const std::string& field) {
    std::string copy = text;
    return copy.replace(copy.find(tokens), tokens.size(), field);
  };
  TempDir t;
  fs::create_directories(t.path / "isl512");
  fs::create_directories(t.path / "isl2048");
  std::ofstream(t.path / "isl512" / "result.json") << with_input_tokens("\"total_input_tokens\": 51200, ");
  std::ofstream(t.path / "isl2048" / "result.json") << with_input_tokens("\"total_input_tokens\": 204800, ");
  std::ofstream(t.path / "isl512" / "copy.json") << with_input_tokens("\"total_input_tokens\": 51200, ");
  std::ofstream(t.path / "isl512" / "copy-without-count.json") << with_input_tokens("");
  IngestBatch b = ingest_paths({t.path}, "auto");
  ASSERT_EQ(b.results.size(), 2u);
  std::set<double> inputs;
  for (const auto& r : b.results) inputs.insert(r.total_input_tokens.value_or(-1));
  EXPECT_EQ(inputs, (std::set<double>{51200, 204800}));
  // Two copies of one run whose count reads NaN: a NaN states nothing, one run.
  TempDir nan;
  fs::create_directories(nan.path / "a");
  fs::create_directories(nan.path / "b");
  std::ofstream(nan.path / "a" / "result.json") << with_input_tokens("\"total_input_tokens\": NaN, ");
  std::ofstream(nan.path / "b" / "result.json") << with_input_tokens("\"total_input_tokens\": NaN, ");
  EXPECT_EQ(ingest_paths({nan.path}, "auto").results.size(), 1u);
}


}  // namespace
}  // namespace ptr::test

namespace ptr::test {
namespace {

TEST(VllmSweep, FailureRecordIsAFailedTrialOfItsPoint) {
  TempDir t;
  fs::path combo = t.path / "exp" / "BENCH--max_concurrency=8";
  fs::create_directories(combo);
  fs::copy_file(fixtures_dir() / "vllm/sweep-serve/20260211_140427/BENCH--max_concurrency=8-num_prompts=80-request_rate=8/run=0.json",
                combo / "run=0.json");
  std::ofstream(combo / "run=1.failure.json")
      << R"({"run_number": 1, "error_type": "RuntimeError", "error": "server died", "serve_overrides": {},)"
      << R"( "bench_overrides": {"max_concurrency": 8, "num_prompts": 80, "request_rate": 8}})";
  IngestBatch b = ingest_paths({t.path / "exp"}, "vllm-sweep");
  ASSERT_EQ(b.results.size(), 2u);
  auto pts = build_points(b.results, 8, {}, b.warnings);
  ASSERT_EQ(pts.size(), 1u);
  EXPECT_EQ(pts[0].trials, 2);
  EXPECT_EQ(pts[0].status, "partial");
  EXPECT_EQ(pts[0].completed, 80);
  EXPECT_EQ(pts[0].failed, 80);  // the failed run's 80 prompts
  EXPECT_EQ(pts[0].num_prompts, 160);
  ASSERT_TRUE(pts[0].error.has_value());
  EXPECT_EQ(*pts[0].error, "RuntimeError: server died");
  EXPECT_DOUBLE_EQ(*pts[0].output_tok_s, 615.0783304395073);  // only the successful trial counts
}

}  // namespace
}  // namespace ptr::test
