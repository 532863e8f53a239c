// The cell_run planner: exact argv per backend and mode, against the flags the
// real clients define (vLLM bench serve / bench sweep serve, SGLang
// bench_serving, AIPerf profile) and kubectl's.
#include "campaign/config.hpp"
#include "run/k8s.hpp"
#include "run/plan.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

CampaignConfig config() {
  return parse_campaign_config(read_file(source_dir() / "tests/data/cell-run-campaign.yaml"), "cell-run-campaign.yaml");
}

struct Planned {
  CampaignConfig cfg = config();
  Warnings warnings;
  RunPlan plan(const std::string& cell, CellRunRequest req, std::vector<long> done = {}) {
    PlanInputs in;
    in.campaign_id = "20261130T120000Z-cellrun";
    in.campaign_slug = "cellrun";
    in.cell = cfg.find_cell(cell);
    in.provenance = cfg.provenance;
    in.stamp = "20261130T120500Z";
    in.cell_dir = "/c/cells/" + cell;
    in.commands_dir = "/c/commands/" + cell + "/20261130T120500Z";
    in.done = done;
    req.campaign = "cellrun";
    req.cell = cell;
    return plan_cell_run(req, in, warnings);
  }
};

CellRunRequest exec_req(const std::string& backend) {
  CellRunRequest r;
  r.backend = backend;
  r.ns = "bench";
  r.bench_pod = "bench-0";
  r.endpoint_url = "http://svc:8000";
  return r;
}

Argv argv_of(const RunPlan& p, size_t point, const std::string& step) {
  for (const auto& s : p.points[point].steps)
    if (s.name == step) return s.argv;
  return {};
}

const std::string kRemote = "/tmp/perftunereport/20261130T120000Z-cellrun/";

TEST(CellRunPlan, VllmExecArgvIsExact) {
  Planned t;
  RunPlan p = t.plan("vllm-cell", exec_req("vllm-sweep"));
  ASSERT_EQ(p.points.size(), 4u);
  EXPECT_EQ(p.experiment, "20261130T120000Z-cellrun");  // the campaign id
  EXPECT_EQ(p.run, "20261130T120500Z");
  std::string dir = kRemote + "vllm-cell/20261130T120500Z/c8";
  EXPECT_EQ(argv_of(p, 1, "bench"),
            (Argv{"kubectl", "-n", "bench", "exec", "bench-0", "--", "timeout", "-k", "30", "7200", "vllm", "bench", "serve",
                  "--backend", "vllm", "--base-url", "http://svc:8000", "--model", "zai-org/GLM-4.7-FP8", "--dataset-name",
                  "random", "--random-input-len", "1024", "--random-output-len", "128", "--random-range-ratio", "0",
                  "--ignore-eos", "--num-prompts", "200", "--max-concurrency", "8", "--request-rate", "inf",
                  "--percentile-metrics", "ttft,tpot,itl,e2el", "--metric-percentiles", "50,90,99", "--save-result",
                  "--result-dir", dir, "--result-filename", "result.json"}));
  EXPECT_EQ(argv_of(p, 1, "mkdir"), (Argv{"kubectl", "-n", "bench", "exec", "bench-0", "--", "mkdir", "-p", dir}));
  EXPECT_EQ(argv_of(p, 1, "fetch"),
            (Argv{"kubectl", "-n", "bench", "cp", "bench-0:" + dir, "/c/cells/vllm-cell/.landing/cell_run/20261130T120500Z/c8"}));
  EXPECT_EQ(p.points[3].num_prompts, 200);  // max(200, 2 x 64)
  EXPECT_EQ(p.guard.argv, (Argv{"kubectl", "-n", "bench", "exec", "bench-0", "--", "pgrep", "-f",
                                kRemote + "vllm-cell/20261130T120500Z/"}));
  // Preflight: namespace, pod Running, RBAC for exec.
  ASSERT_EQ(p.preflight.size(), 3u);
  EXPECT_EQ(p.preflight[0].argv, (Argv{"kubectl", "-n", "bench", "get", "namespace", "bench", "-o", "name"}));
  EXPECT_EQ(p.preflight[1].expect, "Running");
  EXPECT_EQ(p.preflight[2].argv, (Argv{"kubectl", "-n", "bench", "auth", "can-i", "create", "pods/exec"}));
  EXPECT_EQ(p.workload["output_length"], "--ignore-eos (every dataset)");
}

TEST(CellRunPlan, SglangUsesExactOfflineRandomAndWarmups) {
  Planned t;
  RunPlan p = t.plan("sglang-cell", exec_req("sglang-sweep"));
  std::string dir = kRemote + "sglang-cell/20261130T120500Z/c1";
  EXPECT_EQ(argv_of(p, 0, "bench"),
            (Argv{"kubectl", "-n", "bench", "exec", "bench-0", "--", "timeout", "-k", "30", "7200", "python3", "-m",
                  "sglang.bench_serving", "--backend", "sglang", "--base-url", "http://svc:8000", "--model",
                  "zai-org/GLM-4.7-FP8", "--dataset-name", "random-ids", "--random-input-len", "1024",
                  "--random-output-len", "128", "--random-range-ratio", "1", "--num-prompts", "200", "--max-concurrency",
                  "1", "--request-rate", "inf", "--warmup-requests", "0", "--output-file", dir + "/result.jsonl"}));
}

TEST(CellRunPlan, AiperfHoldsOutputLengthAndTokenizer) {
  Planned t;
  CellRunRequest r = exec_req("aiperf");
  r.served_model = "glm";  // served under an alias: the tokenizer is the HF path
  RunPlan p = t.plan("aiperf-cell", r);
  std::string dir = kRemote + "aiperf-cell/20261130T120500Z/c32";
  EXPECT_EQ(argv_of(p, 2, "bench"),
            (Argv{"kubectl", "-n", "bench", "exec", "bench-0", "--", "timeout", "-k", "30", "7200", "aiperf", "profile",
                  "--model", "glm", "--url", "http://svc:8000", "--endpoint-type", "chat", "--streaming", "--tokenizer",
                  "zai-org/GLM-4.7-FP8", "--concurrency", "32", "--request-count", "200",
                  "--synthetic-input-tokens-mean", "1024", "--synthetic-input-tokens-stddev", "0", "--output-tokens-mean",
                  "128", "--output-tokens-stddev", "0", "--extra-inputs", "ignore_eos:true", "--artifact-dir", dir}));
}

TEST(CellRunPlan, WarmCellsWarmUpWithTheConcurrency) {
  Planned t;
  RunPlan v = t.plan("warm-cell", exec_req("vllm-sweep"));
  Argv b = argv_of(v, 0, "bench");
  auto at = std::find(b.begin(), b.end(), "--num-warmups");
  ASSERT_NE(at, b.end());
  EXPECT_EQ(*(at + 1), "8");
  RunPlan s = t.plan("warm-cell", exec_req("sglang-sweep"));
  Argv sb = argv_of(s, 0, "bench");
  EXPECT_EQ(*(std::find(sb.begin(), sb.end(), "--warmup-requests") + 1), "8");
  RunPlan a = t.plan("warm-cell", exec_req("aiperf"));
  Argv ab = argv_of(a, 0, "bench");
  EXPECT_EQ(*(std::find(ab.begin(), ab.end(), "--warmup-request-count") + 1), "8");
  EXPECT_EQ(v.workload["warmup_requests"], "concurrency");
}

TEST(CellRunPlan, JobModeManifestIsDataWithLabelsDeadlineAndImage) {
  Planned t;
  CellRunRequest r = exec_req("sglang-sweep");
  r.mode = "job";
  r.bench_pod.reset();
  r.timeout_per_point_s = 900;
  RunPlan p = t.plan("sglang-cell", r);
  const PointPlan& c8 = p.points[1];
  EXPECT_EQ(c8.job_name, k8s::job_name("20261130T120000Z-cellrun", "sglang-cell", "20261130T120500Z", 8));
  EXPECT_TRUE(k8s::valid_dns_label(c8.job_name));
  const json& m = c8.manifest;
  EXPECT_EQ(m["metadata"]["labels"]["experiment"], "20261130T120000Z-cellrun");
  EXPECT_EQ(m["metadata"]["labels"]["cell"], "sglang-cell");
  EXPECT_EQ(m["metadata"]["labels"]["run"], "20261130T120500Z");
  EXPECT_EQ(m["spec"]["activeDeadlineSeconds"], 900);
  EXPECT_EQ(m["spec"]["backoffLimit"], 0);
  const json& container = m["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(container["image"], "lmsysorg/sglang:v0.5.6");
  std::string script = container["command"][2];
  // The output folder is created in the fresh container before the client runs.
  EXPECT_EQ(script.rfind("mkdir -p " + kRemote + "sglang-cell/20261130T120500Z/c8 && { python3 -m sglang.bench_serving", 0), 0u)
      << script;
  EXPECT_EQ(c8.steps[0].argv, (Argv{"kubectl", "-n", "bench", "apply", "-f", "/c/commands/sglang-cell/20261130T120500Z/job-c8.json"}));
  EXPECT_EQ(c8.status->argv, (Argv{"kubectl", "-n", "bench", "get", "job", c8.job_name, "-o",
                                   "jsonpath={.status.conditions[*].type}"}));
  EXPECT_EQ(c8.steps[2].argv,
            (Argv{"kubectl", "-n", "bench", "delete", "job", "-l",
                  "experiment=20261130T120000Z-cellrun,cell=sglang-cell,run=20261130T120500Z,concurrency=8",
                  "--ignore-not-found", "--cascade=foreground", "--wait=true"}));
  EXPECT_EQ(p.leftovers.argv, (Argv{"kubectl", "-n", "bench", "get", "jobs,pods", "-l",
                                    "experiment=20261130T120000Z-cellrun,cell=sglang-cell,run=20261130T120500Z", "-o", "name"}));
  // RBAC for everything Job mode does.
  EXPECT_EQ(p.preflight.size(), 6u);
}

TEST(CellRunPlan, SweepServeKeepsPercentilesAndContinuesOnError) {
  Planned t;
  RunPlan p = t.plan("sweep-cell", exec_req("vllm-sweep"));
  ASSERT_EQ(p.points.size(), 1u);
  Argv sweep = argv_of(p, 0, "sweep");
  auto at = [&](const std::string& flag) { return *(std::find(sweep.begin(), sweep.end(), flag) + 1); };
  EXPECT_NE(at("--bench-cmd").find("--metric-percentiles 50,90,99"), std::string::npos);
  EXPECT_EQ(at("--bench-cmd").find("--max-concurrency"), std::string::npos);
  EXPECT_EQ(at("--server-ready-timeout"), "2400");
  EXPECT_NE(std::find(sweep.begin(), sweep.end(), "--continue-on-error"), sweep.end());
  EXPECT_EQ(p.points[0].sweep_points.size(), 4u);
}

TEST(CellRunPlan, RefusesWhatItCannotPlan) {
  Planned t;
  auto refused = [&](const std::string& cell, CellRunRequest r) {
    try {
      t.plan(cell, r);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("<planned>");
  };
  CellRunRequest r = exec_req("vllm-sweep");
  r.ns = "bench\n  annotations: {x: y}";
  EXPECT_NE(refused("vllm-cell", r).find("is not a Kubernetes namespace name"), std::string::npos);
  r = exec_req("vllm-sweep");
  r.ns = "default";
  EXPECT_NE(refused("vllm-cell", r).find("platform or standing-service namespace"), std::string::npos);
  r.allow_default_namespace = true;
  EXPECT_EQ(refused("vllm-cell", r), "<planned>");
  r = exec_req("vllm-sweep");
  r.ns.reset();
  EXPECT_NE(refused("vllm-cell", r).find("needs --namespace"), std::string::npos);
  r = exec_req("vllm-sweep");
  r.bench_pod = "pod; rm -rf /";
  EXPECT_NE(refused("vllm-cell", r).find("is not a Kubernetes pod name"), std::string::npos);
  r = exec_req("vllm-sweep");
  r.kube_context = "ctx with space";
  EXPECT_NE(refused("vllm-cell", r).find("is not a kubectl context name"), std::string::npos);
  // Job mode never implies an image: the warm cell has no block image, but provenance.image exists.
  r = exec_req("aiperf");
  r.mode = "job";
  EXPECT_EQ(refused("warm-cell", r), "<planned>");
  t.cfg.provenance = json::object();
  EXPECT_NE(refused("warm-cell", r).find("needs the client's image"), std::string::npos);
}

TEST(K8sNames, LabelValuesAndJobNames) {
  EXPECT_TRUE(k8s::valid_label_value("20261130T120000Z-example"));
  EXPECT_FALSE(k8s::valid_label_value("ends-"));
  EXPECT_FALSE(k8s::valid_label_value(std::string(64, 'a')));
  EXPECT_EQ(k8s::label_safe(std::string(70, 'a') + "-x").size(), 63u);
  std::string j = k8s::job_name("exp", std::string(55, 'c'), "run", 128);
  EXPECT_LE(j.size(), 63u);
  EXPECT_TRUE(k8s::valid_dns_label(j));
  EXPECT_NE(j, k8s::job_name("exp", std::string(55, 'c'), "run2", 128));  // experiment-unique
  EXPECT_FALSE(k8s::valid_dns_label("true-"));
  EXPECT_TRUE(k8s::valid_dns_subdomain("bench-0.svc"));
}

}  // namespace
}  // namespace ptr::test

namespace ptr::test {
namespace {

TEST(CellRunConfig, BackendBlocksAreCheckedAtCampaignInit) {
  std::string yaml = read_file(source_dir() / "tests/data/cell-run-campaign.yaml");
  yaml.replace(yaml.find("image: lmsysorg/sglang:v0.5.6"), 29, "image: \"lmsysorg/sglang v0.5.6\"\n      extra_args: --flag");
  try {
    parse_campaign_config(yaml, "c.yaml");
    FAIL() << "accepted";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("key 'sglang.image' must be an image reference"), std::string::npos) << m;
    EXPECT_NE(m.find("key 'sglang.extra_args' must be a list of arguments"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace ptr::test
