// cell_run against a stand-in kubectl (tests/data/fake-kubectl) that checks
// its argv and plays back real benchmark outputs from ../shared/fixtures.
#include <algorithm>
#include <fstream>
#include <sys/wait.h>

#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

struct Cluster {
  TempDir root, pod;
  std::string id;
  fs::path log;
  Cluster() {
    log = pod.path / "kubectl.log";
    auto init = run_cli("--json campaign_init --config " + quote((source_dir() / "configs/campaigns/example.yaml").string()), root.path);
    id = init.envelope()["result"]["campaign"];
  }
  CliResult run(const std::string& args, const std::string& fail = "") const {
    std::string env = "PATH=" + quote((source_dir() / "tests/data/fake-kubectl").string()) + ":$PATH FAKE_KUBECTL_LOG=" +
                      quote(log.string()) + " FAKE_POD_ROOT=" + quote(pod.path.string()) + " FAKE_FIXTURES=" +
                      quote(fixtures_dir().string()) + " FAKE_FAIL_CONCURRENCY=" + quote(fail) + " ";
    return run_cli(args, root.path, env);
  }
  std::vector<std::vector<std::string>> invocations() const {
    std::vector<std::vector<std::string>> out;
    if (!fs::exists(log)) return out;
    std::string text = read_file(log);
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\x1e', start);
      if (end == std::string::npos) break;
      std::vector<std::string> argv;
      size_t a = start;
      while (a < end) {
        size_t b = text.find('\x1f', a);
        argv.push_back(text.substr(a, b - a));
        a = b + 1;
      }
      out.push_back(argv);
      start = end + 1;
    }
    return out;
  }
  json cell(const std::string& cell_id) const { return load_json(root.path / id / "cells" / cell_id / "normalized.json"); }
};

const std::string kCell = "h100-fp8-tp8-mbt8192";  // concurrencies 1, 8, 32, 64; num_prompts 200

TEST(CellRun, WithoutAckRefusesWritesNothingAndExits2) {
  Cluster k;
  auto r = k.run("cell_run --campaign example --cell " + kCell + " --backend vllm-sweep --bench-pod bench-0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("FATAL: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("--i-understand-this-submits-jobs"), std::string::npos);
  EXPECT_NE(r.err.find("--dry-run"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(k.root.path / k.id / "commands"));  // no plan, no scripts, no log
  EXPECT_TRUE(k.invocations().empty());
}

TEST(CellRun, DryRunWritesQuotedScriptsAndPlanAndRunsNothing) {
  Cluster k;
  std::string evil = "http://svc:8000/$(touch /tmp/pwned); echo 'x'\nnext";
  auto r = k.run("--json cell_run --campaign example --cell " + kCell + " --backend vllm-sweep --bench-pod bench-0 --endpoint-url " +
                 quote(evil) + " --dry-run");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(k.invocations().empty());  // nothing ran
  fs::path cmds = r.envelope()["result"]["commands_dir"].get<std::string>();
  EXPECT_EQ(cmds.parent_path(), k.root.path / k.id / "commands" / kCell);  // commands/<cell>/<experiment>/
  json plan = load_json(cmds / "plan.json");
  ASSERT_EQ(plan["points"].size(), 4u);
  const json& p8 = plan["points"][1];
  EXPECT_EQ(p8["concurrency"], 8);
  EXPECT_EQ(p8["num_prompts"], 200);  // max(configured 200, 2 x 8)
  const json& bench = p8["steps"][1]["argv"];
  // The endpoint is one argv item, byte for byte.
  EXPECT_NE(std::find(bench.begin(), bench.end(), evil), bench.end());
  std::string script = read_file(cmds / p8["steps"][1]["script"].get<std::string>());
  EXPECT_NE(script.find("'http://svc:8000/$(touch /tmp/pwned); echo '\\''x'\\''\nnext'"), std::string::npos) << script;
  EXPECT_FALSE(fs::exists("/tmp/pwned"));
  EXPECT_NE(script.find("--max-concurrency 8"), std::string::npos);
  EXPECT_NE(script.find("--percentile-metrics ttft,tpot,itl,e2el"), std::string::npos);
}

TEST(CellRun, ExecSweepIngestsEveryPoint) {
  Cluster k;
  auto r = k.run("--json cell_run --campaign example --cell " + kCell +
                 " --backend vllm-sweep --bench-pod bench-0 --i-understand-this-submits-jobs");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto env = r.envelope();
  EXPECT_EQ(env["result"]["status"], "full");
  EXPECT_EQ(env["result"]["points_ok"], 4);
  json cell = k.cell(kCell);
  ASSERT_EQ(cell["points"].size(), 4u);
  EXPECT_EQ(cell["points"][2]["concurrency"], 32);
  EXPECT_EQ(cell["points"][2]["completed"], 200);
  EXPECT_EQ(read_file(k.root.path / k.id / "cells" / kCell / "status.txt"), "full\n");
  // Every executed command is logged with times, exit code and captures.
  std::string log = read_file(fs::path(env["result"]["commands_dir"].get<std::string>()) / "log.jsonl");
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 12);  // 4 points x (mkdir, bench, fetch)
  json first = json::parse(log.substr(0, log.find('\n')));
  for (const char* key : {"start_utc", "end_utc", "exit_code", "stdout", "stderr", "argv"}) EXPECT_TRUE(first.contains(key)) << key;
  auto calls = k.invocations();
  ASSERT_EQ(calls.size(), 12u);
  EXPECT_EQ(calls[1][0], "-n");
  EXPECT_EQ(calls[1][2], "exec");
  EXPECT_EQ(calls[1][4], "--");
  EXPECT_EQ(calls[1][5], "vllm");
}

TEST(CellRun, MidSweepFailureGivesPartialAndAllFailingGivesFailed) {
  Cluster k;
  auto r = k.run("--json cell_run --campaign example --cell " + kCell +
                     " --backend vllm-sweep --bench-pod bench-0 --i-understand-this-submits-jobs",
                 "32");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.envelope()["result"]["status"], "partial");
  json cell = k.cell(kCell);
  ASSERT_EQ(cell["points"].size(), 4u);
  const json& p32 = cell["points"][2];
  EXPECT_EQ(p32["concurrency"], 32);
  EXPECT_EQ(p32["status"], "failed");
  EXPECT_NE(p32["error"].get<std::string>().find("engine died at c=32"), std::string::npos) << p32["error"];
  EXPECT_EQ(cell["points"][3]["status"], "ok");  // the sweep went on after the failure

  Cluster all;
  auto f = all.run("--json cell_run --campaign example --cell " + kCell +
                       " --backend vllm-sweep --bench-pod bench-0 --i-understand-this-submits-jobs",
                   "1,8,32,64");
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_EQ(f.envelope()["result"]["status"], "failed");
  EXPECT_EQ(read_file(all.root.path / all.id / "cells" / kCell / "status.txt"), "failed\n");
}

TEST(CellRun, ResumeSkipsMeasuredPoints) {
  Cluster k;
  std::string cmd = "--json cell_run --campaign example --cell " + kCell +
                    " --backend sglang-sweep --bench-pod bench-0 --i-understand-this-submits-jobs";
  ASSERT_EQ(k.run(cmd, "64").exit_code, 0);
  size_t before = k.invocations().size();
  auto r = k.run(cmd + " --resume");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto env = r.envelope();
  EXPECT_EQ(env["result"]["plan"]["skipped_as_measured"], json({1, 8, 32}));
  EXPECT_EQ(env["result"]["plan"]["points"].size(), 1u);
  EXPECT_EQ(k.invocations().size() - before, 3u);  // only c=64 ran again
  EXPECT_EQ(env["result"]["status"], "full");
}

TEST(CellRun, AiperfExecWritesArtifactsPerPoint) {
  Cluster k;
  auto r = k.run("--json cell_run --campaign example --cell " + kCell +
                 " --backend aiperf --bench-pod bench-0 --i-understand-this-submits-jobs");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json cell = k.cell(kCell);
  ASSERT_EQ(cell["points"].size(), 4u);
  EXPECT_EQ(cell["points"][0]["concurrency"], 1);
  EXPECT_EQ(cell["points"][0]["source"][0]["format"], "aiperf-profile-export-json");
  EXPECT_EQ(r.envelope()["result"]["status"], "full");
}

TEST(CellRun, JobModeLabelsManifestsAndTearsDownByLabel) {
  Cluster k;
  auto r = k.run("--json cell_run --campaign example --cell " + kCell +
                 " --backend vllm-sweep --mode job --namespace bench --i-understand-this-submits-jobs");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto env = r.envelope();
  std::string experiment = env["result"]["experiment"];
  std::string manifest = read_file(k.pod.path / "applied-job-c8.yaml");
  EXPECT_NE(manifest.find("    experiment: " + experiment), std::string::npos) << manifest;
  EXPECT_NE(manifest.find("    cell: " + kCell), std::string::npos);
  EXPECT_NE(manifest.find("namespace: bench"), std::string::npos);
  EXPECT_NE(manifest.find("\"--max-concurrency\",\"8\""), std::string::npos);
  auto calls = k.invocations();
  const auto& last = calls.back();
  EXPECT_EQ(last[2], "delete");
  EXPECT_NE(std::find(last.begin(), last.end(), "experiment=" + experiment + ",cell=" + kCell), last.end());
  // Nothing else was deleted or applied outside the experiment.
  for (const auto& c : calls) {
    if (c.size() > 2 && c[2] == "delete") EXPECT_EQ(&c, &last);
  }
  json cell = k.cell(kCell);
  ASSERT_EQ(cell["points"].size(), 4u);  // results read from the Jobs' logs (stdout capture)
  EXPECT_EQ(cell["points"][1]["source"][0]["format"], "vllm-bench-serve-stdout");
  EXPECT_EQ(cell["points"][1]["concurrency"], 8);
}

TEST(CellRun, ServeCmdDrivesOneVllmSweepServe) {
  Cluster k;
  const std::string cell = "b200-nvfp4-tp4-mbt16384";  // example.yaml gives it vllm_sweep.serve_cmd
  auto r = k.run("--json cell_run --campaign example --cell " + cell +
                     " --backend vllm-sweep --bench-pod bench-0 --i-understand-this-submits-jobs",
                 "64");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto calls = k.invocations();
  ASSERT_EQ(calls.size(), 4u);  // mkdir, push params, sweep, fetch
  const auto& sweep = calls[2];
  auto at = [&](const std::string& flag) {
    auto it = std::find(sweep.begin(), sweep.end(), flag);
    return it == sweep.end() || it + 1 == sweep.end() ? std::string() : *(it + 1);
  };
  EXPECT_EQ(at("--serve-cmd"), "vllm serve zai-org/GLM-4.7-FP8 --tensor-parallel-size 4");
  EXPECT_EQ(at("--bench-cmd").find("--max-concurrency"), std::string::npos);  // set per combination by the sweep
  json params = load_json(fs::path(r.envelope()["result"]["commands_dir"].get<std::string>()) / "bench-params.json");
  EXPECT_EQ(params.size(), 4u);
  EXPECT_EQ(params[3], json({{"max_concurrency", 64}, {"num_prompts", 200}}));
  json c = k.cell(cell);
  ASSERT_EQ(c["points"].size(), 4u);
  EXPECT_EQ(c["points"][3]["status"], "failed");  // the sweep's own failure record
  EXPECT_EQ(c["points"][0]["status"], "ok");
  EXPECT_EQ(r.envelope()["result"]["status"], "partial");
}

TEST(CellRun, PlatformNamespaceIsRefused) {
  Cluster k;
  auto r = k.run("cell_run --campaign example --cell " + kCell +
                 " --backend vllm-sweep --mode job --namespace kube-system --i-understand-this-submits-jobs");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("platform namespace"), std::string::npos) << r.err;
  EXPECT_TRUE(k.invocations().empty());
}

}  // namespace
}  // namespace ptr::test
