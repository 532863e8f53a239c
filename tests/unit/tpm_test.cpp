// tpm_summary arithmetic with hand-computed expectations.
#include <cmath>

#include "analysis/methodology.hpp"
#include "analysis/tpm.hpp"
#include "analysis/tpm_export.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ptr::test {
namespace {

// One H100 TP8 cell (8 GPUs): out tok/s/GPU 100, 180, 300, 400 at c = 1, 2, 4, 8;
// TTFT 100, 200, 400, 800 ms; TPOT 10, 20, 40, 80 ms; total = 2 x output.
AtlasCell sweep(const std::string& id = "h100-a", bool with_total = true, bool with_decode = true) {
  AtlasCell c;
  c.cell_id = id;
  c.model = "M";
  c.hardware = "H100";
  c.quant = "FP8";
  c.tensor_parallel = 8;
  c.parallel_strategy = "TP";
  c.mtp = false;
  c.engine = "vllm";
  c.max_num_batched_tokens = 8192;
  c.gpus = 8;
  const double out[] = {100, 180, 300, 400}, ttft[] = {100, 200, 400, 800}, tpot[] = {10, 20, 40, 80};
  const long conc[] = {1, 2, 4, 8};
  for (int i = 0; i < 4; ++i) {
    Point p;
    p.concurrency = conc[i];
    p.output_tok_s_per_gpu = out[i];
    p.output_tok_s = out[i] * 8;
    if (with_total) p.total_tok_s = out[i] * 16;
    p.ttft_ms.mean = ttft[i];
    if (with_decode) p.tpot_ms.mean = tpot[i];
    p.num_prompts = 100;
    c.points.push_back(p);
  }
  return c;
}

TpmConfig config(double ttft, double tpot) {
  TpmConfig cfg = discover_tpm_config(json::object(), json::object(), "test");
  cfg.ttft_sla_ms = ttft;
  cfg.tpot_sla_ms = tpot;
  return cfg;
}

TEST(Tpm, PeakIsTheHighestMeasuredThroughput) {
  auto g = compute_tpm({sweep()}, config(2000, 50));
  ASSERT_EQ(g.size(), 1u);
  ASSERT_TRUE(g[0].peak);
  EXPECT_DOUBLE_EQ(g[0].peak->concurrency, 8);
  EXPECT_DOUBLE_EQ(*g[0].peak->basis.output_tpm_per_gpu, 24000);
  EXPECT_DOUBLE_EQ(*g[0].peak->basis.total_tpm_per_gpu, 48000);
}

TEST(Tpm, SlaInterpolatesOnLog2ConcurrencyAtTheBindingLimit) {
  auto g = compute_tpm({sweep()}, config(2000, 50));
  ASSERT_TRUE(g[0].sla);
  const TpmPoint& s = *g[0].sla;
  // c=4 meets (TPOT 40), c=8 breaks TPOT (80): t = (50-40)/(80-40) = 0.25.
  EXPECT_TRUE(s.interpolated);
  EXPECT_EQ(s.binding_constraint, "tpot");
  EXPECT_EQ(g[0].sla_status, "interpolated");
  EXPECT_NEAR(s.concurrency, std::pow(2.0, 2.25), 1e-12);  // 4.7568
  EXPECT_DOUBLE_EQ(s.output_tok_s_per_gpu, 325);
  EXPECT_DOUBLE_EQ(*s.tpot_ms, 50);
  EXPECT_DOUBLE_EQ(*s.ttft_ms, 500);
  EXPECT_DOUBLE_EQ(*s.basis.output_tpm_per_gpu, 19500);
  EXPECT_DOUBLE_EQ(*s.basis.output_tpm_per_replica, 156000);  // TP8 x PP1
  EXPECT_DOUBLE_EQ(*s.basis.output_tpm_per_node, 156000);     // 8 GPUs/node
  EXPECT_DOUBLE_EQ(*s.basis.total_tpm_per_gpu, 39000);
  EXPECT_NEAR(*s.basis.usd_per_1m_output_tokens, 6.16 / (325.0 * 3600) * 1e6, 1e-12);  // $5.2650
  EXPECT_NEAR(*s.basis.usd_per_1m_total_tokens, 6.16 / (650.0 * 3600) * 1e6, 1e-12);
}

TEST(Tpm, PowerAndTokensPerWattFollowThePointWindowsElseTheCellMean) {
  AtlasCell cell = sweep();
  // Per-point power (dcgm_correlate with point windows) at c=4 and c=8.
  cell.extra["dcgm_correlation"] = {{"power_watts_per_gpu", 500.0},
                                    {"points", {{{"concurrency", 4}, {"power_watts_per_gpu", 400.0}},
                                                {{"concurrency", 8}, {"power_watts_per_gpu", 600.0}}}}};
  auto g = compute_tpm({cell}, config(2000, 50));
  // SLA at t = 0.25 between c=4 and c=8: 400 + 0.25 x 200 = 450 W; 325 tok/s / 450 W.
  ASSERT_TRUE(g[0].sla && g[0].sla->power_watts_per_gpu);
  EXPECT_DOUBLE_EQ(*g[0].sla->power_watts_per_gpu, 450);
  EXPECT_DOUBLE_EQ(*g[0].sla->tokens_per_watt, 325.0 / 450);
  EXPECT_EQ(g[0].sla->power_basis, "point window");
  // Peak at c=8: its own window, 400 tok/s / 600 W.
  EXPECT_DOUBLE_EQ(*g[0].peak->power_watts_per_gpu, 600);
  EXPECT_DOUBLE_EQ(*g[0].peak->tokens_per_watt, 400.0 / 600);
  // Without point windows the cell's bench-window mean is used, and said.
  cell.extra["dcgm_correlation"].erase("points");
  g = compute_tpm({cell}, config(2000, 50));
  EXPECT_DOUBLE_EQ(*g[0].sla->power_watts_per_gpu, 500);
  EXPECT_EQ(g[0].sla->power_basis, "cell window mean");
  auto rows = tpm_rows(g);
  EXPECT_DOUBLE_EQ(rows[1]["tokens_per_watt"].get<double>(), 325.0 / 500);
  EXPECT_EQ(rows[1]["power_basis"], "cell window mean");
  // No capture: null, never 0.
  g = compute_tpm({sweep()}, config(2000, 50));
  EXPECT_FALSE(g[0].sla->power_watts_per_gpu.has_value());
  EXPECT_TRUE(tpm_rows(g)[1]["tokens_per_watt"].is_null());
}

TEST(Tpm, TtftCanBeTheBindingLimit) {
  auto g = compute_tpm({sweep()}, config(600, 1000));
  // c=4 TTFT 400 meets, c=8 TTFT 800 breaks: t = (600-400)/(800-400) = 0.5.
  ASSERT_TRUE(g[0].sla);
  EXPECT_EQ(g[0].sla->binding_constraint, "ttft");
  EXPECT_DOUBLE_EQ(g[0].sla->output_tok_s_per_gpu, 350);
  EXPECT_NEAR(g[0].sla->concurrency, std::pow(2.0, 2.5), 1e-12);
}

TEST(Tpm, ExactHitIsNotInterpolated) {
  auto g = compute_tpm({sweep()}, config(2000, 40));
  ASSERT_TRUE(g[0].sla);
  EXPECT_FALSE(g[0].sla->interpolated);
  EXPECT_EQ(g[0].sla_status, "met");
  EXPECT_DOUBLE_EQ(g[0].sla->concurrency, 4);
  EXPECT_DOUBLE_EQ(g[0].sla->output_tok_s_per_gpu, 300);
}

TEST(Tpm, BelowAndAboveTheSweepAreReportedNotExtrapolated) {
  auto below = compute_tpm({sweep()}, config(50, 1000));
  EXPECT_FALSE(below[0].sla);
  EXPECT_EQ(below[0].sla_status, "below sweep");
  auto above = compute_tpm({sweep()}, config(5000, 1000));
  ASSERT_TRUE(above[0].sla);
  EXPECT_EQ(above[0].sla_status, "above sweep");
  EXPECT_EQ(above[0].sla->range_note, "above sweep");
  EXPECT_DOUBLE_EQ(above[0].sla->concurrency, 8);  // the highest tested, not beyond
}

TEST(Tpm, NoDecodeMetricLeavesTheSlaUnsetWithAReason) {
  auto g = compute_tpm({sweep("a", true, false)}, config(2000, 50));
  EXPECT_FALSE(g[0].sla);
  EXPECT_EQ(g[0].sla_status, "no decode metric");
  EXPECT_NE(g[0].sla_reason.find("TPOT/ITL"), std::string::npos);
  ASSERT_TRUE(g[0].peak);  // the peak needs no SLA
}

TEST(Tpm, ReplicaAndNodeBasesAndMissingTotal) {
  AtlasCell c = sweep("tp2", false);
  c.tensor_parallel = 2;
  c.pipeline_parallel = 2;
  TpmConfig cfg = config(2000, 50);
  cfg.gpus_per_node = 4;
  auto g = compute_tpm({c}, cfg);
  ASSERT_TRUE(g[0].peak);
  EXPECT_DOUBLE_EQ(*g[0].peak->basis.output_tpm_per_replica, 24000 * 4);  // TP2 x PP2
  EXPECT_DOUBLE_EQ(*g[0].peak->basis.output_tpm_per_node, 24000 * 4);
  EXPECT_FALSE(g[0].peak->basis.total_tpm_per_gpu.has_value());
  EXPECT_FALSE(g[0].peak->basis.usd_per_1m_total_tokens.has_value());
  auto rows = tpm_rows(g);
  EXPECT_TRUE(rows[0]["total_tpm_per_node"].is_null());
  EXPECT_NE(tpm_csv(g).find(",,"), std::string::npos);  // n/a is an empty CSV cell
}

TEST(Tpm, CostDefaultsOverlayAndGb300Estimate) {
  TpmConfig cfg = discover_tpm_config(json{{"ttft_sla_ms", 1500}},
                                      json{{"H100", 5.0}, {"MI300X", {{"usd_per_gpu_hour", 4.0}, {"estimate", true}}}}, "c.yaml");
  EXPECT_DOUBLE_EQ(cfg.ttft_sla_ms, 1500);
  EXPECT_DOUBLE_EQ(cfg.tpot_sla_ms, 50);
  EXPECT_DOUBLE_EQ(cfg.cost.at("H100").usd_per_gpu_hour, 5.0);
  EXPECT_EQ(cfg.cost.at("H100").source, "config");
  EXPECT_DOUBLE_EQ(cfg.cost.at("H200").usd_per_gpu_hour, 6.31);
  EXPECT_DOUBLE_EQ(cfg.cost.at("B200").usd_per_gpu_hour, 8.60);
  EXPECT_DOUBLE_EQ(cfg.cost.at("GB300").usd_per_gpu_hour, 12.00);
  EXPECT_TRUE(cfg.cost.at("GB300").estimate);
  EXPECT_TRUE(cfg.cost.at("MI300X").estimate);
  // The estimate note appears only when a row uses GB300.
  auto flagged = [&](const std::vector<TpmGroup>& groups) {
    bool f = false;
    for (const auto& c : tpm_caveats(cfg, groups)) f = f || c.find("GB300 at $12.00/GPU-hour is an ESTIMATE") != std::string::npos;
    return f;
  };
  TpmGroup gb300, h100;
  gb300.hardware = "GB300";
  gb300.cost = cfg.cost.at("GB300");
  h100.hardware = "H100";
  h100.cost = cfg.cost.at("H100");
  EXPECT_TRUE(flagged({h100, gb300}));
  EXPECT_FALSE(flagged({h100}));
  EXPECT_THROW(discover_tpm_config(json::object(), json{{"H100", "cheap"}}, "c.yaml"), Error);
  EXPECT_THROW(discover_tpm_config(json{{"sla_percentile", "p42"}}, json::object(), "c.yaml"), Error);
}

TEST(Tpm, PercentileSelectsTheStatistic) {
  AtlasCell c = sweep();
  for (auto& p : c.points) {
    p.tpot_ms.p99 = *p.tpot_ms.mean * 2;  // p99 TPOT 20, 40, 80, 160
    p.ttft_ms.p99 = *p.ttft_ms.mean;
  }
  TpmConfig cfg = config(2000, 50);
  cfg.sla_percentile = "p99";
  auto g = compute_tpm({c}, cfg);
  // c=2 (40) meets, c=4 (80) breaks: t = (50-40)/(80-40) = 0.25 -> 180 + 0.25 x 120 = 210.
  ASSERT_TRUE(g[0].sla);
  EXPECT_DOUBLE_EQ(g[0].sla->output_tok_s_per_gpu, 210);
}

TEST(Methodology, UnknownFieldsAndMismatchedComparisons) {
  AtlasCell a = sweep("a"), b = sweep("b");
  b.max_num_batched_tokens = 4096;
  a.isl = 1024;
  b.isl = 2048;  // differs within the group, where only mbt should vary
  auto problems = methodology_problems({a, b});
  bool isl_mismatch = false, dataset_unknown = false;
  for (const auto& p : problems) {
    if (p.kind == "descriptor_mismatch" && p.field == "isl") isl_mismatch = true;
    if (p.kind == "unknown_field" && p.field == "dataset" && p.scope == "a") dataset_unknown = true;
  }
  EXPECT_TRUE(isl_mismatch);
  EXPECT_TRUE(dataset_unknown);
}

}  // namespace
}  // namespace ptr::test
