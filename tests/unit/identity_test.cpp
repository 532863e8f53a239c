// The one identity: keys, labels of what varies, ties broken by the cell id,
// the cross-campaign comparison key; natural order.
#include "model/identity.hpp"
#include "page_harness.hpp"
#include "util/text.hpp"

namespace ptr::test {
namespace {

TEST(Identity, LabelsShowWhatVariesAndTheModelWhenSeveral) {
  AtlasCell a = sweep_cell({.id = "a", .hardware = "H100", .tp = 8});
  AtlasCell b = sweep_cell({.id = "b", .hardware = "H100", .tp = 4});
  b.data_parallel = 2;
  IdentityLabeler one_model({a, b});
  // Only TP and DP vary: the label is those (DP unknown on a is left out).
  EXPECT_EQ(one_model.label(a), "TP8");
  EXPECT_EQ(one_model.label(b), "TP4 DP2");
  AtlasCell c = a;
  c.cell_id = "c";
  c.model = "Other";
  IdentityLabeler two_models({a, c});
  EXPECT_EQ(two_models.label(a), "M");
  EXPECT_EQ(two_models.label(c), "Other");
  EXPECT_NE(two_models.key(a), two_models.key(c));
}

TEST(Identity, ATieOnTheWholeDescriptorIsBrokenByTheCellId) {
  AtlasCell a = sweep_cell({.id = "arm-a"}), b = sweep_cell({.id = "arm-b"});
  IdentityLabeler l({a, b});
  EXPECT_NE(l.key(a), l.key(b));
  EXPECT_EQ(l.label(a), "H100 FP8 TP8 [arm-a]");
  EXPECT_EQ(l.label(b), "H100 FP8 TP8 [arm-b]");
  // With an arm named, the arm is the difference and no tie is left.
  a.arm = "baseline";
  b.arm = "triton";
  IdentityLabeler named({a, b});
  EXPECT_EQ(named.label(a), "baseline");
  EXPECT_EQ(named.label(b), "triton");
}

TEST(Identity, ExcludingTheFacetJoinsACellsAcrossIt) {
  AtlasCell a = sweep_cell({.id = "a", .mbt = 4096}), b = sweep_cell({.id = "b", .mbt = 8192});
  IdentityLabeler by_mbt({a, b}, {"max_num_batched_tokens"});
  EXPECT_EQ(by_mbt.key(a), by_mbt.key(b));  // one variant across the mbt facet, not a tie
  EXPECT_FALSE(by_mbt.varies("max_num_batched_tokens"));
  IdentityLabeler full({a, b});
  EXPECT_NE(full.key(a), full.key(b));
  EXPECT_EQ(full.label(a), "mbt 4096");
}

TEST(Identity, ComparisonKeyLeavesOutTheStack) {
  AtlasCell a = sweep_cell({.id = "old"}), b = sweep_cell({.id = "new"});
  a.engine_version = "0.10.0";
  b.engine_version = "0.11.2";
  b.delivery = "overlay";
  b.image = "vllm/vllm-openai:v0.11.2";
  EXPECT_EQ(comparison_key(a), comparison_key(b));
  EXPECT_NE(identity_key(a), identity_key(b));
  auto stack = stack_fields(b);
  EXPECT_EQ(stack, (std::vector<std::pair<std::string, std::string>>{{"engine_version", "0.11.2"}, {"delivery", "overlay"}, {"image", "vllm/vllm-openai:v0.11.2"}}));
  b.isl = 4096;  // a different workload never matches
  EXPECT_NE(comparison_key(a), comparison_key(b));
}

TEST(Text, NaturalOrderComparesDigitRunsAsNumbers) {
  EXPECT_TRUE(natural_less("isl1024", "isl4096"));
  EXPECT_TRUE(natural_less("isl4096", "isl15000"));
  EXPECT_FALSE(natural_less("isl15000", "isl4096"));
  EXPECT_TRUE(natural_less("TP2", "TP16"));
  EXPECT_TRUE(natural_less("a", "b"));
  EXPECT_TRUE(natural_less("mbt 8", "mbt 8 x"));
  EXPECT_FALSE(natural_less("x", "x"));
}

}  // namespace
}  // namespace ptr::test
