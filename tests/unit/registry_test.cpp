#include "test_support.hpp"
#include "verbs/registry.hpp"

namespace ptr::test {
namespace {

TEST(Registry, EveryVerbHasSummaryExampleAndParamHelp) {
  ASSERT_FALSE(verb_registry().empty());
  for (const auto& v : verb_registry()) {
    EXPECT_FALSE(v.summary.empty()) << v.name;
    EXPECT_EQ(v.example.rfind("perftunereport " + v.name, 0), 0u) << v.name << ": " << v.example;
    EXPECT_TRUE(v.run) << v.name;
    for (const auto& p : v.params) EXPECT_FALSE(p.help.empty()) << v.name << " --" << p.name;
  }
}

TEST(Registry, DashAliasFindsTheVerb) {
  ASSERT_NE(find_verb("campaign-init"), nullptr);
  EXPECT_EQ(find_verb("campaign-init")->name, "campaign_init");
  EXPECT_EQ(find_verb("nope"), nullptr);
}

TEST(Registry, ArgumentsAreTypeCheckedIntoTheEnvelope) {
  Context ctx;
  ctx.campaigns_root = "/nonexistent-root";
  auto env = run_verb(*find_verb("campaign_init"), json{{"config", 5}}, ctx);
  EXPECT_FALSE(env.ok);
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_EQ(env.error["kind"], "usage");
  auto unknown = run_verb(*find_verb("atlas_aggregate"), json{{"campaign", "x"}, {"bogus", 1}}, ctx);
  EXPECT_NE(unknown.error["message"].get<std::string>().find("no parameter 'bogus'"), std::string::npos);
  auto j = unknown.to_json();
  for (const char* k : {"ok", "verb", "result", "warnings", "error"}) EXPECT_TRUE(j.contains(k)) << k;
}

}  // namespace
}  // namespace ptr::test
