#include "run/plan.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "run/k8s.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace ptr {

const std::vector<std::string>& protected_names() {
  static const std::vector<std::string> names = {"kube-system", "kube-public", "kube-node-lease", "default",
                                                 "vllm",        "vllm-server", "sglang",          "inference-gateway",
                                                 "gateway",     "prometheus",  "dcgm-exporter",   "gpu-operator"};
  return names;
}

namespace {

constexpr double kDefaultPointTimeout = 7200;  // a point that runs 2 h is stuck
constexpr double kGrace = 60;                  // for kubectl itself beyond the in-pod timeout

bool is_protected(const std::string& name) {
  return std::find(protected_names().begin(), protected_names().end(), name) != protected_names().end();
}

struct Kubectl {
  const CellRunRequest& req;
  Argv base() const {
    Argv a = {"kubectl"};
    if (req.kube_context) a.insert(a.end(), {"--context", *req.kube_context});
    a.insert(a.end(), {"-n", *req.ns});
    return a;
  }
  Argv operator()(std::initializer_list<std::string> rest) const {
    Argv a = base();
    a.insert(a.end(), rest);
    return a;
  }
  Argv exec(std::initializer_list<std::string> cmd) const {
    Argv a = base();
    a.insert(a.end(), {"exec", *req.bench_pod});
    if (req.container) a.insert(a.end(), {"-c", *req.container});
    a.push_back("--");
    a.insert(a.end(), cmd);
    return a;
  }
  Argv exec(const Argv& cmd) const {
    Argv a = exec({});
    a.insert(a.end(), cmd.begin(), cmd.end());
    return a;
  }
  Argv cp(const std::string& from, const std::string& to) const {
    Argv a = base();
    a.push_back("cp");
    if (req.container) a.insert(a.end(), {"-c", *req.container});
    a.insert(a.end(), {from, to});
    return a;
  }
};

// In the pod: the benchmark runs under timeout(1), so a stuck point stops
// there, not only its local kubectl.
Argv bounded(const Argv& cmd, double seconds) {
  Argv a = {"timeout", "-k", "30", fmt::format("{:.0f}", seconds)};
  a.insert(a.end(), cmd.begin(), cmd.end());
  return a;
}

std::string block_string(const json& block, const char* key) {
  auto it = block.find(key);
  return it != block.end() && it->is_string() ? it->get<std::string>() : std::string();
}

WorkloadSpec workload_of(const CellConfig& cc, const json& block, const BenchTarget& target, const CellRunRequest& req,
                         const std::string& config_file, Warnings& warnings) {
  const AtlasCell& cell = cc.identity;
  WorkloadSpec w;
  w.dataset = cell.dataset.value_or("random");
  w.isl = cell.isl;
  w.osl = cell.osl;
  std::string path = block_string(block, "dataset_path");
  if (!path.empty()) w.dataset_path = path;
  if (w.dataset == "sharegpt" && !w.dataset_path && req.backend != "aiperf")
    throw_input(config_file, fmt::format("cell {}: dataset sharegpt needs the file's path in the pod", cell.cell_id), -1,
                fmt::format("{}.dataset_path", find_backend(req.backend)->config_block),
                "set the backend block's dataset_path, or use dataset: random");
  if (!dataset_planned(w.dataset)) {
    auto args = block.find("dataset_args");
    if (args == block.end() || !args->is_array() || args->empty())
      throw_input(config_file,
                  fmt::format("cell {}: cell_run plans datasets random and sharegpt; '{}' needs the client's own "
                              "dataset flags", cell.cell_id, excerpt(w.dataset)),
                  -1, fmt::format("{}.dataset_args", find_backend(req.backend)->config_block),
                  "give dataset_args (a list, e.g. [--dataset-name, sonnet, --dataset-path, /data/sonnet.txt])");
    w.dataset_args = *args;
    if (cell.isl || cell.osl)
      add_warning(warnings, {"lengths_not_applied",
                             fmt::format("dataset '{}' is driven by dataset_args: the cell's isl/osl are not passed "
                                         "to the client; measured lengths are compared after each point", w.dataset),
                             cell.cell_id, {}, "dataset", {}, {}});
  }
  // The served name and the tokenizer differ when the server serves a local path or an alias.
  std::optional<std::string> tok = cell.tokenizer ? cell.tokenizer : cell.hf_path;
  if (tok && *tok != target.served_model) w.tokenizer = tok;
  if (cell.cache_mode.value_or("cold") == "warm") w.warmup_requests = cc.warmup_requests.value_or(0);
  return w;
}

}  // namespace

json RunPlan::to_json() const {
  auto step_json = [](const Step& s) {
    json j = {{"step", s.name}, {"argv", s.argv}, {"display", shell_line(s.argv)}};
    if (s.timeout_s) j["timeout_s"] = *s.timeout_s;
    if (!s.expect.empty()) j["expect"] = s.expect;
    return j;
  };
  json pts = json::array();
  for (const auto& p : points) {
    json steps = json::array();
    for (const auto& s : p.steps) steps.push_back(step_json(s));
    json pj = {{"concurrency", p.concurrency}, {"num_prompts", p.num_prompts}, {"remote_dir", p.remote_dir},
               {"local_dir", p.local_dir}, {"steps", steps}};
    if (!p.manifest_file.empty()) pj["manifest"] = p.manifest_file;
    if (p.status) pj["status_poll"] = step_json(*p.status);
    if (!p.sweep_points.empty()) pj["sweep_points"] = p.sweep_points;
    pts.push_back(pj);
  }
  json pre = json::array(), down = json::array();
  for (const auto& s : preflight) pre.push_back(step_json(s));
  for (const auto& s : teardown) down.push_back(step_json(s));
  return {{"campaign", campaign},
          {"cell", cell},
          {"backend", backend},
          {"mode", mode},
          {"namespace", ns},
          {"experiment", experiment},
          {"run", run},
          {"labels", {{"experiment", experiment}, {"cell", cell}, {"run", run}}},
          {"workload", workload},
          {"preflight", pre},
          {"guard", step_json(guard)},
          {"points", pts},
          {"teardown", down},
          {"leftovers_check", step_json(leftovers)},
          {"skipped_as_measured", skipped_as_measured}};
}

RunPlan plan_cell_run(const CellRunRequest& req, const PlanInputs& in, Warnings& warnings) {
  const BackendSpec* backend = find_backend(req.backend);
  if (!backend) throw_usage("unknown --backend '" + req.backend + "'", "expected vllm-sweep, aiperf or sglang-sweep");
  if (req.mode != "exec" && req.mode != "job") throw_usage("--mode must be exec or job, got '" + req.mode + "'");
  if (!req.ns) throw_usage("cell_run needs --namespace (the namespace the benchmark runs in)");
  k8s::require_namespace(*req.ns);
  if (is_protected(*req.ns) && !(*req.ns == "default" && req.allow_default_namespace))
    throw_refusal("namespace '" + *req.ns + "' is a platform or standing-service namespace; cell_run will not create "
                  "objects or run benchmarks there",
                  *req.ns == "default" ? "pass --allow-default-namespace if you really mean it" : "");
  if (req.kube_context) k8s::require_context(*req.kube_context);
  if (req.mode == "exec") {
    if (!req.bench_pod) throw_usage("--mode exec needs --bench-pod (the pod to exec the client in)");
    k8s::require_pod(*req.bench_pod);
    if (req.container && !k8s::valid_dns_label(*req.container))
      throw_usage("--container '" + excerpt(*req.container) + "' is not a container name (1-63 of a-z, 0-9, '-')");
  }
  const CellConfig& cc = *in.cell;
  const AtlasCell& cell = cc.identity;
  std::string config_file = "config.yaml";
  json block = cc.backends.contains(backend->config_block) ? cc.backends[backend->config_block] : json::object();
  BenchTarget target;
  target.endpoint_url = req.endpoint_url.value_or("http://localhost:8000");
  target.served_model = req.served_model.value_or(cell.hf_path.value_or(cell.model.value_or("model")));
  if (block.contains("extra_args")) {
    if (!block["extra_args"].is_array())
      throw_input(config_file, "extra_args must be a list", -1, std::string(backend->config_block) + ".extra_args");
    target.extra_args = block["extra_args"];
  }
  WorkloadSpec w = workload_of(cc, block, target, req, config_file, warnings);
  double timeout = req.timeout_per_point_s.value_or(block.value("timeout_per_point_s", kDefaultPointTimeout));
  if (!(timeout > 0)) throw_usage("--timeout-per-point must be > 0 seconds");

  RunPlan plan;
  plan.campaign = in.campaign_id;
  plan.cell = cell.cell_id;
  plan.backend = backend->name;
  plan.spec = backend;
  plan.mode = req.mode;
  plan.ns = *req.ns;
  // The seed: campaign id = experiment id, label experiment=<id>; cell and run beside it.
  plan.experiment = k8s::label_safe(in.campaign_id);
  plan.run = k8s::label_safe(in.stamp);
  plan.skipped_as_measured = in.done;
  Kubectl kubectl{req};
  std::string selector = fmt::format("experiment={},cell={},run={}", plan.experiment, plan.cell, plan.run);
  std::string remote_root = fmt::format("/tmp/perftunereport/{}/{}/{}/", plan.experiment, plan.cell, plan.run);

  // Preflight: the context, namespace and pod exist, and RBAC allows what runs.
  if (req.kube_context)
    plan.preflight.push_back({"check-context", {"kubectl", "config", "get-contexts", *req.kube_context, "-o", "name"}, 30.0,
                              {}, {}, "kube context '" + *req.kube_context + "' is not in the kubeconfig"});
  plan.preflight.push_back({"check-namespace", kubectl({"get", "namespace", *req.ns, "-o", "name"}), 30.0, {}, {},
                            "namespace '" + *req.ns + "' does not exist or is not readable"});
  auto can_i = [&](const std::string& verb, const std::string& resource) {
    plan.preflight.push_back({"check-rbac", kubectl({"auth", "can-i", verb, resource}), 30.0, {}, "yes",
                              fmt::format("RBAC does not allow '{} {}' in namespace {}", verb, resource, *req.ns)});
  };
  if (req.mode == "exec") {
    plan.preflight.push_back({"check-pod", kubectl({"get", "pod", *req.bench_pod, "-o", "jsonpath={.status.phase}"}), 30.0, {},
                              "Running", "pod '" + *req.bench_pod + "' is not Running"});
    can_i("create", "pods/exec");
    plan.guard = {"guard", kubectl.exec({"pgrep", "-f", remote_root}), 60.0, {}, {}, {}};
    plan.stop = {"stop", kubectl.exec({"pkill", "-f", remote_root}), 60.0, {}, {}, {}};
    plan.teardown.push_back({"teardown", kubectl.exec({"pkill", "-f", remote_root}), 60.0, {}, {}, {}});
    plan.leftovers = {"leftovers", kubectl.exec({"pgrep", "-f", remote_root}), 60.0, {}, {}, {}};
  } else {
    for (const char* verb : {"create", "delete", "get"}) can_i(verb, "jobs");
    can_i("get", "pods");
    can_i("get", "pods/log");
    plan.guard = {"guard",
                  kubectl({"get", "pods", "-l", selector, "--field-selector=status.phase=Running", "-o", "name"}), 60.0,
                  {}, {}, {}};
    plan.stop = {"stop", kubectl({"delete", "job", "-l", selector, "--ignore-not-found", "--cascade=foreground", "--wait=true"}),
                 300.0, {}, {}, {}};
    plan.teardown.push_back(
        {"teardown", kubectl({"delete", "job", "-l", selector, "--ignore-not-found", "--cascade=foreground", "--wait=true"}),
         300.0, {}, {}, {}});
    plan.leftovers = {"leftovers", kubectl({"get", "jobs,pods", "-l", selector, "-o", "name"}), 60.0, {}, {}, {}};
  }
  // Standing objects (not from this experiment): listed before and after, compared.
  plan.standing = Step{"standing",
                       kubectl({"get", "deployments,statefulsets,services", "-l", "experiment!=" + plan.experiment, "-o", "name"}),
                       60.0, {}, {}, {}};

  std::string image;
  if (req.mode == "job") {
    image = block_string(block, "image");
    if (image.empty() && in.provenance.is_object()) image = block_string(in.provenance, "image");
    if (image.empty())
      throw_usage(fmt::format("--mode job needs the client's image: set {}.image in the cell or provenance.image in the "
                              "campaign config", backend->config_block),
                  "an image is never implied (no :latest)");
    if (!k8s::valid_image(image)) throw_usage("image '" + excerpt(image) + "' is not an image reference");
  }

  plan.workload = {{"dataset", w.dataset},
                   {"isl", cell.isl ? json(*cell.isl) : json(nullptr)},
                   {"osl", cell.osl ? json(*cell.osl) : json(nullptr)},
                   {"exact_lengths", w.dataset == "random"},
                   {"output_length", backend->output_length},
                   {"cache_mode", cell.cache_mode ? json(*cell.cache_mode) : json(nullptr)},
                   {"warmup_requests", cell.cache_mode.value_or("cold") == "warm"
                                           ? json(cc.warmup_requests ? *cc.warmup_requests : -1)
                                           : json(0)},
                   {"tokenizer", w.tokenizer ? json(*w.tokenizer) : json(nullptr)},
                   {"served_model", target.served_model},
                   {"endpoint_url", target.endpoint_url},
                   {"timeout_per_point_s", timeout},
                   {"image", image.empty() ? json(nullptr) : json(image)}};
  if (cell.cache_mode.value_or("cold") == "warm" && !cc.warmup_requests) plan.workload["warmup_requests"] = "concurrency";

  bool sweep_serve = req.backend == "vllm-sweep" && block.contains("serve_cmd") && block["serve_cmd"].is_string();
  if (sweep_serve && req.mode != "exec") throw_usage("vllm_sweep.serve_cmd runs `vllm bench sweep serve` in a pod: use --mode exec");
  long configured = cc.num_prompts.value_or(0);
  std::string local_root = fmt::format("cell_run/{}", plan.run);
  PointPlan sweep;
  for (long conc : cc.concurrencies) {
    if (std::find(in.done.begin(), in.done.end(), conc) != in.done.end()) continue;
    long floor = 2 * conc;
    long prompts = configured > 0 ? std::max(configured, floor) : 10 * conc;
    if (configured > 0 && configured < floor)
      add_warning(warnings, {"num_prompts_raised",
                             fmt::format("num_prompts {} < 2 x concurrency; raised to {} (steady-window rule)", configured, floor),
                             plan.cell, {}, {}, {}, conc});
    WorkloadSpec wp = w;
    if (cell.cache_mode.value_or("cold") == "warm" && !cc.warmup_requests) wp.warmup_requests = conc;
    if (sweep_serve) {
      sweep.sweep_points.push_back({{"max_concurrency", conc}, {"num_prompts", prompts}});
      continue;
    }
    PointPlan p;
    p.concurrency = conc;
    p.num_prompts = prompts;
    p.remote_dir = fmt::format("{}c{}", remote_root, conc);
    p.local_dir = fmt::format("{}/c{}", local_root, conc);
    Argv bench = backend->bench(wp, target, {conc, prompts, p.remote_dir});
    if (req.mode == "exec") {
      p.steps = {{"mkdir", kubectl.exec({"mkdir", "-p", p.remote_dir}), 120.0, {}, {}, {}},
                 {"bench", kubectl.exec(bounded(bench, timeout)), timeout + kGrace, {}, {}, {}},
                 {"fetch", kubectl.cp(*req.bench_pod + ":" + p.remote_dir, in.cell_dir + "/raw/" + p.local_dir), 600.0, {}, {}, {}}};
    } else {
      p.job_name = k8s::job_name(plan.experiment, plan.cell, plan.run, conc);
      if (is_protected(p.job_name)) throw_refusal("generated job name '" + p.job_name + "' is a protected name");
      // In a fresh container the client's output folder does not exist: create
      // it; after the client, print each result file between markers, so the
      // Job's log carries the files themselves (the pod is gone afterwards).
      // Every value is shell-quoted: it stays data.
      std::string d = shell_quote(p.remote_dir);
      std::string script = "mkdir -p " + d + " && { " + shell_line(bench) + "; }; rc=$?; for f in " + d +
                           "/*; do [ -f \"$f\" ] || continue; printf '\\n" + std::string(kJobFileBegin) +
                           " %s>>>\\n' \"${f##*/}\"; cat \"$f\"; printf '\\n" + std::string(kJobFileEnd) +
                           "\\n'; done; exit $rc";
      Argv in_container = {"sh", "-c", script};
      k8s::JobSpec job{p.job_name, *req.ns, image, plan.experiment, plan.cell, plan.run, in_container,
                       static_cast<long>(timeout)};
      p.manifest = k8s::job_manifest(job);
      p.manifest["metadata"]["labels"]["concurrency"] = std::to_string(conc);
      p.manifest["spec"]["template"]["metadata"]["labels"]["concurrency"] = std::to_string(conc);
      p.manifest_file = fmt::format("{}/job-c{}.json", in.commands_dir, conc);
      std::string point_selector = fmt::format("{},concurrency={}", selector, conc);
      p.steps = {{"apply", kubectl({"apply", "-f", p.manifest_file}), 120.0, {}, {}, {}},
                 {"logs", kubectl({"logs", "job/" + p.job_name}), 300.0, {}, {}, {}},
                 {"delete", kubectl({"delete", "job", "-l", point_selector, "--ignore-not-found", "--cascade=foreground", "--wait=true"}),
                  300.0, {}, {}, {}}};
      // Complete or Failed, whichever comes first: never a wait on "complete" alone.
      p.status = Step{"status", kubectl({"get", "job", p.job_name, "-o", "jsonpath={.status.conditions[*].type}"}), 60.0, {}, {}, {}};
      p.log_tail = Step{"logs", kubectl({"logs", "job/" + p.job_name, "--tail=40"}), 120.0, {}, {}, {}};
    }
    plan.points.push_back(std::move(p));
  }
  if (sweep_serve && !sweep.sweep_points.empty()) {
    // vllm bench sweep serve sets --max-concurrency, --num-prompts, --result-*,
    // --save-result and --percentile-metrics per combination; everything else
    // (including --metric-percentiles: p90) goes in the bench command.
    Argv full = backend->bench(w, target, {0, 0, remote_root});
    Argv bench_cmd;
    for (size_t i = 0; i < full.size(); ++i) {
      const std::string& a = full[i];
      if (a == "--max-concurrency" || a == "--num-prompts" || a == "--result-dir" || a == "--result-filename" ||
          a == "--percentile-metrics") {
        ++i;
        continue;
      }
      if (a == "--save-result") continue;
      bench_cmd.push_back(a);
    }
    sweep.remote_dir = remote_root + "sweep";
    sweep.local_dir = local_root + "/sweep";
    long num_runs = block.value("num_runs", 3L);
    double ready = block.value("server_ready_timeout_s", 1800.0);
    double total = timeout * static_cast<double>(sweep.sweep_points.size() * std::max(1L, num_runs)) + ready;
    Argv run = {"vllm", "bench", "sweep", "serve", "--serve-cmd", block["serve_cmd"].get<std::string>(), "--bench-cmd",
                shell_line(bench_cmd), "--bench-params", sweep.remote_dir + "/bench-params.json", "-o",
                sweep.remote_dir + "/out", "-e", "run", "--num-runs", std::to_string(num_runs), "--server-ready-timeout",
                fmt::format("{:.0f}", ready), "--continue-on-error"};
    sweep.steps = {{"mkdir", kubectl.exec({"mkdir", "-p", sweep.remote_dir}), 120.0, {}, {}, {}},
                   {"params", kubectl.cp(in.commands_dir + "/bench-params.json", *req.bench_pod + ":" + sweep.remote_dir + "/bench-params.json"),
                    120.0, {}, {}, {}},
                   {"sweep", kubectl.exec(bounded(run, total)), total + kGrace, {}, {}, {}},
                   {"fetch", kubectl.cp(*req.bench_pod + ":" + sweep.remote_dir + "/out/run", in.cell_dir + "/raw/" + sweep.local_dir),
                    600.0, {}, {}, {}}};
    plan.points.push_back(std::move(sweep));
  }
  return plan;
}

}  // namespace ptr
