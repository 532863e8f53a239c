// The ingest rules of "Numbers you can quote": each with a file written in the
// shape the issue describes (no network, nothing from the shared folders is
// modified).
#include <fstream>

#include "campaign/operations.hpp"
#include "ingest/discover.hpp"
#include "test_support.hpp"
#include "util/fs.hpp"
#include "util/error.hpp"
#include "util/timestamp.hpp"

namespace ptr::test {
namespace {

void write(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << s;
}

const std::string kIdent =
    " --model m --hardware H100 --quant FP8 --tensor-parallel 8 --parallel-strategy TP --no-mtp --mbt 8192";

struct Campaign {
  TempDir root;
  std::string id;
  Campaign() {
    auto r = run_cli("--json campaign_init --config " + quote((source_dir() / "configs/campaigns/example.yaml").string()),
                     root.path);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    id = r.envelope()["result"]["campaign"];
  }
  CliResult import(const std::string& cell, const std::vector<fs::path>& paths, const std::string& extra = kIdent) {
    std::string args = "--json import_perf_bench --campaign " + id + " --cell " + cell;
    for (const auto& p : paths) args += " --path " + quote(p.string());
    return run_cli(args + extra, root.path);
  }
  json cell(const std::string& id_) { return load_json(root.path / id / "cells" / id_ / "normalized.json"); }
};

// A vLLM bench serve result (late-2025 keys), with the fields a test varies.
json vllm_run(const std::string& model, long concurrency, double out_tok_s, long prompts = 200) {
  return {{"date", "20260129-002451"}, {"endpoint_type", "vllm"}, {"backend", "vllm"}, {"model_id", model},
          {"tokenizer_id", model}, {"num_prompts", prompts}, {"request_rate", "inf"}, {"burstiness", 1.0},
          {"max_concurrency", concurrency}, {"duration", 10.0}, {"completed", prompts}, {"failed", 0},
          {"total_input_tokens", prompts * 1024}, {"total_output_tokens", prompts * 128},
          {"request_throughput", prompts / 10.0}, {"output_throughput", out_tok_s},
          {"total_token_throughput", out_tok_s * 9}, {"mean_ttft_ms", 100.0}, {"median_ttft_ms", 90.0},
          {"p99_ttft_ms", 300.0}, {"mean_tpot_ms", 20.0}, {"median_tpot_ms", 19.0}, {"p99_tpot_ms", 40.0}};
}

std::vector<std::string> kinds(const json& env) {
  std::vector<std::string> out;
  for (const auto& w : env["warnings"]) out.push_back(w["kind"]);
  return out;
}
bool has_kind(const json& env, const std::string& k) {
  auto ks = kinds(env);
  return std::find(ks.begin(), ks.end(), k) != ks.end();
}

// --- 1. Unrelated runs are never merged -------------------------------------

TEST(TrialRules, MixedModelsAreRefusedUnlessAllowed) {
  Campaign c;
  TempDir in;
  write(in.path / "a.json", vllm_run("org/model-7b", 8, 1000).dump());
  write(in.path / "b.json", vllm_run("org/model-72b", 8, 300).dump());
  auto r = c.import("mixed", {in.path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("holds runs with different model"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("a.json (model = org/model-7b)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("b.json (model = org/model-72b)"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(c.root.path / c.id / "cells/mixed"));

  auto ok = c.import("mixed", {in.path}, kIdent + " --allow-mixed-models");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  json env = ok.envelope();
  EXPECT_TRUE(has_kind(env, "mixed_models"));
  json cell = c.cell("mixed");
  ASSERT_EQ(cell["points"].size(), 2u);  // separate points, never averaged
  EXPECT_EQ(cell["points"][0]["trials"], 1);
  EXPECT_EQ(cell["points"][1]["trials"], 1);
}

TEST(TrialRules, DifferentWorkloadsAtOneConcurrencyAreSeparatePoints) {
  Campaign c;
  TempDir in;
  write(in.path / "short.json", vllm_run("m", 8, 1000).dump());
  json longer = vllm_run("m", 8, 600);
  longer["total_input_tokens"] = 200 * 15000;
  write(in.path / "long.json", longer.dump());
  auto r = c.import("wl", {in.path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has_kind(r.envelope(), "several_points_at_concurrency"));
  json cell = c.cell("wl");
  ASSERT_EQ(cell["points"].size(), 2u);
  // Same concurrency, two measured workloads: never the mean of 1000 and 600.
  std::set<double> outs = {cell["points"][0]["output_tok_s"].get<double>(), cell["points"][1]["output_tok_s"].get<double>()};
  EXPECT_EQ(outs, (std::set<double>{600, 1000}));
}

TEST(TrialRules, SweepArmsOfAnAbAreRefusedAsOneCell) {
  Campaign c;
  TempDir in;
  // Two sweep output folders with the same timestamp name: baseline and variant arms.
  for (const char* arm : {"baseline", "variant"}) {
    for (int run = 0; run < 2; ++run) {
      json r = vllm_run("m", 8, arm == std::string("baseline") ? 1000 + run : 1500 + run);
      r["run_number"] = run;
      write(in.path / arm / "20260211_140427" / "BENCH--max_concurrency=8" / ("run=" + std::to_string(run) + ".json"),
            r.dump(4));
    }
  }
  auto r = c.import("ab", {in.path});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("different sweep output folder"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("baseline/20260211_140427"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("variant/20260211_140427"), std::string::npos) << r.err;
  // One arm alone: its two runs are two trials of one point.
  auto one = c.import("baseline", {in.path / "baseline"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  json cell = c.cell("baseline");
  ASSERT_EQ(cell["points"].size(), 1u);
  EXPECT_EQ(cell["points"][0]["trials"], 2);
  EXPECT_DOUBLE_EQ(cell["points"][0]["output_tok_s"].get<double>(), 1000.5);
  // The second arm imported separately into the same cell lands in its own raw folder
  // (same folder name, other content) and is refused as another arm.
  auto two = c.import("baseline", {in.path / "variant" / "20260211_140427"});
  EXPECT_EQ(two.exit_code, 1) << two.err;
  EXPECT_NE(two.err.find("different sweep output folder"), std::string::npos) << two.err;
  EXPECT_EQ(c.cell("baseline")["points"][0]["trials"], 2);  // unchanged
}

std::string stdout_block(const std::string& model, std::optional<long> concurrency, long prompts, double out) {
  std::string s = "Namespace(num_prompts=" + std::to_string(prompts) + ", model='" + model + "', dataset_name='random')\n";
  if (concurrency) s += "Maximum request concurrency: " + std::to_string(*concurrency) + "\n";
  s += "============ Serving Benchmark Result ============\n";
  s += "Successful requests:                     " + std::to_string(prompts) + "\n";
  s += "Benchmark duration (s):                  10.00\n";
  s += "Request throughput (req/s):              " + std::to_string(prompts / 10.0) + "\n";
  s += "Output token throughput (tok/s):         " + std::to_string(out) + "\n";
  s += "---------------Time to First Token----------------\n";
  s += "Mean TTFT (ms):                          100.00\n";
  s += "==================================================\n";
  return s;
}

TEST(TrialRules, BlocksWithoutConcurrencyAreNeverMergedAndOneDocumentIsNamed) {
  Campaign c;
  TempDir in;
  write(in.path / "README.md", "# results\n" + stdout_block("m", std::nullopt, 1, 17) + "\nlater\n" +
                                   stdout_block("m", std::nullopt, 1000, 4443) + stdout_block("m", std::nullopt, 10, 300));
  auto r = c.import("readme", {in.path / "README.md"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(c.cell("readme")["points"].size(), 3u);  // never one point with trials: 3

  write(in.path / "log.txt", stdout_block("m", 8, 100, 1000) + stdout_block("m", 8, 100, 1010));
  auto l = c.import("log", {in.path / "log.txt"});
  ASSERT_EQ(l.exit_code, 0) << l.err;
  json env = l.envelope();
  ASSERT_TRUE(has_kind(env, "trials_from_one_document"));
  for (const auto& w : env["warnings"])
    if (w["kind"] == "trials_from_one_document") {
      EXPECT_EQ(w["file"], "raw/log.txt");  // the copy under the cell, traceable
      EXPECT_NE(w["message"].get<std::string>().find("2 runs found in this one document"), std::string::npos);
    }
  EXPECT_EQ(c.cell("log")["points"][0]["trials"], 2);
}

// --- 2. Latency keys in seconds -----------------------------------------------

TEST(Ingest, SecondsKeyedLatencyIsConvertedToMs) {
  json o = {{"date", "20240901-101500"}, {"backend", "vllm"}, {"model_id", "m"}, {"tokenizer_id", "m"},
            {"num_prompts", 100}, {"request_rate", "inf"}, {"max_concurrency", 16}, {"duration", 20.0},
            {"completed", 100}, {"total_input_tokens", 102400}, {"total_output_tokens", 12800},
            {"request_throughput", 5.0}, {"output_throughput", 640.0}, {"median_ttft", 0.25}, {"p99_ttft", 0.9},
            {"mean_ttft", 0.3}, {"median_tpot", 0.021}, {"p99_tpot", 0.05}, {"median_e2el", 3.1}, {"p99_e2el", 5.5}};
  auto rs = ingest_text("fork.json", o.dump());
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_DOUBLE_EQ(*rs[0].ttft.median, 250.0);
  EXPECT_DOUBLE_EQ(*rs[0].ttft.mean, 300.0);
  EXPECT_DOUBLE_EQ(*rs[0].ttft.p99, 900.0);
  EXPECT_DOUBLE_EQ(*rs[0].tpot.median, 21.0);
  EXPECT_DOUBLE_EQ(*rs[0].e2el.p99, 5500.0);
  EXPECT_NE(rs[0].format_version.find("seconds-keyed"), std::string::npos);
  EXPECT_EQ(rs[0].warnings.front().kind, "latency_in_seconds");
  EXPECT_FALSE(rs[0].params.contains("median_ttft"));  // not mistaken for --metadata
}

TEST(Ingest, AResultWithoutAnyLatencyIsNamed) {
  Campaign c;
  TempDir in;
  json o = vllm_run("m", 8, 1000);
  for (const char* k : {"mean_ttft_ms", "median_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "median_tpot_ms", "p99_tpot_ms"})
    o.erase(k);
  write(in.path / "bare.json", o.dump());
  auto r = c.import("bare", {in.path / "bare.json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has_kind(r.envelope(), "no_latency"));
}

// --- 3. The file's own statistics win --------------------------------------

TEST(Ingest, FileStatisticsWinOverPerRequestArrays) {
  // A September-2024 --save-detailed file: E2E as *_latency_ms over all 10
  // requests; 3 requests produced no output.
  json o = {{"date", "20240915-120000"}, {"backend", "vllm"}, {"model_id", "m"}, {"tokenizer_id", "m"},
            {"best_of", 1}, {"num_prompts", 10}, {"request_rate", "inf"}, {"duration", 2.0}, {"completed", 10},
            {"total_input_tokens", 1000}, {"total_output_tokens", 70}, {"request_throughput", 5.0},
            {"output_throughput", 35.0}, {"mean_ttft_ms", 50.0}, {"median_ttft_ms", 50.0}, {"p99_ttft_ms", 59.0},
            {"mean_latency_ms", 290.35}, {"median_latency_ms", 280.0}, {"p99_latency_ms", 400.0}, {"std_latency_ms", 80.0}};
  json ttfts = json::array(), itls = json::array(), lens = json::array();
  for (int i = 0; i < 10; ++i) {
    ttfts.push_back(0.05);
    bool output = i < 7;
    lens.push_back(output ? 10 : 0);
    json gaps = json::array();
    if (output)
      for (int k = 0; k < 9; ++k) gaps.push_back(0.037);
    itls.push_back(gaps);
  }
  o["ttfts"] = ttfts;
  o["itls"] = itls;
  o["output_lens"] = lens;
  o["input_lens"] = json::array();
  o["errors"] = json(std::vector<std::string>(10, ""));
  auto rs = ingest_text("detailed.json", o.dump());
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_DOUBLE_EQ(*rs[0].e2el.mean, 290.35);  // the file's, over all 10 requests
  EXPECT_DOUBLE_EQ(*rs[0].e2el.median, 280.0);  // no 2024 swap for *_latency_ms keys
  ASSERT_TRUE(rs[0].e2el.p90.has_value());     // filled from the arrays (the file lacks it)
  bool warned = false;
  for (const auto& w : rs[0].warnings)
    if (w.kind == "file_stat_differs_from_arrays" && w.message.find("mean E2EL (ms): the file says 290.35") != std::string::npos)
      warned = true;
  EXPECT_TRUE(warned);
}

// --- 4. Smaller defects -----------------------------------------------------

TEST(Ingest, AllFailedRunKeepsItsMeasuredDuration) {
  Campaign c;
  TempDir in;
  json o = vllm_run("m", 8, 0.0);
  o["completed"] = 0;
  o["failed"] = 200;
  o["duration"] = 42.5;
  o["request_throughput"] = 0.0;
  o["mean_ttft_ms"] = 0.0;
  write(in.path / "dead.json", o.dump());
  ASSERT_EQ(c.import("dead", {in.path / "dead.json"}).exit_code, 0);
  json p = c.cell("dead")["points"][0];
  EXPECT_EQ(p["status"], "failed");
  EXPECT_DOUBLE_EQ(p["duration_s"].get<double>(), 42.5);
  EXPECT_TRUE(p["output_tok_s"].is_null());  // 0.0 placeholders are not measurements
  EXPECT_TRUE(p["ttft_ms"]["mean"].is_null());
}

std::string sglang_line(long concurrency, long completed) {
  return json({{"backend", "sglang"}, {"dataset_name", "random"}, {"request_rate", "inf"},
               {"max_concurrency", concurrency}, {"random_input_len", 1024}, {"random_output_len", 128},
               {"duration", 30.0}, {"completed", completed}, {"total_input_tokens", completed * 1024},
               {"total_output_tokens", completed * 128}, {"request_throughput", completed / 30.0},
               {"output_throughput", completed * 128 / 30.0}, {"total_throughput", completed * 1152 / 30.0},
               {"mean_e2e_latency_ms", 3000.0}, {"median_ttft_ms", 100.0}, {"mean_ttft_ms", 110.0},
               {"total_output_tokens_retokenized", completed * 128}})
             .dump() +
         "\n";
}

TEST(Ingest, UndercountUsesTheRequestCountTheDataOrConfigGives) {
  Campaign c;
  TempDir in;
  write(in.path / "c128.jsonl", sglang_line(128, 100));
  ASSERT_EQ(c.import("sg", {in.path / "c128.jsonl"}).exit_code, 0);
  EXPECT_EQ(c.cell("sg")["points"][0]["steady_window_undercount"], true);  // 100 completed < 2 x 128
  write(in.path / "c8.jsonl", sglang_line(8, 100));
  ASSERT_EQ(c.import("sg8", {in.path / "c8.jsonl"}).exit_code, 0);
  EXPECT_EQ(c.cell("sg8")["points"][0]["steady_window_undercount"], false);
  // No count at all: unknown, not false.
  json o = vllm_run("m", 64, 900);
  o.erase("num_prompts");
  o.erase("completed");
  o.erase("failed");
  write(in.path / "nocount.json", o.dump());
  ASSERT_EQ(c.import("nocount", {in.path / "nocount.json"}).exit_code, 0);
  EXPECT_TRUE(c.cell("nocount")["points"][0]["steady_window_undercount"].is_null());
  // A configured cell's num_prompts decides when the data has none: example.yaml says 200.
  write(in.path / "cfg.jsonl", sglang_line(64, 120));
  ASSERT_EQ(c.import("h100-fp8-tp8-mbt8192", {in.path / "cfg.jsonl"}, "").exit_code, 0);
  EXPECT_EQ(c.cell("h100-fp8-tp8-mbt8192")["points"][0]["steady_window_undercount"], false);  // 200 >= 128
}

TEST(Ingest, Aiperf011NestedRecordsIsNotTheV01Shape) {
  std::string doc = read_file(fixtures_dir() / "aiperf/v0.10.0-schema1.3-agent-c16__profile_export_aiperf.json");
  json j = json::parse(doc);
  j["aiperf_version"] = "0.11.0";
  j["input_config"]["artifacts"]["records"] = json::array({"profile_export.jsonl"});
  std::string format;
  auto rs = ingest_text("p.json", j.dump(2), &format);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(format, "aiperf-profile-export-json");
  EXPECT_EQ(rs[0].format_version, "schema-1.3");
  TempDir t;
  write(t.path / "p.json", j.dump(2));
  IngestBatch b = ingest_paths({t.path / "p.json"}, "auto");
  ASSERT_EQ(b.files.size(), 1u);
  EXPECT_EQ(b.files[0].why.find("v0.1"), std::string::npos) << b.files[0].why;
}

TEST(Ingest, NearMissesSayWhatIsMissing) {
  TempDir t;
  auto error_of = [&](const std::string& name, const std::string& text) {
    write(t.path / name, text);
    try {
      ingest_paths({t.path / name}, "auto");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("<no error>");
  };
  EXPECT_NE(error_of("v.json", R"({"model_id": "m", "max_concurrency": 8, "num_prompts": 10, "mean_ttft_ms": 5})")
                .find("looks like vLLM bench serve (has model_id, max_concurrency, num_prompts, mean_ttft_ms), but has no "
                      "request_throughput / duration / completed"),
            std::string::npos);
  EXPECT_NE(error_of("s.jsonl", R"({"backend": "sglang", "dataset_name": "random", "max_concurrency": 4})" "\n")
                .find("looks like SGLang bench_serving (has dataset_name)"),
            std::string::npos);
  EXPECT_NE(error_of("a.json", R"({"aiperf_version": "0.10.0", "input_config": {}})")
                .find("looks like an AIPerf export (has input_config, aiperf_version)"),
            std::string::npos);
  EXPECT_NE(error_of("o.txt", "Successful requests: 10\nFailed requests: 0\n").find("looks like a bench stdout capture"),
            std::string::npos);
}

TEST(Ingest, AiperfSweepAggregateIsOnePointPerConcurrency) {
  auto metric = [](double mean, double std, const char* unit) {
    return json{{"mean", mean}, {"std", std}, {"min", mean - std}, {"max", mean + std}, {"cv", std / mean}, {"unit", unit}};
  };
  json combos = json::array();
  for (int c : {10, 20}) {
    combos.push_back({{"parameters", {{"concurrency", c}}},
                      {"metrics",
                       {{"request_throughput_avg", metric(c * 1.0, 0.5, "requests/sec")},
                        {"output_token_throughput_avg", metric(c * 100.0, c * 5.0, "tokens/sec")},
                        {"request_count_avg", metric(100, 0, "requests")},
                        {"time_to_first_token_avg", metric(50.0 + c, 3.0, "ms")},
                        {"time_to_first_token_p99", metric(90.0 + c, 6.0, "ms")},
                        {"inter_token_latency_avg", metric(10.0 + c / 10.0, 0.2, "ms")}}}});
  }
  json doc = {{"aggregation_type", "sweep"}, {"num_profile_runs", 6}, {"num_successful_runs", 6},
              {"failed_runs", json::array()}, {"metadata", {{"sweep_parameters", {{{"name", "concurrency"}, {"values", {10, 20}}}}}}},
              {"per_combination_metrics", combos}, {"best_configurations", json::object()}, {"pareto_optimal", json::array()}};
  std::string format;
  auto rs = ingest_text("profile_export_aiperf_sweep.json", doc.dump(2), &format);
  EXPECT_EQ(format, "aiperf-sweep-aggregate-json");
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[1].max_concurrency, 20);
  EXPECT_DOUBLE_EQ(*rs[1].output_throughput, 2000.0);
  EXPECT_DOUBLE_EQ(*rs[1].ttft.p99, 110.0);
  EXPECT_DOUBLE_EQ(*rs[1].tpot.mean, 12.0);
  EXPECT_EQ(rs[1].reported_trials, 3);  // 6 runs over 2 combinations
  EXPECT_DOUBLE_EQ(rs[1].reported_spread["output_tok_s"].get<double>(), 100.0);
  Warnings ws;
  auto pts = build_points(rs, 1, {}, ws);
  ASSERT_EQ(pts.size(), 2u);
  EXPECT_EQ(pts[1].trials, 3);
  EXPECT_DOUBLE_EQ(pts[1].spread["output_tok_s"].get<double>(), 100.0);
  // The earlier shape: per_value_metrics keyed by the value of metadata.parameter_name.
  json old = {{"aggregation_type", "sweep"}, {"num_profile_runs", 2},
              {"metadata", {{"parameter_name", "concurrency"}, {"parameter_values", {10, 20}}}},
              {"per_value_metrics", {{"10", combos[0]["metrics"]}, {"20", combos[1]["metrics"]}}}};
  auto rs2 = ingest_text("old_sweep.json", old.dump());
  ASSERT_EQ(rs2.size(), 2u);
  EXPECT_EQ(rs2[0].max_concurrency, 10);
  EXPECT_EQ(rs2[0].reported_trials, 1);
}

TEST(Ingest, AiperfTelemetryFileIsCopiedButNamedAsNotRead) {
  Campaign c;
  auto r = c.import("aip", {acceptance_dir() / "aiperf/qwen_concurrency2/profile_export_aiperf.json",
                            acceptance_dir() / "aiperf/qwen_concurrency2/gpu_telemetry_export.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has_kind(r.envelope(), "telemetry_not_read"));
  EXPECT_TRUE(fs::exists(c.root.path / c.id / "cells/aip/raw/gpu_telemetry_export.jsonl"));
}

// --- 5. The descriptor from the data ---------------------------------------

TEST(Descriptor, FilledFromTheDataAndConflictsAreMethodologyProblems) {
  Campaign c;
  TempDir in;
  std::string line = sglang_line(8, 100);
  json j = json::parse(line);
  j["server_info"] = {{"version", "0.5.6"}, {"model_path", "/models/GLM-4.7-FP8"}};
  j["cache_report"] = {{"cache_hit_rate_pct", 40.0}};
  write(in.path / "run.jsonl", j.dump() + "\n");
  ASSERT_EQ(c.import("desc", {in.path / "run.jsonl"}).exit_code, 0);
  json cell = c.cell("desc");
  EXPECT_EQ(cell["engine_version"], "0.5.6");
  EXPECT_EQ(cell["hf_path"], "/models/GLM-4.7-FP8");
  EXPECT_EQ(cell["dataset"], "random");
  EXPECT_DOUBLE_EQ(cell["prefix_cache_hit_rate"].get<double>(), 0.4);
  EXPECT_EQ(cell["isl"], 1024);
  EXPECT_EQ(cell["extra"]["descriptor_from_data"]["engine_version"], "0.5.6");

  // The configured cell says dataset random and ISL 1024: a sharegpt run of ISL 600 contradicts it.
  json other = j;
  other["dataset_name"] = "sharegpt";
  other["total_input_tokens"] = 100 * 600;
  write(in.path / "conf.jsonl", other.dump() + "\n");
  ASSERT_EQ(c.import("h100-fp8-tp8-mbt8192", {in.path / "conf.jsonl"}, "").exit_code, 0);
  json conf = c.cell("h100-fp8-tp8-mbt8192");
  EXPECT_EQ(conf["dataset"], "random");  // the config wins
  EXPECT_EQ(conf["extra"]["descriptor_conflicts"][0]["field"], "dataset");
  ASSERT_EQ(run_cli("atlas_aggregate --campaign " + c.id, c.root.path).exit_code, 0);
  auto t = run_cli("--json tpm_summary --campaign " + c.id, c.root.path);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  std::string problems = t.envelope()["warnings"].dump();
  EXPECT_NE(problems.find("the config says \\\"random\\\" but the data says \\\"sharegpt\\\""), std::string::npos) << problems;
  EXPECT_NE(problems.find("measured mean ISL 600 is -41% from the declared 1024"), std::string::npos) << problems;
}

TEST(Descriptor, HighRunToRunVarianceIsAProblemNamingCellAndConcurrency) {
  Campaign c;
  TempDir in;
  for (int run = 0; run < 3; ++run) {
    json r = vllm_run("m", 32, run == 0 ? 500 : 1000);
    r["run_number"] = run;
    write(in.path / "exp" / "BENCH--c32" / ("run=" + std::to_string(run) + ".json"), r.dump());
  }
  ASSERT_EQ(c.import("noisy", {in.path / "exp"}).exit_code, 0);
  ASSERT_EQ(run_cli("atlas_aggregate --campaign " + c.id, c.root.path).exit_code, 0);
  auto t = run_cli("--json tpm_summary --campaign " + c.id, c.root.path);
  std::string problems = t.envelope()["warnings"].dump();
  EXPECT_NE(problems.find("noisy c=32: run-to-run coefficient of variation of output tok/s 35% over 3 trials"), std::string::npos) << problems;
}

TEST(Descriptor, RequestRateRunsAreListedNotDropped) {
  Campaign c;
  TempDir in;
  json r = vllm_run("m", 8, 700);
  r.erase("max_concurrency");
  r["request_rate"] = 4.0;
  write(in.path / "rate.json", r.dump());
  ASSERT_EQ(c.import("rate", {in.path / "rate.json"}).exit_code, 0);
  auto agg = run_cli("--json atlas_aggregate --campaign " + c.id, c.root.path);
  EXPECT_EQ(agg.envelope()["result"]["coverage"]["request_rate_points"], 1);
  auto t = run_cli("--json tpm_summary --campaign " + c.id, c.root.path);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  std::string rows = t.envelope()["result"]["rows"].dump();
  EXPECT_NE(rows.find("request-rate runs only"), std::string::npos) << rows;
  std::string md = read_file(c.root.path / c.id / "tpm_summary.md");
  EXPECT_NE(md.find("1 point is a request-rate run without a concurrency"), std::string::npos) << md;
}

// --- 6. Config and status ----------------------------------------------------

std::string config_with(const std::string& tail) {
  return "name: cfg\nfocus: throughput\ncells:\n  - cell_id: a\n    model: m\n    hardware: B200\n    quant: FP8\n"
         "    tensor_parallel: 8\n    parallel_strategy: TP\n    mtp: false\n    max_num_batched_tokens: 8192\n"
         "    concurrencies: [1, 8]\n" + tail;
}

TEST(Config, BothCostShapesAndValidationAtInit) {
  TempDir t, in;
  write(in.path / "seed.yaml", config_with("cost:\n  usd_per_gpu_hour: {B200: 4.50}\n"));
  auto r = run_cli("--json campaign_init " + quote((in.path / "seed.yaml").string()), t.path);  // positional
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string id = r.envelope()["result"]["campaign"];
  ASSERT_EQ(run_cli("import_perf_bench --campaign " + id + " --cell a --path " +
                        quote((fixtures_dir() / "vllm/sweep-serve").string()), t.path).exit_code, 0);
  ASSERT_EQ(run_cli("atlas_aggregate --campaign " + id, t.path).exit_code, 0);
  auto tpm = run_cli("--json tpm_summary --campaign " + id, t.path);
  ASSERT_EQ(tpm.exit_code, 0) << tpm.err;
  EXPECT_DOUBLE_EQ(tpm.envelope()["result"]["config"]["cost_per_gpu_hour"]["B200"]["usd_per_gpu_hour"].get<double>(), 4.5);
  auto rep = run_cli("report_render --campaign " + id, t.path);
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  json st = load_json(t.path / id / "report_status.json");
  EXPECT_EQ(st["render_status"]["focus"], "throughput");
  EXPECT_EQ(st["focus"], "throughput");

  write(in.path / "bad.yaml", config_with("cost:\n  usd_per_gpu_hour: {B200: -1}\ntpm:\n  tpot_sla_ms: 50\n"));
  auto bad = run_cli("campaign_init --config " + quote((in.path / "bad.yaml").string()), t.path);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("key 'cost.usd_per_gpu_hour.B200': a $/GPU-hour rate must be a finite number > 0"),
            std::string::npos) << bad.err;
  write(in.path / "badtpm.yaml", config_with("tpm:\n  tpot_sla: 50\n"));
  auto badtpm = run_cli("campaign_init --config " + quote((in.path / "badtpm.yaml").string()), t.path);
  EXPECT_EQ(badtpm.exit_code, 1);
  EXPECT_NE(badtpm.err.find("key 'tpm.tpot_sla': unknown key"), std::string::npos) << badtpm.err;
  std::string speed = config_with("");
  speed.replace(speed.find("focus: throughput"), 17, "focus: speed");
  write(in.path / "focus.yaml", speed);
  auto f = run_cli("campaign_init --config " + quote((in.path / "focus.yaml").string()), t.path);
  EXPECT_EQ(f.exit_code, 1);
  EXPECT_NE(f.err.find("focus"), std::string::npos) << f.err;
}

TEST(Config, CaptureWindowIsParsedOrderedAndZoned) {
  EXPECT_EQ(capture_window({"20260428-081917", "2025-10-03T13:13:39.146443"}),
            "2025-10-03 13:13:39..2026-04-28 08:19:17 (local time, zone unknown)");
  EXPECT_EQ(capture_window({"2026-11-27T17:56:24Z", "2026-11-27T18:56:24+02:00", "20261127T100000Z"}),
            "2026-11-27T10:00:00Z..2026-11-27T17:56:24Z (UTC)");
  EXPECT_EQ(capture_window({"20260101-000000", "2026-01-01T00:00:00Z"}),
            "2026-01-01T00:00:00Z..2026-01-01T00:00:00Z (UTC); 2026-01-01 00:00:00..2026-01-01 00:00:00 (local time, zone unknown)");
  EXPECT_EQ(capture_window({"yesterday"}), "unknown");
  auto t = parse_timestamp("2026-11-27T18:56:24+02:00");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->zone_known);
  EXPECT_DOUBLE_EQ(t->seconds, parse_timestamp("2026-11-27T16:56:24Z")->seconds);
}

}  // namespace
}  // namespace ptr::test
