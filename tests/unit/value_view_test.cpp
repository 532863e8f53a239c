// value_view: each rule fires on the data that calls for it, the levers rank
// by value / cost, refuted ones say why they lost, the config's frontier:
// block joins them, and the frontier is empty only at a documented wall.
#include "analysis/value_view.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ptr::test {
namespace {

AtlasCell cell(const std::string& id, bool mtp, const std::vector<double>& out, long trials = 1) {
  AtlasCell c;
  c.cell_id = id;
  c.model = "M";
  c.hardware = "H100";
  c.quant = "FP8";
  c.tensor_parallel = 8;
  c.parallel_strategy = "TP";
  c.mtp = mtp;
  c.gpus = 8;
  c.status = "full";
  c.sol_rigor = "L3";
  const long conc[] = {1, 8, 64};
  for (int i = 0; i < 3; ++i) {
    Point p;
    p.concurrency = conc[i];
    p.output_tok_s_per_gpu = out[i];
    p.output_tok_s = out[i] * 8;
    p.num_prompts = 1000;
    p.completed = 1000;
    p.trials = trials;
    c.points.push_back(p);
  }
  return c;
}

const Lever* find(const Frontier& f, const std::string& id) {
  for (const auto* list : {&f.levers, &f.refuted})
    for (const auto& l : *list)
      if (l.id == id) return &l;
  return nullptr;
}

TEST(ValueView, CleanDataWithoutAWallAsksForTheWall) {
  auto f = value_view({cell("a", false, {100, 500, 900})}, nullptr);
  ASSERT_EQ(f.levers.size(), 1u);
  EXPECT_EQ(f.levers[0].id, "find_sol_wall");
  EXPECT_TRUE(f.wall.empty());
  // A declared wall ends the grind: the frontier may then be empty.
  Frontier declared = declared_frontier(json{{"wall", "decode at 91 % of HBM on H100 (sweep of 2026-11-02)"}}, "config.yaml");
  f = value_view({cell("a", false, {100, 500, 900})}, nullptr, declared);
  EXPECT_TRUE(f.levers.empty());
  EXPECT_EQ(next_lever_line(f),
            "Next lever: none — the frontier ends at the speed-of-light wall: decode at 91 % of HBM on H100 (sweep of 2026-11-02) (value_view).");
  EXPECT_NE(handoff_markdown(f, "c").find("## Speed-of-light wall\n\ndecode at 91 % of HBM"), std::string::npos);
}

TEST(ValueView, DeclaredLeversJoinTheRankingAndRefutedOnesSayWhy) {
  json block = {{"levers",
                 {{{"name", "EAGLE-3 draft head"}, {"expected_unlock", "+12 % tok/s/user at c<=16"}, {"cost", 2}, {"gate", "TPOT at c=8"}, {"value", 0.9}},
                  {{"name", "max_num_seqs 512"}, {"expected_unlock", "more batch"}, {"cost", 1}, {"gate", "c=256"}, {"status", "refuted"},
                   {"why", "KV cache full at c=128"}}}}};
  Frontier f = value_view({cell("a", false, {100, 500, 900})}, nullptr, declared_frontier(block, "config.yaml"));
  ASSERT_EQ(f.levers.size(), 1u);  // the declared lever; no "find the wall" beside an open lever
  EXPECT_EQ(f.levers[0].title, "EAGLE-3 draft head");
  EXPECT_EQ(f.levers[0].source, "config");
  EXPECT_DOUBLE_EQ(f.levers[0].score(), 0.45);
  ASSERT_EQ(f.refuted.size(), 1u);
  EXPECT_EQ(f.refuted[0].why_lost, "KV cache full at c=128");
  json j = frontier_to_json(f);
  EXPECT_EQ(j["refuted"][0]["why_lost"], "KV cache full at c=128");
  EXPECT_TRUE(j["wall"].is_null());
  // A malformed block names the key.
  for (const auto& [bad, key] : std::vector<std::pair<json, std::string>>{
           {json{{"levers", {{{"name", "x"}, {"expected_unlock", "y"}, {"gate", "z"}}}}}, "frontier.levers[0].cost"},
           {json{{"levers", {{{"name", "x"}, {"expected_unlock", "y"}, {"gate", "z"}, {"cost", 9}}}}}, "frontier.levers[0].cost"},
           {json{{"levers", {{{"name", "x"}, {"expected_unlock", "y"}, {"gate", "z"}, {"cost", 1}, {"status", "refuted"}}}}}, "frontier.levers[0].why"},
           {json{{"levers", {{{"name", "x"}, {"expected_unlock", "y"}, {"gate", "z"}, {"cost", 1}, {"colour", "red"}}}}}, "frontier.levers[0].colour"},
           {json{{"wal", "typo"}}, "frontier.wal"},
           {json::array(), "frontier"}}) {
    try {
      declared_frontier(bad, "config.yaml");
      ADD_FAILURE() << bad.dump();
    } catch (const Error& e) {
      EXPECT_EQ(e.key, key) << bad.dump();
      EXPECT_EQ(e.file, "config.yaml");
    }
  }
}

TEST(ValueView, EachRuleFires) {
  // MTP wins at low concurrency and loses at high: split the tiers.
  std::vector<AtlasCell> cells = {cell("no-mtp", false, {100, 500, 900}), cell("mtp", true, {150, 560, 700})};
  cells.push_back(cell("broken", false, {100, 500, 900}));
  cells.back().quant = "BF16";
  cells.back().status = "partial";
  cells.back().sol_rigor = "none";                      // no telemetry
  cells.back().points[2].num_prompts = 64;              // 64 prompts at c=64: undercounted
  cells.back().points[2].steady_window_undercount = true;
  cells.back().points[1].trials = 3;
  cells.back().points[1].spread = {{"output_tok_s", 0.2 * 4000}, {"n", 3}};  // CV 20 %
  auto ls = value_view(cells, nullptr);
  const Lever* split = find(ls, "split_tiers_mtp");
  ASSERT_NE(split, nullptr);
  EXPECT_NE(split->evidence.find("between c=1 and c=64"), std::string::npos) << split->evidence;
  EXPECT_NE(split->unlock.find("up to 50 %"), std::string::npos) << split->unlock;  // 150 vs 100 at c=1
  ASSERT_NE(find(ls, "rerun_failed"), nullptr);
  EXPECT_NE(find(ls, "rerun_failed")->evidence.find("broken"), std::string::npos);
  ASSERT_NE(find(ls, "rerun_undercount"), nullptr);
  EXPECT_NE(find(ls, "rerun_undercount")->evidence.find("broken c=64"), std::string::npos);
  ASSERT_NE(find(ls, "more_trials"), nullptr);
  EXPECT_NE(find(ls, "more_trials")->evidence.find("CV 20 %"), std::string::npos);
  ASSERT_NE(find(ls, "capture_telemetry"), nullptr);
  EXPECT_NE(find(ls, "capture_telemetry")->evidence.find("1 of 3"), std::string::npos);
  // Ranked by value / cost: the split (0.5 / 2 = 0.25) after the telemetry (0.35 / 1).
  for (size_t i = 1; i < ls.levers.size(); ++i) EXPECT_GE(ls.levers[i - 1].score(), ls.levers[i].score());
}

// Tested and lost: MTP leads everywhere (no tier to split); a decode sweep at
// the memory roof documents the wall.
TEST(ValueView, RefutedLeversAndTheWallFromTheData) {
  Frontier f = value_view({cell("no-mtp", false, {100, 500, 900}), cell("mtp", true, {150, 560, 990})}, nullptr);
  ASSERT_EQ(f.refuted.size(), 1u);
  EXPECT_EQ(f.refuted[0].id, "split_tiers_mtp");
  EXPECT_EQ(f.refuted[0].why_lost, "mtp leads at every shared concurrency (by 10-50 % output tok/s/GPU): no tier to split");
  AtlasCell sweep;
  sweep.cell_id = "h100-decode";
  sweep.hardware = "H100";
  sweep.sweep_kind = "decode";
  for (double tb : {2.6, 3.0}) {
    Point p;
    p.concurrency = tb < 2.8 ? 1 : 64;
    p.extra["roofline"] = {{"delivered_hbm_tb_s_per_gpu", tb}};
    sweep.points.push_back(p);
  }
  SolCeilings ceilings = load_sol_ceilings(source_dir());
  f = value_view({sweep}, &ceilings);
  EXPECT_EQ(f.wall, "h100-decode: decode at 78-90 % of the H100 HBM datasheet (roofline sweep, page 7)");  // 2.6 and 3.0 of 3.35
  ASSERT_NE(find(f, "decode_hbm_gap"), nullptr);
  EXPECT_NE(find(f, "decode_hbm_gap")->why_lost.find("78-90 %"), std::string::npos);
}

TEST(ValueView, DecodeBelowSeventyFivePercentOfHbm) {
  AtlasCell sweep;
  sweep.cell_id = "h100-decode";
  sweep.hardware = "H100";
  sweep.sweep_kind = "decode";
  sweep.status = "full";
  Point p;
  p.concurrency = 1;
  p.extra["roofline"] = {{"delivered_hbm_tb_s_per_gpu", 2.12}};
  sweep.points.push_back(p);
  SolCeilings ceilings = load_sol_ceilings(source_dir());  // configs/sol-ceilings.yaml: H100 3.35 TB/s
  auto ls = value_view({sweep}, &ceilings);
  const Lever* gap = find(ls, "decode_hbm_gap");
  ASSERT_NE(gap, nullptr);
  EXPECT_NE(gap->evidence.find("c=1 delivers 63 %"), std::string::npos) << gap->evidence;  // 2.12 / 3.35
  EXPECT_NE(gap->unlock.find("up to 19 %"), std::string::npos) << gap->unlock;            // 75 / 63.3 - 1
}

}  // namespace
}  // namespace ptr::test
