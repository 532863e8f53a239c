// value_view: each rule fires on the data that calls for it, and the levers
// rank by value / cost.
#include "analysis/value_view.hpp"
#include "test_support.hpp"

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

const Lever* find(const std::vector<Lever>& ls, const std::string& id) {
  for (const auto& l : ls)
    if (l.id == id) return &l;
  return nullptr;
}

TEST(ValueView, CleanDataHasNoLever) {
  auto ls = value_view({cell("a", false, {100, 500, 900})}, nullptr);
  EXPECT_TRUE(ls.empty()) << ls.front().id;
  EXPECT_EQ(next_lever_line(ls), "Next lever: none derived from the data (value_view).");
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
  for (size_t i = 1; i < ls.size(); ++i) EXPECT_GE(ls[i - 1].score(), ls[i].score());
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
