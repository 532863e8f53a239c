// Every result under ../shared/acceptance imported through the real campaign
// path (import_perf_bench -> normalized.json), checked against expected.json.
#include <map>

#include "campaign/operations.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

struct Fixture {
  TempDir root;
  std::string campaign;
  Fixture() {
    campaign = init_campaign(root.path, source_dir() / "configs/campaigns/example.yaml").id;
  }
  AtlasCell import(const std::string& cell, const std::vector<fs::path>& paths) {
    ImportRequest req;
    req.campaign = campaign;
    req.cell = cell;
    for (const auto& p : paths) req.paths.push_back(p.string());
    req.identity = {{"model", "m"}, {"hardware", "H100"}, {"quant", "FP8"}, {"tensor_parallel", 8},
                    {"parallel_strategy", "TP"}, {"mtp", false}, {"max_num_batched_tokens", 8192}};
    Warnings warnings;
    json r = import_perf_bench(root.path, req, warnings);
    fs::path norm = root.path / campaign / "cells" / cell / "normalized.json";
    return cell_from_json(load_json(norm), norm.string());
  }
};

std::string cell_name(std::string s) {
  std::string out;
  for (char c : s) out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '-');
  return out;
}

TEST(AcceptanceImport, EveryVllmAndSglangResultFileBecomesAPoint) {
  Fixture f;
  json exp = load_json(acceptance_dir() / "expected.json");
  int checked = 0, failed_runs = 0;
  for (const auto& e : exp["results"]) {
    std::string path = e["path"];
    if (path.find("llm-benchmaq/") != 0) continue;
    fs::path file = acceptance_dir() / path;
    fs::path capture = file;
    capture.replace_extension(".txt");
    std::vector<fs::path> inputs{file};
    if (fs::exists(capture)) inputs.push_back(capture);  // the stdout capture is the same run: deduplicated
    AtlasCell cell = f.import(cell_name(fs::path(path).stem().string()) + "-" + std::to_string(checked), inputs);
    SCOPED_TRACE(path);
    ASSERT_EQ(cell.points.size(), 1u);
    const Point& p = cell.points[0];
    EXPECT_EQ(p.trials, 1);
    EXPECT_EQ(p.concurrency, e["max_concurrency"].get<long>());
    if (e["completed"].get<double>() == 0) {
      // A run where every request failed (connection refused): the file says
      // 0 tok/s and 0 ms; the atlas says failed and leaves the metrics null.
      EXPECT_EQ(p.status, "failed");
      EXPECT_EQ(cell.status, "failed");
      EXPECT_EQ(p.failed, e["failed"].get<long>());
      EXPECT_FALSE(p.output_tok_s.has_value());
      EXPECT_FALSE(p.ttft_ms.mean.has_value());
      ASSERT_TRUE(p.error.has_value());
      EXPECT_NE(p.error->find("ConnectionRefusedError"), std::string::npos) << *p.error;  // from the stdout capture
      ++failed_runs;
      ++checked;
      continue;
    }
    EXPECT_EQ(p.status, "ok");
    EXPECT_PRED_FORMAT2(near_rel, p.output_tok_s, expected_number(e["output_throughput"]));
    EXPECT_PRED_FORMAT2(near_rel, p.output_tok_s_per_gpu, *expected_number(e["output_throughput"]) / 8);
    EXPECT_PRED_FORMAT2(near_rel, p.tok_s_per_user, *expected_number(e["output_throughput"]) / e["max_concurrency"].get<double>());
    EXPECT_PRED_FORMAT2(near_rel, p.ttft_ms.mean, expected_number(e["mean_ttft_ms"]));
    EXPECT_PRED_FORMAT2(near_rel, p.e2el_ms.mean, expected_number(e["mean_e2el_ms"]));
    EXPECT_PRED_FORMAT2(near_rel, p.interactivity_tok_s, 1000.0 / *expected_number(e["mean_tpot_ms"]));
    EXPECT_EQ(p.source[0].file.substr(p.source[0].file.size() - fs::path(path).filename().string().size()),
              fs::path(path).filename().string());
    ++checked;
  }
  EXPECT_EQ(checked, 35);
  EXPECT_GT(failed_runs, 0);
}

TEST(AcceptanceImport, FlashSamplingVariantsAreFullNinePointSweeps) {
  Fixture f;
  json exp = load_json(acceptance_dir() / "expected.json");
  std::map<long, json> baseline;
  for (const auto& e : exp["vllm_sweeps"])
    if (e["folder"].get<std::string>().find("/baseline/") != std::string::npos) baseline[e["max_concurrency"]] = e;
  ASSERT_EQ(baseline.size(), 9u);
  for (const char* variant : {"baseline", "fmms-triton", "fmms-flashinfer"}) {
    AtlasCell cell = f.import(variant, {acceptance_dir() / "flashsampling/gpt-oss-120b" / variant});
    EXPECT_EQ(cell.points.size(), 9u) << variant;
    for (const auto& p : cell.points) {
      EXPECT_EQ(p.trials, 3) << variant;
      EXPECT_EQ(p.status, "ok");
      EXPECT_EQ(p.source.size(), 3u);
    }
  }
  AtlasCell cell = f.import("baseline", {acceptance_dir() / "flashsampling/gpt-oss-120b/baseline"});
  for (const auto& p : cell.points) {
    const json& e = baseline.at(*p.concurrency);
    EXPECT_PRED_FORMAT2(near_rel, p.output_tok_s, expected_number(e["runs_output_throughput"]["mean"]));
    EXPECT_PRED_FORMAT2(near_rel, expected_number(p.spread["output_tok_s"]), expected_number(e["runs_output_throughput"]["std"]));
    EXPECT_PRED_FORMAT2(near_rel, p.ttft_ms.mean, expected_number(e["runs_mean_ttft_ms"]["mean"]));
  }
  // The derived results.txt is not a benchmark output: named alone it is refused.
  EXPECT_THROW(f.import("results-txt", {acceptance_dir() / "flashsampling/gpt-oss-120b/results.txt"}), Error);
}

TEST(AcceptanceImport, AiperfNestedRunsAndTelemetry) {
  Fixture f;
  AtlasCell cell = f.import("aiperf-qwen", {acceptance_dir() / "aiperf/qwen_concurrency2"});
  ASSERT_EQ(cell.points.size(), 2u);  // c=2 and the nested c=4 run; records + telemetry ride along
  EXPECT_EQ(cell.points[0].concurrency, 2);
  EXPECT_EQ(cell.points[1].concurrency, 4);
  json exp = load_json(acceptance_dir() / "expected.json");
  int compared = 0;
  for (const auto& e : exp["results"]) {
    if (e["path"].get<std::string>().find("aiperf/") != 0) continue;
    long c = e["max_concurrency"];
    const Point& p = cell.points[c == 2 ? 0 : 1];
    EXPECT_EQ(p.concurrency, c);
    EXPECT_PRED_FORMAT2(near_rel, p.output_tok_s, expected_number(e["output_throughput"]));
    EXPECT_PRED_FORMAT2(near_rel, p.ttft_ms.p99, expected_number(e["p99_ttft_ms"]));
    EXPECT_PRED_FORMAT2(near_rel, p.tpot_ms.mean, expected_number(e["aiperf_metrics"]["inter_token_latency.avg"]));
    ++compared;
  }
  EXPECT_EQ(compared, 2);
  EXPECT_EQ(cell.status, "full");
  EXPECT_TRUE(fs::exists(f.root.path / f.campaign / "cells/aiperf-qwen/raw/qwen_concurrency2/gpu_telemetry_export.jsonl"));
}

}  // namespace
}  // namespace ptr::test
