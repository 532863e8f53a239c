// import_variant_ab + champion_select on the real FlashSampling A/B
// (acceptance/flashsampling: gpt-oss-120b on one H100, baseline and two
// sampler variants, 3 runs per point). The arm.yaml files are written in a
// temp bundle whose arm folders link to the shared sweep trees.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

struct AbCampaign {
  TempDir root;
  std::string id;
  fs::path bundle;
  AbCampaign() {
    fs::path cfg = root.path / "c.yaml";
    std::ofstream(cfg) << "name: ab\nverdict_tier: verdict\ncells: []\n";  // every cell comes from the bundle
    auto init = run_cli("--json campaign_init --config " + quote(cfg.string()), root.path);
    EXPECT_EQ(init.exit_code, 0) << init.err;
    id = init.envelope()["result"]["campaign"];
    bundle = root.path / "fs";
    fs::path shared = acceptance_dir() / "flashsampling/gpt-oss-120b";
    for (const char* a : {"baseline", "fmms-triton", "fmms-flashinfer"}) {
      fs::create_directories(bundle / a);
      for (const auto& e : fs::directory_iterator(shared / a)) fs::create_directory_symlink(e.path(), bundle / a / e.path().filename());
    }
  }
  void write_arm(const std::string& a) const {
    std::ofstream(bundle / a / "arm.yaml") << "model: gpt-oss-120b\nhf_path: openai/gpt-oss-120b\nhardware: H100\nquant: MXFP4\n"
                                              "tensor_parallel: 1\nparallel_strategy: TP\nmtp: false\nengine: vllm\n"
                                              "engine_version: \"0.15.1\"\nengine_commit: 48a0bb9\ndelivery: overlay\n"
                                              "knob: sampler=" << (a == "baseline" ? "default" : a)
                                           << "\nserving_flags: [--max-model-len, \"1024\", --no-enable-prefix-caching]\n";
  }
};

TEST(ImportVariantAb, ArmsWithoutArmYamlAreRefusedNamingTheFile) {
  AbCampaign c;
  c.write_arm("baseline");
  auto r = run_cli("import_variant_ab --campaign ab --bundle " + quote(c.bundle.string()), c.root.path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("write " + (c.bundle / "fmms-flashinfer/arm.yaml").string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find((c.bundle / "fmms-triton/arm.yaml").string()), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(c.root.path / c.id / "cells/fs-baseline"));  // nothing imported
  std::ofstream(c.bundle / "fmms-triton/arm.yaml") << "model: x\nsampler: triton\n";
  c.write_arm("fmms-flashinfer");
  auto typo = run_cli("import_variant_ab --campaign ab --bundle " + quote(c.bundle.string()), c.root.path);
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_NE(typo.err.find("unknown key 'sampler'"), std::string::npos) << typo.err;
}

TEST(ImportVariantAb, FlashSamplingArmsBecomeCellsAndTheChampionIsPicked) {
  AbCampaign c;
  for (const char* a : {"baseline", "fmms-triton", "fmms-flashinfer"}) c.write_arm(a);
  auto r = run_cli("--json import_variant_ab --campaign ab --bundle " + quote(c.bundle.string()), c.root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json arms = r.envelope()["result"]["arms"];
  ASSERT_EQ(arms.size(), 3u);
  EXPECT_EQ(arms[0]["cell"], "fs-baseline");
  json cell = load_json(c.root.path / c.id / "cells/fs-fmms-flashinfer/normalized.json");
  EXPECT_EQ(cell["arm"], "fmms-flashinfer");
  EXPECT_EQ(cell["knob"], "sampler=fmms-flashinfer");
  EXPECT_EQ(cell["engine"], "vllm");
  EXPECT_EQ(cell["engine_version"], "0.15.1 (48a0bb9)");
  EXPECT_EQ(cell["delivery"], "overlay");
  EXPECT_EQ(cell["extra"]["serving_flags"][0], "--max-model-len");
  ASSERT_EQ(cell["points"].size(), 9u);
  for (const auto& p : cell["points"]) EXPECT_EQ(p["trials"], 3);  // the sweep's three runs kept as trials
  ASSERT_EQ(run_cli("atlas_aggregate --campaign ab", c.root.path).exit_code, 0);
  auto ch = run_cli("--json champion_select --campaign ab --tpot-slo-ms 30", c.root.path);
  ASSERT_EQ(ch.exit_code, 0) << ch.err;
  json res = ch.envelope()["result"];
  EXPECT_EQ(res["baseline"], "fs-baseline");  // the arm named baseline
  EXPECT_EQ(res["champion"], "fs-fmms-flashinfer");
  EXPECT_EQ(res["runner_up"], "fs-fmms-triton");
  EXPECT_EQ(res["tier"], "draft");
  // The config claims a verdict: recorded as draft, with the unmet gates as the reason.
  EXPECT_EQ(res["verdict_tier_claimed"], "verdict");
  EXPECT_EQ(res["verdict_tier"], "draft");
  EXPECT_NE(res["downgrade_reason"].get<std::string>().find("accuracy gate: unknown"), std::string::npos);
  const json& top = res["ranked"][0];
  EXPECT_EQ(top["binding"], "tpot");
  EXPECT_NEAR(top["delta_pct_vs_baseline"].get<double>(), 35.7, 0.05);
  EXPECT_LT(top["welch"]["p_two_sided"].get<double>(), 0.01);  // significant
  EXPECT_GT(res["ranked"][1]["welch"]["p_two_sided"].get<double>(), 0.05);  // triton's +3 % is noise
  EXPECT_TRUE(res["sensitivity"]["survives"].get<bool>());
  std::ifstream md(c.root.path / c.id / "CHAMPION.md");
  std::string text((std::istreambuf_iterator<char>(md)), {});
  EXPECT_NE(text.find("**DRAFT — RECOMMENDED FOR PRODUCTION: `fs-fmms-flashinfer`** (vllm, delivery overlay"), std::string::npos) << text;
  EXPECT_NE(text.find("accuracy gate: unknown"), std::string::npos);
  // Page 8 draws it.
  auto render = run_cli("report_render --campaign ab --pages page8", c.root.path);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  std::string page;
  if (FILE* p = popen(("pdftotext " + quote((c.root.path / c.id / "report.pdf").string()) + " - 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) page.append(buf, n);
    pclose(p);
  }
  EXPECT_NE(page.find("DRAFT — RECOMMENDED FOR PRODUCTION: fs-fmms-flashinfer"), std::string::npos) << page;
  EXPECT_NE(page.find("the champion leads by 31.6 %"), std::string::npos) << page;
  EXPECT_NE(page.find("accuracy gate: unknown"), std::string::npos);
  // A flag contradicting the data is an error.
  auto bad = run_cli("champion_select --campaign ab --tpot-slo-ms 30 --trials 5", c.root.path);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--trials 5 contradicts the data"), std::string::npos) << bad.err;
}

// baseline_diff: the same configuration measured with the FlashSampling
// kernel last week and without it now is a regression (exit 3) with the
// engine version shown beside it; another delivery is not compared unless asked.
TEST(BaselineDiff, ARegressionExits3AndNamesTheStackDifference) {
  TempDir root;
  fs::path shared = acceptance_dir() / "flashsampling/gpt-oss-120b";
  auto campaign = [&](const std::string& name, const std::string& arm, const std::string& version, const std::string& delivery) {
    fs::path cfg = root.path / (name + ".yaml");
    std::ofstream(cfg) << "name: " << name << "\ncells: []\n";
    EXPECT_EQ(run_cli("campaign_init --config " + quote(cfg.string()), root.path).exit_code, 0);
    auto imp = run_cli("import_perf_bench --campaign " + name + " --cell gpt-oss --path " +
                           quote((shared / arm).string()) +
                           " --model gpt-oss-120b --hardware H100 --quant MXFP4 --tensor-parallel 1 --parallel-strategy TP --no-mtp"
                           " --engine vllm --engine-version " + version + " --delivery " + delivery,
                       root.path);
    EXPECT_EQ(imp.exit_code, 0) << imp.err;
    EXPECT_EQ(run_cli("atlas_aggregate --campaign " + name, root.path).exit_code, 0);
  };
  campaign("lastweek", "fmms-flashinfer", "0.15.1", "overlay");
  campaign("nightly", "baseline", "0.16.0", "overlay");
  campaign("other", "baseline", "0.16.0", "image");
  auto r = run_cli("--json baseline_diff --campaign nightly --baseline lastweek --threshold-pct 5", root.path);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  json res = r.envelope()["result"];
  EXPECT_TRUE(r.envelope()["ok"].get<bool>());  // a finding, not an error
  EXPECT_GT(res["regressions"].get<long>(), 0);
  bool c64 = false;
  for (const auto& m : res["matches"])
    if (m["concurrency"] == 64 && m["metric"] == "output_tok_s_per_gpu") {
      c64 = true;
      EXPECT_EQ(m["verdict"], "regression");
      EXPECT_NEAR(m["delta_pct"].get<double>(), (1.0 / 1.223 - 1) * 100, 1.0);  // the +22.3 % of page 8, undone
      EXPECT_EQ(m["stack_differences"]["engine_version"]["baseline"], "0.15.1");
      EXPECT_EQ(m["stack_differences"]["engine_version"]["new"], "0.16.0");
      EXPECT_LT(m["welch_p"].get<double>(), 0.05);
    }
  EXPECT_TRUE(c64);
  // Another delivery: listed, never compared, unless --cross-delivery.
  auto d = run_cli("--json baseline_diff --campaign other --baseline lastweek", root.path);
  EXPECT_EQ(d.exit_code, 0) << d.err;
  json dr = d.envelope()["result"];
  EXPECT_TRUE(dr["matches"].empty());
  EXPECT_NE(dr["unmatched"][0]["why"].get<std::string>().find("--cross-delivery"), std::string::npos);
  auto x = run_cli("--json baseline_diff --campaign other --baseline lastweek --cross-delivery", root.path);
  EXPECT_EQ(x.exit_code, 3);
  EXPECT_TRUE(x.envelope()["result"]["cross_delivery"].get<bool>());
}

}  // namespace
}  // namespace ptr::test

namespace ptr::test {
namespace {

// The config's frontier: block joins value_view's levers (and HANDOFF.md);
// a malformed block is refused at campaign_init, naming the key and line.
TEST(ValueViewCli, DeclaredFrontierJoinsTheDataLevers) {
  TempDir root;
  fs::path cfg = root.path / "c.yaml";
  std::ofstream(cfg) << "name: fr\ncells: []\nfrontier:\n  levers:\n"
                        "    - {name: EAGLE-3 draft head, expected_unlock: +12 % tok/s/user, cost: 2, gate: TPOT at c=8, value: 0.9}\n"
                        "    - {name: max_num_seqs 512, expected_unlock: more batch, cost: 1, gate: c=256, status: refuted, why: KV cache full}\n";
  ASSERT_EQ(run_cli("campaign_init --config " + quote(cfg.string()), root.path).exit_code, 0);
  ASSERT_EQ(run_cli("atlas_aggregate --campaign fr", root.path).exit_code, 0);
  auto r = run_cli("--json value_view --campaign fr", root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json res = r.envelope()["result"];
  ASSERT_EQ(res["levers"].size(), 1u);  // the declared one: an empty atlas derives nothing
  EXPECT_EQ(res["levers"][0]["title"], "EAGLE-3 draft head");
  EXPECT_EQ(res["levers"][0]["source"], "config");
  EXPECT_EQ(res["refuted"][0]["why_lost"], "KV cache full");
  std::string handoff = read_file(fs::path(res["files"][1].get<std::string>()));
  EXPECT_NE(handoff.find("## Refuted levers (why they lost)\n\n- max_num_seqs 512 — KV cache full"), std::string::npos) << handoff;
  EXPECT_NE(handoff.find("## Speed-of-light wall\n\nNot documented yet."), std::string::npos) << handoff;

  fs::path bad = root.path / "bad.yaml";
  std::ofstream(bad) << "name: fr2\ncells: []\nfrontier:\n  levers:\n    - {name: x, expected_unlock: more, gate: z, cost: 7}\n";
  auto b = run_cli("campaign_init --config " + quote(bad.string()), root.path);
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_NE(b.err.find("line 4: key 'frontier.levers[0].cost': must be a number from 1"), std::string::npos) << b.err;
  EXPECT_FALSE(fs::exists(root.path / "fr2"));
}

}  // namespace
}  // namespace ptr::test
