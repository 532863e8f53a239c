// champion_select: Welch's t-test against a hand computation, the operating
// point shared with tpm_summary, every DRAFT gate, flags that contradict the
// data, and the SLO sensitivity flip.
#include <cmath>

#include "analysis/champion.hpp"
#include "analysis/significance.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ptr::test {
namespace {

// A cell of 8 GPUs: out tok/s/GPU `out[i]` and mean TPOT `tpot[i]` at c = 1, 2, 4, 8;
// 3 trials with an output tok/s std of 8 x `sd` (so `sd` per GPU).
AtlasCell arm(const std::string& id, const std::vector<double>& out, const std::vector<double>& tpot, double sd = 5, long trials = 3) {
  AtlasCell c;
  c.cell_id = id;
  c.model = "M";
  c.hardware = "H100";
  c.quant = "FP8";
  c.tensor_parallel = 8;
  c.parallel_strategy = "TP";
  c.mtp = false;
  c.engine = id.find("sglang") != std::string::npos ? "sglang" : "vllm";
  c.arm = id;
  c.gpus = 8;
  c.dataset = "random";
  const long conc[] = {1, 2, 4, 8};
  for (int i = 0; i < 4; ++i) {
    Point p;
    p.concurrency = conc[i];
    p.output_tok_s_per_gpu = out[i];
    p.output_tok_s = out[i] * 8;
    p.ttft_ms.mean = 100;
    p.tpot_ms.mean = tpot[i];
    p.num_prompts = 100;
    p.trials = trials;
    p.spread = {{"output_tok_s", sd * 8}, {"tpot_ms_mean", 0.5}, {"n", trials}};
    c.points.push_back(p);
  }
  return c;
}

ChampionConfig config(double tpot_slo) {
  ChampionConfig cfg;
  cfg.tpm = discover_tpm_config(json::object(), json::object(), "test");
  cfg.tpm.tpot_sla_ms = tpot_slo;
  cfg.baseline = "baseline";
  return cfg;
}

TEST(Welch, MatchesAHandComputation) {
  // A = {10, 12, 14}, B = {20, 22, 24}: t = -10 / sqrt(4/3 + 4/3) = -6.1237, df = 4;
  // two-sided p = 0.0036022 (numerical integration of the t density).
  auto w = welch_t_test(12, 2, 3, 22, 2, 3);
  ASSERT_TRUE(w);
  EXPECT_NEAR(w->t, -6.123724356957945, 1e-12);
  EXPECT_NEAR(w->df, 4.0, 1e-12);
  EXPECT_NEAR(w->p_two_sided, 0.0036022326, 1e-8);
  EXPECT_DOUBLE_EQ(student_t_cdf(0, 7), 0.5);
  EXPECT_FALSE(welch_t_test(1, 1, 1, 2, 1, 3));  // one trial: nothing to test
  EXPECT_FALSE(welch_t_test(1, 0, 3, 2, 0, 3));  // no spread at all
}

TEST(Champion, RanksAtTheTpmOperatingPointWithDeltaAndSignificance) {
  // Baseline: TPOT crosses 50 ms between c=4 (40) and c=8 (80): t = 0.25 -> 300 + 0.25 x 100 = 325 tok/s/GPU.
  std::vector<AtlasCell> cells = {arm("baseline", {100, 180, 300, 400}, {10, 20, 40, 80}),
                                  arm("variant-sglang", {110, 200, 340, 460}, {10, 20, 40, 80}),
                                  arm("variant-b", {90, 170, 280, 380}, {10, 20, 40, 80})};
  ChampionResult r = select_champion(cells, config(50));
  ASSERT_EQ(r.ranked.size(), 3u);
  EXPECT_EQ(r.champion, "variant-sglang");
  EXPECT_EQ(r.runner_up, "baseline");
  const auto& base = r.ranked[1];
  EXPECT_DOUBLE_EQ(*base.score, 325);  // the same number as tpm_summary's SLA point
  const auto& champ = r.ranked[0];
  EXPECT_DOUBLE_EQ(*champ.score, 340 + 0.25 * 120);
  EXPECT_NEAR(*champ.delta_pct, (370.0 - 325) / 325 * 100, 1e-9);
  EXPECT_NEAR(*r.margin_pct, (370.0 - 325) / 325 * 100, 1e-9);
  EXPECT_EQ(champ.binding, "tpot");
  EXPECT_EQ(champ.engine, "sglang");  // ranked across engines
  ASSERT_TRUE(champ.vs_baseline);
  auto w = welch_t_test(370, 5, 3, 325, 5, 3);
  EXPECT_DOUBLE_EQ(champ.vs_baseline->p_two_sided, w->p_two_sided);
  EXPECT_LT(champ.vs_baseline->p_two_sided, 0.05);
  // Per concurrency: c=8 is +15 % (460 vs 400).
  bool seen = false;
  for (const auto& row : champ.per_concurrency)
    if (row["concurrency"] == 8) {
      seen = true;
      EXPECT_NEAR(row["delta_pct"].get<double>(), 15.0, 1e-9);
      // Its spread from both arms (std 5 on 460 and on 400): 100 x 1.15 x sqrt((5/460)^2 + (5/400)^2) = 1.90497 %.
      EXPECT_NEAR(row["delta_pct_std"].get<double>(), 1.904969, 1e-6);
    }
  EXPECT_TRUE(seen);
}

// Beside A/B arms a sweep cell of the campaign is not a candidate; a campaign
// without arms ranks every serving cell.
TEST(Champion, AnAbCampaignRanksItsArmsOnly) {
  AtlasCell sweep = arm("b200-sweep", {500, 900, 1500, 2000}, {10, 20, 40, 80});
  sweep.arm.reset();
  std::vector<AtlasCell> cells = {arm("baseline", {100, 180, 300, 400}, {10, 20, 40, 80}),
                                  arm("variant", {110, 200, 340, 460}, {10, 20, 40, 80}), sweep};
  ChampionResult r = select_champion(cells, config(50));
  ASSERT_EQ(r.ranked.size(), 2u);
  EXPECT_EQ(r.champion, "variant");
  for (auto& c : cells) c.arm.reset();
  r = select_champion(cells, config(50));
  ASSERT_EQ(r.ranked.size(), 3u);
  EXPECT_EQ(r.champion, "b200-sweep");
}

TEST(Champion, EveryGateNamedUntilAllHoldThenVerdict) {
  std::vector<AtlasCell> cells = {arm("baseline", {100, 180, 300, 400}, {10, 20, 40, 80}),
                                  arm("variant", {110, 200, 340, 460}, {10, 20, 40, 80}, 5, 2)};
  ChampionResult r = select_champion(cells, config(50));
  EXPECT_EQ(r.tier, "draft");
  std::string all;
  for (const auto& g : r.unmet_gates) all += g + "\n";
  for (const char* gate : {"trials: 2", "same node: not recorded", "workloads: the suite lacks aa, sonnet, sharegpt, code",
                           "accuracy gate: unknown", "sol_rigor is none"})
    EXPECT_NE(all.find(gate), std::string::npos) << gate << "\n" << all;
  // Flags that contradict the data are errors.
  ChampionConfig cfg = config(50);
  cfg.trials = 3;
  EXPECT_THROW(select_champion(cells, cfg), Error);
  cells[0].node = "node-a";
  cells[1].node = "node-b";
  cfg = config(50);
  cfg.same_node = true;
  EXPECT_THROW(select_champion(cells, cfg), Error);
  cfg = config(50);
  cfg.workloads_present = std::vector<std::string>{"random", "sonnet"};
  EXPECT_THROW(select_champion(cells, cfg), Error);  // the cells measured random only
  // Everything in place: a VERDICT.
  cells = {arm("baseline", {100, 180, 300, 400}, {10, 20, 40, 80}), arm("variant", {110, 200, 340, 460}, {10, 20, 40, 80})};
  for (auto& c : cells) c.node = "node-a", c.sol_rigor = "L3";
  cfg = config(50);
  cfg.required_workloads = {"random"};
  cfg.accuracy_gate = "pass";
  r = select_champion(cells, cfg);
  EXPECT_TRUE(r.unmet_gates.empty()) << r.unmet_gates.front();
  EXPECT_EQ(r.tier, "verdict");
}

TEST(Champion, ThePickCanFlipWhenTheSloMoves) {
  // The variant is faster at high concurrency but its TPOT grows faster: at a
  // tight SLO the baseline serves more.
  std::vector<AtlasCell> cells = {arm("baseline", {100, 180, 300, 400}, {10, 20, 30, 60}),
                                  arm("variant", {100, 190, 360, 480}, {10, 20, 45, 70})};
  // SLO 50: baseline 300 + 2/3 x 100 = 366.7, variant 360 + 0.2 x 120 = 384; SLO 40: 333.3 vs 190 + 0.8 x 170 = 326.
  ChampionResult r = select_champion(cells, config(50));
  EXPECT_EQ(r.champion, "variant");
  EXPECT_EQ(r.sensitivity["tighter_20pct"]["pick"], "baseline");
  EXPECT_FALSE(r.sensitivity["survives"].get<bool>());
}

TEST(Champion, LatencyFocusComparesTpotAtTheBaselinesOperatingConcurrency) {
  std::vector<AtlasCell> cells = {arm("baseline", {100, 180, 300, 400}, {10, 20, 40, 80}),
                                  arm("variant", {100, 180, 300, 400}, {9, 18, 36, 90})};
  ChampionConfig cfg = config(50);
  cfg.focus = "latency";
  ChampionResult r = select_champion(cells, cfg);
  EXPECT_EQ(r.champion, "variant");
  EXPECT_DOUBLE_EQ(r.ranked[0].at_concurrency, 4);  // the baseline's highest c within the SLO
  EXPECT_DOUBLE_EQ(*r.ranked[0].score, 36);
  EXPECT_NEAR(*r.ranked[0].delta_pct, 10, 1e-9);  // 4 ms less than 40
}

}  // namespace
}  // namespace ptr::test
