// The CLI end to end: campaign_init -> import_perf_bench (every fixture
// folder) -> atlas_aggregate, exit codes, envelopes, confinement, atomicity.
#include <fstream>

#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

std::string example_config() { return quote((source_dir() / "configs/campaigns/example.yaml").string()); }

std::string init(const TempDir& t) {
  auto r = run_cli("--json campaign_init --config " + example_config(), t.path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.envelope()["result"]["campaign"].get<std::string>();
}

size_t count_files(const fs::path& root, const std::string& needle) {
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.path().filename().string().find(needle) != std::string::npos) ++n;
  return n;
}

TEST(Cli, HelpListsEveryVerbAndAliasesWork) {
  auto r = run_cli("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* v : {"campaign_init", "import_perf_bench", "atlas_aggregate"}) EXPECT_NE(r.out.find(v), std::string::npos) << v;
  auto h = run_cli("campaign-init --help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("--config"), std::string::npos);
  EXPECT_NE(h.out.find("Example:"), std::string::npos);
  EXPECT_EQ(run_cli("no_such_verb").exit_code, 2);
  EXPECT_EQ(run_cli("").exit_code, 2);
}

TEST(Cli, InitWritesTheCampaignLayout) {
  TempDir t;
  std::string id = init(t);
  EXPECT_TRUE(fs::exists(t.path / id / "SOURCE.md"));
  EXPECT_TRUE(fs::exists(t.path / id / "summary.md"));
  EXPECT_TRUE(fs::is_directory(t.path / id / "cells"));
  EXPECT_TRUE(fs::is_directory(t.path / id / "commands"));
  EXPECT_EQ(read_file(t.path / id / "config.yaml"), read_file(source_dir() / "configs/campaigns/example.yaml"));
  EXPECT_NE(read_file(t.path / id / "SOURCE.md").find("perftunereport"), std::string::npos);
  EXPECT_EQ(id.substr(16), "-example");
}

TEST(Cli, SlugAddressesTheNewestCampaign) {
  TempDir t;
  auto a = run_cli("--json campaign_init --config " + example_config(), t.path);
  auto b = run_cli("--json campaign_init --config " + example_config(), t.path);
  std::string older = a.envelope()["result"]["campaign"], newer = b.envelope()["result"]["campaign"];
  ASSERT_LT(older, newer);  // same second: the second init takes the next free second
  auto imp = run_cli("--json import_perf_bench --campaign example --cell h100-fp8-tp8-mbt8192 --path " +
                         quote((fixtures_dir() / "sglang").string()),
                     t.path);
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_EQ(imp.envelope()["result"]["campaign"], newer);
  // A full id still reaches the older one.
  auto old_imp = run_cli("import_perf_bench --campaign " + older + " --cell h100-fp8-tp8-mbt8192 --path " +
                             quote((fixtures_dir() / "sglang").string()),
                         t.path);
  EXPECT_EQ(old_imp.exit_code, 0) << old_imp.err;
}

TEST(Cli, BadConfigReportsEveryProblemAndWritesNothing) {
  TempDir t;
  auto r = run_cli("campaign_init --config " + quote((source_dir() / "tests/data/campaign-bad.yaml").string()), t.path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("10 problems in campaign config"), std::string::npos) << r.err;
  for (const char* want : {"unknown top-level key 'colour'", "cell 'Bad/Id': cell_id must match",
                           "key 'tensor_parallel' must be between 1 and 65536, got 0", "got 'XP'", "'mtp' must be true or false",
                           "did you mean 'tensor_parallel'", "'lukewarm'", "duplicate cell_id", "'-4'"})
    EXPECT_NE(r.err.find(want), std::string::npos) << want;
  EXPECT_TRUE(!fs::exists(t.path) || fs::is_empty(t.path));
}

// Imports every fixture, one model per cell, and checks the coverage line.
TEST(Cli, EndToEndImportOfEveryFixtureFolder) {
  TempDir t;
  std::string id = init(t);
  struct Case {
    const char* cell;
    std::vector<const char*> paths;
    const char* status;
    int points;
  };
  // Cells not in the example config are created from identity flags.
  const std::string flags = " --model m --hardware H100 --quant FP8 --tensor-parallel 8 --parallel-strategy TP --no-mtp --mbt 8192";
  std::vector<Case> cases = {
      {"h100-fp8-tp8-mbt8192", {"vllm/sweep-serve"}, "full", 9},
      // c=100, its stdout capture deduplicated
      {"vllm-qwen3-32b", {"vllm/bench-serve/run_1_TP8_DP1_CTX1024_C100_P100_O128.json",
                          "vllm/bench-serve/run_1_TP8_DP1_CTX1024_C100_P100_O128.txt"}, "full", 1},
      {"vllm-qwen36-27b", {"vllm/bench-serve/tm-l40sx2_qwen27b_in4096_out128_p50_c1_d48e1d.json"}, "full", 1},
      {"vllm-legacy", {"vllm/bench-serve-legacy"}, "full", 9},  // 3 deployments x 3 offered rates, no concurrency cap
      {"sglang-qwen3-8b", {"sglang/tp8_dp1_Qwen3-8B_in1024_out128_p100_c100_38769a.jsonl",
                           "sglang/tp8_dp1_Qwen3-8B_in1024_out128_p100_c100_38769a.txt"}, "full", 1},
      {"sglang-llama", {"sglang/llama_3_3_70b_online_output.jsonl"}, "full", 7},       // 7 rate-driven runs
      {"sglang-deepseek", {"sglang/deepseek_dp_mla_output.jsonl"}, "full", 1},        // 1 rate-driven run
      {"aiperf-gpt-oss", {"aiperf/legacy-v0.1-records__profile_export_aiperf.json",
                          "aiperf/legacy-v0.1-records__profile_export_aiperf.csv"}, "partial", 1},  // lost 11 of 100
      {"aiperf-qwen3", {"aiperf/v0.2x-qwen-c1__profile_export_aiperf.json", "aiperf/v0.2x-qwen-c1__profile_export.jsonl"},
       "full", 1},
      {"aiperf-qwen36", {"aiperf/v0.10.0-schema1.3-agent-c16__profile_export_aiperf.json",
                         "aiperf/v0.10.0-schema1.3-agent-c16__profile_export_aiperf.csv"}, "full", 1},
  };
  for (const auto& c : cases) {
    std::string extra = std::string(c.cell) == "h100-fp8-tp8-mbt8192" ? "" : flags;
    std::string paths;
    for (const char* p : c.paths) paths += " --path " + quote((fixtures_dir() / p).string());
    auto r = run_cli("--json import_perf_bench --campaign example --cell " + std::string(c.cell) + paths + extra, t.path);
    ASSERT_EQ(r.exit_code, 0) << c.cell << ": " << r.err;
    auto env = r.envelope();
    EXPECT_TRUE(env["ok"].get<bool>());
    EXPECT_EQ(env["result"]["points"].get<int>(), c.points) << c.cell;
    EXPECT_EQ(env["result"]["status"].get<std::string>(), c.status) << c.cell;
    EXPECT_EQ(read_file(t.path / id / "cells" / c.cell / "status.txt"), std::string(c.status) + "\n");
  }
  // A folder of several models is refused, naming both files and the key.
  auto mixed = run_cli("import_perf_bench --campaign example --cell mixed --path " +
                           quote((fixtures_dir() / "aiperf").string()) + flags,
                       t.path);
  EXPECT_EQ(mixed.exit_code, 1);
  EXPECT_NE(mixed.err.find("holds runs with different model"), std::string::npos) << mixed.err;
  EXPECT_NE(mixed.err.find("--allow-mixed-models"), std::string::npos) << mixed.err;
  EXPECT_FALSE(fs::exists(t.path / id / "cells/mixed"));
  // The gpu/ folder holds telemetry, not benchmark results: nothing to import.
  auto gpu = run_cli("import_perf_bench --campaign example --cell gpu --path " + quote((fixtures_dir() / "gpu").string()) + flags, t.path);
  EXPECT_EQ(gpu.exit_code, 1);
  EXPECT_NE(gpu.err.find("no benchmark output found"), std::string::npos) << gpu.err;

  auto agg = run_cli("atlas_aggregate --campaign example", t.path);
  ASSERT_EQ(agg.exit_code, 0) << agg.err;
  // Rate-driven runs (no concurrency cap) are not plot-ready concurrency points:
  // 9 (sweep) + 1 + 1 (bench-serve) + 0 (legacy) + 1 (sglang c=100) + 0 + 0 + 3 (aiperf) = 15.
  EXPECT_EQ(agg.out,
            "Coverage: 10 atlas cells | 9 full sweeps | 1 partial sweeps | 0 failed cells | 15 plot-ready concurrency points\n");
  auto aiperf = load_json(t.path / id / "cells/aiperf-gpt-oss/normalized.json");
  ASSERT_EQ(aiperf["points"].size(), 1u);
  EXPECT_EQ(aiperf["points"][0]["concurrency"], 100);
  EXPECT_EQ(aiperf["points"][0]["status"], "partial");
  EXPECT_EQ(aiperf["points"][0]["failed"], 11);
  std::ifstream atlas(t.path / id / "atlas.jsonl");
  std::vector<std::string> ids;
  for (std::string line; std::getline(atlas, line);) ids.push_back(json::parse(line)["cell_id"].get<std::string>());
  EXPECT_EQ(ids, (std::vector<std::string>{"aiperf-gpt-oss", "aiperf-qwen3", "aiperf-qwen36", "h100-fp8-tp8-mbt8192",
                                            "sglang-deepseek", "sglang-llama", "sglang-qwen3-8b", "vllm-legacy",
                                            "vllm-qwen3-32b", "vllm-qwen36-27b"}));
  EXPECT_EQ(count_files(t.path, ".tmp."), 0u);
  EXPECT_EQ(count_files(t.path, ".staging"), 0u);
}

TEST(Cli, UnknownCellNeedsIdentityFlags) {
  TempDir t;
  std::string id = init(t);
  auto r = run_cli("import_perf_bench --campaign example --cell newcell --path " + quote((fixtures_dir() / "sglang").string()), t.path);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--model --hardware --quant --tensor-parallel --parallel-strategy --mtp/--no-mtp"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(t.path / id / "cells" / "newcell"));
}

TEST(Cli, BadFileFailsWithExit1AndWritesNothing) {
  TempDir t;
  std::string id = init(t);
  TempDir in;
  std::string run = read_file(fixtures_dir() / "vllm/sweep-serve/20260211_140427/BENCH--max_concurrency=8-num_prompts=80-request_rate=8/run=0.json");
  std::ofstream(in.path / "good.json") << run;
  std::ofstream(in.path / "bad.json") << run.substr(0, 500);
  auto r = run_cli("--json import_perf_bench --campaign example --cell h100-fp8-tp8-mbt8192 --path " + quote(in.path.string()), t.path);
  EXPECT_EQ(r.exit_code, 1);
  auto env = r.envelope();
  EXPECT_FALSE(env["ok"].get<bool>());
  EXPECT_EQ(env["error"]["kind"], "input");
  EXPECT_NE(env["error"]["message"].get<std::string>().find("bad.json"), std::string::npos);
  EXPECT_FALSE(fs::exists(t.path / id / "cells" / "h100-fp8-tp8-mbt8192"));
}

TEST(Cli, CellIdsAndCampaignNamesCannotEscape) {
  TempDir t;
  init(t);
  for (const char* cell : {"../escape", "a/b", "/abs"}) {
    auto r = run_cli(std::string("import_perf_bench --campaign example --cell ") + quote(cell) + " --path " +
                         quote((fixtures_dir() / "sglang").string()),
                     t.path);
    EXPECT_EQ(r.exit_code, 1) << cell;
    EXPECT_NE(r.err.find("must match"), std::string::npos) << r.err;
  }
  auto r = run_cli("atlas_aggregate --campaign ../x", t.path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(fs::exists(t.path.parent_path() / "escape"));
}

TEST(Cli, ReimportIsIdempotentAndCacheModeSticks) {
  TempDir t;
  std::string id = init(t);
  std::string cmd = "--json import_perf_bench --campaign example --cell h100-fp8-tp8-mbt8192 --path " +
                    quote((fixtures_dir() / "vllm/sweep-serve").string());
  auto first = run_cli(cmd + " --cache-mode cold", t.path);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto second = run_cli(cmd, t.path);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  json second_env = second.envelope();  // a named value: a range-for over a temporary's member dangles
  for (const auto& f : second_env["result"]["files"]) EXPECT_FALSE(f["copied"].get<bool>());
  auto cell = load_json(t.path / id / "cells/h100-fp8-tp8-mbt8192/normalized.json");
  EXPECT_EQ(cell["cache_mode"], "cold");
  EXPECT_EQ(cell["points"].size(), 9u);
  EXPECT_EQ(cell["points"][3]["trials"], 3);
}

}  // namespace
}  // namespace ptr::test
