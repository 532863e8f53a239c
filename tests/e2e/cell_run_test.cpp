// cell_run against a stand-in kubectl (tests/data/fake-kubectl, Node) that
// checks its argv and runs the commands for real against fake clients
// (tests/data/fake-clients: vllm, python3 -m sglang.bench_serving, aiperf)
// that check theirs and write real-format outputs from ../shared/fixtures.
#include <algorithm>
#include <chrono>
#include <fstream>

#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

struct Cluster {
  TempDir root, pod;
  std::string id;
  fs::path log;
  explicit Cluster(const std::string& config = "tests/data/cell-run-campaign.yaml") {
    log = pod.path / "kubectl.log";
    auto init = run_cli("--json campaign_init --config " + quote((source_dir() / config).string()), root.path);
    EXPECT_EQ(init.exit_code, 0) << init.err;
    id = init.envelope()["result"]["campaign"];
  }
  CliResult run(const std::string& args, const std::string& knobs = "") const {
    std::string env = "PATH=" + quote((source_dir() / "tests/data/fake-kubectl").string()) + ":$PATH FAKE_KUBECTL_LOG=" +
                      quote(log.string()) + " FAKE_POD_ROOT=" + quote(pod.path.string()) + " FAKE_FIXTURES=" +
                      quote(fixtures_dir().string()) + " " + knobs + " ";
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
      for (size_t a = start; a < end;) {
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
  // The steps cell_run logged, in order.
  std::vector<std::string> steps(const json& env) const {
    std::vector<std::string> out;
    std::ifstream in(fs::path(env["result"]["commands_dir"].get<std::string>()) / "log.jsonl");
    for (std::string l; std::getline(in, l);) out.push_back(json::parse(l)["step"].get<std::string>() + "@" +
                                                            std::to_string(json::parse(l)["concurrency"].get<long>()));
    return out;
  }
};

const std::string kRun = " --namespace bench --i-understand-this-submits-jobs";

bool has_step(const std::vector<std::string>& steps, const std::string& s) {
  return std::find(steps.begin(), steps.end(), s) != steps.end();
}

TEST(CellRun, WithoutAckRefusesWritesNothingAndExits2) {
  Cluster k;
  auto r = k.run("cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --namespace bench --bench-pod bench-0");
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
  auto r = k.run("--json cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --namespace bench --bench-pod bench-0 "
                 "--endpoint-url " + quote(evil) + " --dry-run");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(k.invocations().empty());  // nothing ran
  fs::path cmds = r.envelope()["result"]["commands_dir"].get<std::string>();
  EXPECT_EQ(cmds.parent_path(), k.root.path / k.id / "commands" / "vllm-cell");  // commands/<cell>/<run>/
  json plan = load_json(cmds / "plan.json");
  ASSERT_EQ(plan["points"].size(), 4u);
  const json& p8 = plan["points"][1];
  EXPECT_EQ(p8["concurrency"], 8);
  EXPECT_EQ(p8["num_prompts"], 200);  // max(configured 200, 2 x 8)
  const json& bench = p8["steps"][1]["argv"];
  EXPECT_NE(std::find(bench.begin(), bench.end(), evil), bench.end());  // one argv item, byte for byte
  EXPECT_EQ(plan["labels"]["experiment"], k.id);  // campaign id = experiment id
  EXPECT_EQ(plan["workload"]["exact_lengths"], true);
  bool found = false;
  for (const auto& e : fs::directory_iterator(cmds)) {
    std::string s = read_file(e.path());
    if (e.path().extension() == ".sh" && s.find("c8") != std::string::npos && s.find("vllm bench serve") != std::string::npos) {
      found = true;
      EXPECT_NE(s.find("'http://svc:8000/$(touch /tmp/pwned); echo '\\''x'\\''\nnext'"), std::string::npos) << s;
      EXPECT_NE(s.find("--max-concurrency 8"), std::string::npos);
      EXPECT_NE(s.find("--percentile-metrics ttft,tpot,itl,e2el"), std::string::npos);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(fs::exists("/tmp/pwned"));
}

TEST(CellRun, ExecSweepChecksThenIngestsEveryPointAndTearsDown) {
  Cluster k;
  auto r = k.run("--json cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --bench-pod bench-0" + kRun);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto env = r.envelope();
  EXPECT_EQ(env["result"]["status"], "full");
  EXPECT_EQ(env["result"]["points_ok"], 4);
  json cell = k.cell("vllm-cell");
  ASSERT_EQ(cell["points"].size(), 4u);
  EXPECT_EQ(cell["points"][2]["concurrency"], 32);
  EXPECT_EQ(cell["points"][2]["completed"], 200);
  EXPECT_EQ(read_file(k.root.path / k.id / "cells/vllm-cell/status.txt"), "full\n");
  auto steps = k.steps(env);
  // Preflight first, a guard before every point, teardown and the leftover check last.
  EXPECT_EQ(steps[0], "check-namespace@0");
  EXPECT_EQ(steps[1], "check-pod@0");
  EXPECT_EQ(steps[2], "check-rbac@0");
  EXPECT_EQ(steps[3], "standing@0");
  EXPECT_EQ(steps[4], "guard@1");
  EXPECT_EQ(steps[5], "mkdir@1");
  EXPECT_EQ(steps[6], "bench@1");
  EXPECT_EQ(steps[7], "fetch@1");
  EXPECT_EQ(steps[8], "guard@8");
  EXPECT_EQ(steps[steps.size() - 3], "teardown@0");
  EXPECT_EQ(steps[steps.size() - 2], "leftovers@0");
  EXPECT_EQ(steps.back(), "standing@0");
  EXPECT_EQ(steps.size(), 4u + 4 * 4 + 3);
  std::string log = read_file(fs::path(env["result"]["commands_dir"].get<std::string>()) / "log.jsonl");
  json first = json::parse(log.substr(0, log.find('\n')));
  for (const char* key : {"start_utc", "end_utc", "exit_code", "stdout", "stderr", "argv"}) EXPECT_TRUE(first.contains(key)) << key;
}

TEST(CellRun, MidSweepFailureGivesPartialAndAllFailingIsExit1) {
  Cluster k;
  auto r = k.run("--json cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --bench-pod bench-0" + kRun,
                 "FAKE_FAIL_CONCURRENCY=32");
  ASSERT_EQ(r.exit_code, 0) << r.err;  // partial: exit 0, with the failure recorded
  EXPECT_EQ(r.envelope()["result"]["status"], "partial");
  json cell = k.cell("vllm-cell");
  ASSERT_EQ(cell["points"].size(), 4u);
  const json& p32 = cell["points"][2];
  EXPECT_EQ(p32["status"], "failed");
  EXPECT_NE(p32["error"].get<std::string>().find("engine died at c=32"), std::string::npos) << p32["error"];
  EXPECT_EQ(cell["points"][3]["status"], "ok");  // the sweep went on after the failure

  Cluster all;
  auto f = all.run("--json cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --bench-pod bench-0" + kRun,
                   "FAKE_FAIL_CONCURRENCY=1,8,32,64");
  EXPECT_EQ(f.exit_code, 1) << f.err;  // a failed cell: a script must notice
  auto env = f.envelope();
  EXPECT_FALSE(env["ok"].get<bool>());
  EXPECT_EQ(env["result"]["status"], "failed");
  EXPECT_EQ(env["error"]["kind"], "run_failed");
  EXPECT_EQ(read_file(all.root.path / all.id / "cells/vllm-cell/status.txt"), "failed\n");
}

TEST(CellRun, ResumeSkipsMeasuredPoints) {
  Cluster k;
  std::string cmd = "--json cell_run --campaign cellrun --cell sglang-cell --backend sglang-sweep --bench-pod bench-0" + kRun;
  ASSERT_EQ(k.run(cmd, "FAKE_FAIL_CONCURRENCY=64").exit_code, 0);
  auto r = k.run(cmd + " --resume");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto env = r.envelope();
  EXPECT_EQ(env["result"]["plan"]["skipped_as_measured"], json({1, 8, 32}));
  EXPECT_EQ(env["result"]["plan"]["points"].size(), 1u);
  auto steps = k.steps(env);
  EXPECT_TRUE(has_step(steps, "bench@64"));
  EXPECT_FALSE(has_step(steps, "bench@8"));
  EXPECT_EQ(env["result"]["status"], "full");
}

TEST(CellRun, AiperfExecWritesArtifactsPerPoint) {
  Cluster k;
  auto r = k.run("--json cell_run --campaign cellrun --cell aiperf-cell --backend aiperf --bench-pod bench-0" + kRun);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json cell = k.cell("aiperf-cell");
  ASSERT_EQ(cell["points"].size(), 4u);
  EXPECT_EQ(cell["points"][0]["concurrency"], 1);
  EXPECT_EQ(cell["points"][0]["source"][0]["format"], "aiperf-profile-export-json");
  EXPECT_EQ(r.envelope()["result"]["status"], "full");
}

// Job mode, every client: a fresh container per point (the SGLang output folder
// must be created), result files carried in the Job's log, the Job deleted by
// label before the next point, nothing left after teardown.
TEST(CellRun, JobModeForEveryClient) {
  for (auto [cell, backend, format] : {std::tuple{"vllm-cell", "vllm-sweep", "vllm-bench-serve"},
                                       {"sglang-cell", "sglang-sweep", "sglang-bench-serving"},
                                       {"aiperf-cell", "aiperf", "aiperf-profile-export-json"}}) {
    SCOPED_TRACE(cell);
    Cluster k;
    auto r = k.run(std::string("--json cell_run --campaign cellrun --cell ") + cell + " --backend " + backend +
                   " --mode job --poll-interval 0.05" + kRun);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto env = r.envelope();
    EXPECT_EQ(env["result"]["status"], "full");
    json c = k.cell(cell);
    ASSERT_EQ(c["points"].size(), 4u);
    EXPECT_EQ(c["points"][1]["source"][0]["format"], format);
    EXPECT_EQ(c["points"][1]["concurrency"], 8);
    auto calls = k.invocations();
    int applies = 0, deletes = 0;
    for (const auto& call : calls) {
      if (call.size() > 2 && call[2] == "apply") ++applies;
      if (call.size() > 2 && call[2] == "delete") {
        ++deletes;
        auto sel = std::find(call.begin(), call.end(), "-l");
        ASSERT_NE(sel, call.end());  // by label, never by name
        EXPECT_EQ((sel + 1)->rfind("experiment=" + k.id + ",cell=" + cell + ",run=", 0), 0u) << *(sel + 1);
      }
    }
    EXPECT_EQ(applies, 4);
    EXPECT_EQ(deletes, 5);  // one before each next point, one teardown
    EXPECT_TRUE(fs::is_empty(k.pod.path / "jobs"));  // nothing left
    for (const auto& w : env["warnings"]) EXPECT_NE(w["kind"], "leftovers_after_teardown");
  }
}

TEST(CellRun, AFailedJobFailsThePointAtOnceWithItsLogTail) {
  Cluster k;
  auto t0 = std::chrono::steady_clock::now();
  auto r = k.run("--json cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --mode job --poll-interval 0.05" + kRun,
                 "FAKE_FAIL_CONCURRENCY=8");
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json cell = k.cell("vllm-cell");
  const json& p8 = cell["points"][1];
  EXPECT_EQ(p8["status"], "failed");
  EXPECT_NE(p8["error"].get<std::string>().find("failed: RuntimeError: engine died at c=8"), std::string::npos) << p8["error"];
  auto steps = k.steps(r.envelope());
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "status@8"), 1);  // Failed seen on the first poll: no wait
  EXPECT_TRUE(has_step(steps, "bench@32") || has_step(steps, "apply@32"));
  EXPECT_LT(took, 60);  // never the 3600 s of a wait on condition=complete
}

TEST(CellRun, AHangingBenchmarkTimesOutInThePodAndTheNextPointStartsClean) {
  Cluster k;
  auto r = k.run("--json cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --bench-pod bench-0 "
                 "--timeout-per-point 1" + kRun,
                 "FAKE_HANG_CONCURRENCY=8");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json cell = k.cell("vllm-cell");
  EXPECT_EQ(cell["points"][1]["status"], "failed");
  EXPECT_NE(cell["points"][1]["error"].get<std::string>().find("bench exited 124"), std::string::npos) << cell["points"][1]["error"];
  EXPECT_EQ(cell["points"][2]["status"], "ok");
  auto steps = k.steps(r.envelope());
  EXPECT_FALSE(has_step(steps, "stop@32"));  // the in-pod timeout stopped it: the guard found nothing
  // The bench ran under timeout(1) inside the pod.
  auto calls = k.invocations();
  bool bounded = false;
  for (const auto& c : calls)
    if (c.size() > 9 && c[5] == "timeout" && c[8] == "1" && c[9] == "vllm") bounded = true;
  EXPECT_TRUE(bounded);
}

TEST(CellRun, WorkLeftRunningIsStoppedBeforeTheNextPoint) {
  Cluster k;
  auto r = k.run("--json cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --bench-pod bench-0" + kRun,
                 "FAKE_DETACH_CONCURRENCY=8");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto steps = k.steps(r.envelope());
  auto guard32 = std::find(steps.begin(), steps.end(), "guard@32");
  ASSERT_NE(guard32, steps.end());
  EXPECT_EQ(*(guard32 + 1), "stop@32");   // something of c=8 still ran
  EXPECT_EQ(*(guard32 + 2), "guard@32");  // checked again
  EXPECT_EQ(*(guard32 + 3), "mkdir@32");  // then the point ran
  EXPECT_EQ(r.envelope()["result"]["status"], "full");
}

TEST(CellRun, ServeCmdSweepFailingMidwayKeepsTheFinishedRuns) {
  Cluster k;
  auto r = k.run("--json cell_run --campaign cellrun --cell sweep-cell --backend vllm-sweep --bench-pod bench-0" + kRun,
                 "FAKE_SWEEP_DIE_AFTER=2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto steps = k.steps(r.envelope());
  EXPECT_TRUE(has_step(steps, "fetch@0"));  // fetched although the sweep failed
  json params = load_json(fs::path(r.envelope()["result"]["commands_dir"].get<std::string>()) / "bench-params.json");
  EXPECT_EQ(params[3], json({{"max_concurrency", 64}, {"num_prompts", 200}}));
  json c = k.cell("sweep-cell");
  ASSERT_EQ(c["points"].size(), 4u);
  EXPECT_EQ(c["points"][0]["status"], "ok");
  EXPECT_EQ(c["points"][1]["status"], "ok");
  EXPECT_EQ(c["points"][2]["status"], "failed");  // only the missing ones get failure records
  EXPECT_NE(c["points"][2]["error"].get<std::string>().find("server crashed during the sweep"), std::string::npos);
  EXPECT_EQ(r.envelope()["result"]["status"], "partial");
}

TEST(CellRun, PreflightErrorsStopBeforeAnyBenchmark) {
  struct Case {
    std::string args, knobs, message;
  };
  std::vector<Case> cases = {
      {" --namespace missing", "", "namespace 'missing' does not exist"},
      {" --namespace bench --kube-context nope", "", "kube context 'nope' is not in the kubeconfig"},
      {" --namespace bench", "FAKE_POD_PHASE=Pending", "pod 'bench-0' is not Running"},
      {" --namespace bench", "FAKE_DENY='create pods/exec'", "RBAC does not allow 'create pods/exec'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message);
    Cluster k;
    auto r = k.run("cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --bench-pod bench-0 "
                   "--i-understand-this-submits-jobs" + c.args,
                   c.knobs);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("preflight failed: " + c.message), std::string::npos) << r.err;
    for (const auto& call : k.invocations()) EXPECT_EQ(std::find(call.begin(), call.end(), "vllm"), call.end());
    EXPECT_FALSE(fs::exists(k.root.path / k.id / "cells/vllm-cell/normalized.json"));
  }
}

TEST(CellRun, InjectionAttemptsAndPlatformNamespacesAreRefused) {
  Cluster k;
  for (const std::string ns : {"bench\n  annotations: {evil: true}", "Bench", "kube-system", "default"}) {
    auto r = k.run("cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --mode job --namespace " + quote(ns) +
                   " --i-understand-this-submits-jobs");
    EXPECT_EQ(r.exit_code, 2) << ns;
  }
  EXPECT_TRUE(k.invocations().empty());
  auto ok = k.run("cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --mode job --namespace default "
                  "--allow-default-namespace --dry-run");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST(CellRun, AVanishedStandingObjectIsNamed) {
  Cluster k;
  auto r = k.run("--json cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --bench-pod bench-0" + kRun,
                 "FAKE_STANDING_AFTER=service/vllm");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string w = r.envelope()["warnings"].dump();
  EXPECT_NE(w.find("deployment.apps/vllm-server existed before the run and is gone after it"), std::string::npos) << w;
}

}  // namespace
}  // namespace ptr::test

namespace ptr::test {
namespace {

// The roofline sweep: decode batches and prefill lengths, nvidia-smi dmon
// started and stopped around each bench in the pod, the model's config.json
// fetched, the bundle imported as <cell>-decode / <cell>-prefill.
TEST(CellRunRoofline, SweepsCapturesTelemetryAndImportsTheBundle) {
  Cluster k("tests/data/cell-run-roofline.yaml");
  fs::path model = k.pod.path / "tmp/perftunereport/model/config.json";
  fs::create_directories(model.parent_path());
  fs::copy_file(source_dir() / "tests/data/llama-3.1-8b-config.json", model);
  std::string cmd = "--json cell_run --campaign rooflinerun --cell h100-llama8b-roofline --backend roofline-sweep --namespace bench "
                    "--bench-pod bench-0 --served-model llama --i-understand-this-submits-jobs";
  auto dry = k.run("--json cell_run --campaign rooflinerun --cell h100-llama8b-roofline --backend roofline-sweep --namespace bench "
                   "--bench-pod bench-0 --dry-run");
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  json plan = dry.envelope()["result"]["plan"];
  ASSERT_EQ(plan["points"].size(), 4u);
  EXPECT_EQ(plan["points"][0]["phase"], "decode");
  EXPECT_EQ(plan["points"][3]["isl"], 2048);
  std::vector<std::string> names;
  for (const auto& s : plan["points"][0]["steps"]) names.push_back(s["step"]);
  EXPECT_EQ(names, (std::vector<std::string>{"mkdir", "telemetry-start", "bench", "telemetry-stop", "fetch", "fetch-telemetry"}));
  std::string start = plan["points"][0]["steps"][1]["display"];
  EXPECT_NE(start.find("nvidia-smi dmon -o DT -d 1 --gpm-metrics 1,2,3,5,10,60,61 -f"), std::string::npos) << start;
  std::string prefill_bench = plan["points"][2]["steps"][2]["display"];
  EXPECT_NE(prefill_bench.find("--random-input-len 512 --random-output-len 1"), std::string::npos) << prefill_bench;
  EXPECT_EQ(plan["collect"][0]["step"], "model-config");

  auto r = k.run(cmd, "FAKE_STAMP_NOW=1");
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  json res = r.envelope()["result"];
  EXPECT_EQ(res["points_ok"], 4);
  fs::path cells = k.root.path / k.id / "cells";
  json marker = load_json(cells / "h100-llama8b-roofline/roofline_cells.json");
  EXPECT_EQ(marker["cells"], json::array({"h100-llama8b-roofline-decode", "h100-llama8b-roofline-prefill"}));
  json decode = k.cell("h100-llama8b-roofline-decode"), prefill = k.cell("h100-llama8b-roofline-prefill");
  ASSERT_EQ(decode["points"].size(), 2u);
  ASSERT_EQ(prefill["points"].size(), 2u);
  EXPECT_EQ(prefill["points"][0]["isl"], 512);
  EXPECT_EQ(prefill["points"][1]["isl"], 2048);
  EXPECT_EQ(decode["model"], "Llama-3.1-8B");
  // The shape came from the fetched config.json, and each point has its capture.
  json sweep = load_json(cells / "h100-llama8b-roofline-decode/roofline_sweep.json");
  EXPECT_NE(sweep["model_shape_from"].get<std::string>().find("model_config.json"), std::string::npos);
  EXPECT_EQ(sweep["telemetry"].size(), 4u);
  EXPECT_TRUE(decode["points"][0]["extra"].contains("roofline"));
  // Nothing of the run is left: every capture was stopped.
  std::string pod = k.pod.path.string();  // "[/]tmp..." matches the path but not pgrep's own shell
  EXPECT_NE(std::system(("pgrep -f " + quote("[" + pod.substr(0, 1) + "]" + pod.substr(1)) + " >/dev/null").c_str()), 0);
  // The atlas holds the two roofline cells and no warning about the configured one
  // (the other cell of the config, not run here, is named).
  auto agg = k.run("--json atlas_aggregate --campaign rooflinerun");
  ASSERT_EQ(agg.exit_code, 0) << agg.err;
  json agg_env = agg.envelope();  // a loop over a temporary's member would dangle
  for (const auto& w : agg_env["warnings"]) EXPECT_EQ(w["cell"], "h100-llama8b-dcgm") << agg.out;
  auto again = k.run("cell_run --campaign rooflinerun --cell h100-llama8b-roofline --backend roofline-sweep --namespace bench "
                     "--bench-pod bench-0 --mode job --dry-run");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("use --mode exec"), std::string::npos);
}

// With telemetry: dcgmi the capture has no timestamps: each point's capture
// sits in its own folder and the import ties it to that point.
TEST(CellRunRoofline, DcgmiCapturesAreTiedToTheirPoints) {
  Cluster k("tests/data/cell-run-roofline.yaml");
  auto dry = k.run("--json cell_run --campaign rooflinerun --cell h100-llama8b-dcgm --backend roofline-sweep --namespace bench "
                   "--bench-pod bench-0 --dry-run");
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  std::string start = dry.envelope()["result"]["plan"]["points"][0]["steps"][1]["display"];
  EXPECT_NE(start.find("dcgmi dmon -e 1001,1002,1003,1004,1005,1009,1010,1011,1012,155,100,101 -d 1000"), std::string::npos) << start;
  auto r = k.run("--json cell_run --campaign rooflinerun --cell h100-llama8b-dcgm --backend roofline-sweep --namespace bench "
                 "--bench-pod bench-0 --served-model llama --i-understand-this-submits-jobs",
                 "FAKE_STAMP_NOW=1");
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  json decode = k.cell("h100-llama8b-dcgm-decode"), prefill = k.cell("h100-llama8b-dcgm-prefill");
  ASSERT_EQ(decode["points"].size(), 1u);
  const json& t = decode["points"][0]["extra"]["telemetry"];
  EXPECT_DOUBLE_EQ(t["dram_active_pct"].get<double>(), 60);
  EXPECT_DOUBLE_EQ(t["tensor_active_pct"].get<double>(), 12);
  EXPECT_DOUBLE_EQ(t["power_w"].get<double>(), 400);
  EXPECT_NE(decode["points"][0]["extra"]["telemetry_source"]["dram_active_pct"].get<std::string>().find("telemetry/decode-c4/dcgmi-dmon.txt"),
            std::string::npos);
  EXPECT_DOUBLE_EQ(prefill["points"][0]["extra"]["telemetry"]["dram_active_pct"].get<double>(), 60);
  std::string pod = k.pod.path.string();
  EXPECT_NE(std::system(("pgrep -f " + quote("[" + pod.substr(0, 1) + "]" + pod.substr(1)) + " >/dev/null").c_str()), 0);
}

}  // namespace
}  // namespace ptr::test

namespace ptr::test {
namespace {

// --telemetry on a serving cell: the stand-in nvidia-smi plays back a real
// sample of the H100 capture (fixtures/gpu/nvidia-smi-dmon.txt line 41:
// 476 W, DRAM 66 %, SM 75 %) around each bench; the node is recorded; each
// point gets its window from the run's log; dcgm_correlate runs at the end.
TEST(CellRunTelemetry, NvidiaSmiAroundEachPointThenTheCellIsCorrelated) {
  Cluster k;
  auto dry = k.run("cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --bench-pod bench-0 --telemetry nvidia-smi "
                   "--namespace bench --dry-run");
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("# the GPUs' node: kubectl -n bench get pod bench-0 -o 'jsonpath={.spec.nodeName}'"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("nohup nvidia-smi dmon -o DT -d 1 --gpm-metrics 1,2,3,5,10,60,61 -f"), std::string::npos);
  EXPECT_NE(dry.out.find("# then: dcgm_correlate over the points' windows"), std::string::npos);
  auto r = k.run("--json cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --bench-pod bench-0 --telemetry nvidia-smi" + kRun,
                 "FAKE_BENCH_SECONDS=2.2 FAKE_NODE=gpu-node-7 FAKE_NVIDIA_SMI_PLAYBACK=" +
                     quote((fixtures_dir() / "gpu/nvidia-smi-dmon.txt").string() + ":41"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json env = r.envelope();
  EXPECT_EQ(env["result"]["node"], "gpu-node-7");
  ASSERT_TRUE(env["result"]["dcgm_correlation"].is_string()) << env.dump();
  std::vector<std::string> names;
  for (const auto& s : env["result"]["plan"]["points"][0]["steps"]) names.push_back(s["step"]);
  EXPECT_EQ(names, (std::vector<std::string>{"mkdir", "telemetry-start", "bench", "telemetry-stop", "fetch", "fetch-telemetry"}));
  json cell = k.cell("vllm-cell");
  EXPECT_EQ(cell["node"], "gpu-node-7");
  ASSERT_EQ(cell["points"].size(), 4u);
  for (const auto& p : cell["points"]) {
    ASSERT_TRUE(p["extra"].contains("window_utc")) << p.dump();
    EXPECT_NE(p["extra"]["window_utc"]["source"].get<std::string>().find("log.jsonl"), std::string::npos);
  }
  json corr = load_json(env["result"]["dcgm_correlation"].get<std::string>());
  EXPECT_EQ(corr["node"], "gpu-node-7");
  EXPECT_EQ(corr["window"]["source"], "the points' windows");
  EXPECT_DOUBLE_EQ(corr["power_watts_per_gpu"].get<double>(), 476);
  EXPECT_DOUBLE_EQ(corr["mean"]["dram_active_pct"].get<double>(), 66);
  EXPECT_DOUBLE_EQ(corr["mean"]["sm_active_pct"].get<double>(), 75);
  ASSERT_EQ(corr["points"].size(), 4u);
  double tok_s_per_gpu = cell["points"][0]["output_tok_s_per_gpu"].get<double>();
  for (const auto& p : corr["points"]) {
    EXPECT_GE(p["samples_used"].get<long>(), 1) << p.dump();
    EXPECT_DOUBLE_EQ(p["power_watts_per_gpu"].get<double>(), 476);
    EXPECT_DOUBLE_EQ(p["tokens_per_watt"].get<double>(), tok_s_per_gpu / 476);
  }
  // The atlas grounds the cell at L3; tpm_summary uses the points' own power.
  ASSERT_EQ(k.run("atlas_aggregate --campaign cellrun").exit_code, 0);
  auto tpm = k.run("--json tpm_summary --campaign cellrun");
  ASSERT_EQ(tpm.exit_code, 0) << tpm.err;
  json t = tpm.envelope();
  bool seen = false;
  for (const auto& row : t["result"]["rows"])
    if (row["cell_id"] == "vllm-cell" && row["point"] == "peak") {
      seen = true;
      EXPECT_EQ(row["power_basis"], "point window");
      EXPECT_DOUBLE_EQ(row["power_watts_per_gpu"].get<double>(), 476);
    }
  EXPECT_TRUE(seen) << t.dump();
  // Every capture was stopped.
  std::string pod = k.pod.path.string();
  EXPECT_NE(std::system(("pgrep -f " + quote("[" + pod.substr(0, 1) + "]" + pod.substr(1)) + " >/dev/null").c_str()), 0);
}

// Job mode with Prometheus: after each point a query_range over its window
// (node, start and end filled in by the executor) runs in the serving pod;
// the stand-in curl answers as Prometheus would.
TEST(CellRunTelemetry, PrometheusQueryPerPointInJobMode) {
  Cluster k;
  auto bad = k.run("cell_run --campaign cellrun --cell sglang-cell --backend sglang-sweep --mode job --telemetry nvidia-smi "
                   "--telemetry-pod bench-0 --namespace bench --dry-run");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("use --mode exec, or --telemetry prometheus=URL"), std::string::npos) << bad.err;
  auto no_pod = k.run("cell_run --campaign cellrun --cell sglang-cell --backend sglang-sweep --mode job "
                      "--telemetry prometheus=http://prom:9090 --namespace bench --dry-run");
  EXPECT_EQ(no_pod.exit_code, 2);
  EXPECT_NE(no_pod.err.find("needs --telemetry-pod"), std::string::npos) << no_pod.err;
  auto evil = k.run("cell_run --campaign cellrun --cell sglang-cell --backend sglang-sweep --mode job --telemetry-pod bench-0 "
                    "--telemetry " + quote("prometheus=http://p:9090/\"; rm -rf /") + " --namespace bench --dry-run");
  EXPECT_EQ(evil.exit_code, 2);
  auto r = k.run("--json cell_run --campaign cellrun --cell sglang-cell --backend sglang-sweep --mode job --telemetry-pod bench-0 "
                 "--telemetry prometheus=http://prometheus.monitoring:9090/" + kRun,
                 "FAKE_BENCH_SECONDS=2.2 FAKE_NODE=gpu-node-3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json env = r.envelope();
  const json& after = env["result"]["plan"]["points"][0]["after"];
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0]["argv"][after[0]["argv"].size() - 3], "{node}");
  // What ran: the node and the window in place of the placeholders.
  bool queried = false;
  for (const auto& inv : k.invocations())
    if (std::find(inv.begin(), inv.end(), "prometheus-query") != inv.end()) {
      queried = true;
      EXPECT_EQ(inv[inv.size() - 3], "gpu-node-3");
      EXPECT_NE(inv.back().find('.'), std::string::npos);  // epoch seconds, ms
      EXPECT_EQ(inv[inv.size() - 4], "http://prometheus.monitoring:9090");
    }
  EXPECT_TRUE(queried);
  json corr = load_json(env["result"]["dcgm_correlation"].get<std::string>());
  EXPECT_EQ(corr["node"], "gpu-node-3");
  EXPECT_EQ(corr["source"]["format"], "prometheus-api-json");
  EXPECT_EQ(corr["source"]["files"], 4);
  EXPECT_DOUBLE_EQ(corr["power_watts_per_gpu"].get<double>(), 612.5);
  EXPECT_NEAR(corr["mean"]["dram_active_pct"].get<double>(), 58, 1e-9);
  EXPECT_EQ(corr["points"].size(), 4u);
}

}  // namespace
}  // namespace ptr::test
