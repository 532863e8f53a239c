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
  // In another pod of the namespace (the one that sees the GPUs).
  Argv exec_in(const std::string& pod, const Argv& cmd) const {
    Argv a = base();
    a.insert(a.end(), {"exec", pod});
    if (req.container && pod == *req.bench_pod) a.insert(a.end(), {"-c", *req.container});
    a.push_back("--");
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

std::vector<long> long_list(const json& block, const char* key, std::vector<long> fallback) {
  auto it = block.find(key);
  if (it == block.end()) return fallback;
  std::vector<long> out;
  if (it->is_array())
    for (const auto& v : *it)
      if (v.is_number_integer() && v.get<long>() >= 1 && v.get<long>() <= 1000000) out.push_back(v.get<long>());
  if (out.empty() || !it->is_array() || out.size() != it->size())
    throw_input("config.yaml", "expected a list of whole numbers >= 1", -1, std::string("roofline_sweep.") + key);
  return out;
}

// nvidia-smi's GPM metrics: graphics, SM and tensor activity, occupancy, DRAM, NVLink rx/tx.
constexpr const char* kGpmMetrics = "1,2,3,5,10,60,61";
// DCGM: GR engine, SM active, occupancy, tensor, DRAM, PCIe and NVLink TX/RX, power, SM and memory clocks.
constexpr const char* kDcgmFields = "1001,1002,1003,1004,1005,1009,1010,1011,1012,155,100,101";

// An in-pod capture into `dir`, started in the background. Either command
// line names the folder, so `pkill -f` of it (the stop step, and the guard and
// teardown that match the run's folder) ends it.
Argv capture_start(const std::string& kind, const std::string& dir) {
  if (kind == "nvidia-smi")
    return {"sh", "-c",
            "mkdir -p " + shell_quote(dir) + " && nohup nvidia-smi dmon -o DT -d 1 --gpm-metrics " + kGpmMetrics + " -f " +
                shell_quote(dir + "/nvidia-smi-dmon.txt") + " >/dev/null 2>&1 &"};
  // dcgmi writes to stdout: bash names the process after the folder (exec -a).
  return {"bash", "-c",
          "mkdir -p " + shell_quote(dir) + " && { nohup bash -c 'exec -a \"$0\" dcgmi dmon -e " + kDcgmFields +
              " -d 1000 > \"$1\" 2>&1' " + shell_quote("dcgmi-capture:" + dir) + " " + shell_quote(dir + "/dcgmi-dmon.txt") +
              " >/dev/null 2>&1 & }"};
}
Argv capture_stop(const std::string& dir) { return {"pkill", "-f", dir}; }

std::string capture_command(const std::string& kind) {
  return kind == "nvidia-smi" ? "nvidia-smi dmon -o DT -d 1 --gpm-metrics " + std::string(kGpmMetrics)
                              : "dcgmi dmon -e " + std::string(kDcgmFields) + " -d 1000";
}

// A Prometheus query_range of every DCGM series of the node over the point's
// bench window, run in a pod that reaches Prometheus; the values are passed
// as arguments ("$2".."$5"), never spliced into the script.
Argv prometheus_query(const std::string& url, const std::string& dir) {
  return {"sh", "-c",
          "mkdir -p \"$1\" && curl -sfG \"$2/api/v1/query_range\" --data-urlencode "
          "\"query={__name__=~\\\"DCGM_FI_.*\\\",Hostname=\\\"$3\\\"}\" --data-urlencode \"start=$4\" --data-urlencode "
          "\"end=$5\" --data-urlencode step=1s > \"$1/prometheus-query-range.json\"",
          "prometheus-query", dir, url, kNodeWord, kStartWord, kEndWord};
}

// Decode points at each batch (ISL/OSL fixed), prefill points at each prompt
// length (OSL 1); around each bench, `nvidia-smi dmon -o DT` logs to a file
// whose path names the run's folder, so the guard, stop and teardown that
// match that folder also catch a capture left running.
void plan_roofline_points(RunPlan& plan, const json& rblock, const WorkloadSpec& w, const BenchTarget& target,
                          const BackendSpec& backend, const Kubectl& kubectl, const CellRunRequest& req, const PlanInputs& in,
                          const std::string& remote_root, double timeout) {
  std::string tel_pod = req.telemetry_pod.value_or(rblock.value("telemetry_pod", *req.bench_pod));
  k8s::require_pod(tel_pod);
  std::string telemetry = rblock.value("telemetry", std::string("nvidia-smi"));
  if (telemetry != "nvidia-smi" && telemetry != "dcgmi")
    throw_input("config.yaml", "telemetry must be nvidia-smi or dcgmi, got '" + excerpt(telemetry) + "'", -1, "roofline_sweep.telemetry");
  auto batches = long_list(rblock, "decode_batches", {1, 2, 4, 8, 16, 32, 64, 128, 192});
  auto isls = long_list(rblock, "prefill_isls", {512, 1024, 2048, 4096, 8192});
  long decode_isl = rblock.value("decode_isl", w.isl.value_or(1024)), decode_osl = rblock.value("decode_osl", w.osl.value_or(256));
  long prefill_c = rblock.value("prefill_concurrency", 1L), prefill_prompts = rblock.value("prefill_num_prompts", 32L);
  plan.bundle_dir = fmt::format("cell_run/{}", plan.run);
  if (tel_pod != *req.bench_pod) {
    plan.teardown.push_back({"teardown", kubectl.exec_in(tel_pod, {"pkill", "-f", remote_root}), 60.0, {}, {}, {}});
  }
  auto point = [&](const std::string& phase, long conc, long prompts, std::optional<long> isl, WorkloadSpec pw) {
    PointPlan p;
    p.phase = phase;
    p.concurrency = conc;
    p.isl = isl;
    p.num_prompts = prompts;
    std::string name = phase == "decode" ? fmt::format("c{}", conc) : fmt::format("isl{}", *isl);
    p.remote_dir = fmt::format("{}{}/{}", remote_root, phase, name);
    p.local_dir = fmt::format("{}/{}/{}", plan.bundle_dir, phase, name);
    std::string tel_dir = p.remote_dir + "-telemetry";
    Argv bench = backend.bench(pw, target, {conc, prompts, p.remote_dir});
    Argv start = capture_start(telemetry, tel_dir);
    Argv stop = capture_stop(tel_dir);
    p.steps = {{"mkdir", kubectl.exec({"mkdir", "-p", p.remote_dir}), 120.0, {}, {}, {}},
               {"telemetry-start", kubectl.exec_in(tel_pod, start), 60.0, {}, {}, {}},
               {"bench", kubectl.exec(bounded(bench, timeout)), timeout + kGrace, {}, {}, {}},
               {"telemetry-stop", kubectl.exec_in(tel_pod, stop), 60.0, {}, {}, {}},
               {"fetch", kubectl.cp(*req.bench_pod + ":" + p.remote_dir, in.cell_dir + "/raw/" + p.local_dir), 600.0, {}, {}, {}},
               {"fetch-telemetry", kubectl.cp(tel_pod + ":" + tel_dir, in.cell_dir + "/raw/" + plan.bundle_dir + "/telemetry/" + phase + "-" + name),
                600.0, {}, {}, {}}};
    plan.points.push_back(std::move(p));
  };
  for (long c : batches) {
    WorkloadSpec pw = w;
    pw.dataset = "random";
    pw.isl = decode_isl;
    pw.osl = decode_osl;
    point("decode", c, std::max(32L, 4 * c), std::nullopt, pw);
  }
  for (long isl : isls) {
    WorkloadSpec pw = w;
    pw.dataset = "random";
    pw.isl = isl;
    pw.osl = 1;
    point("prefill", prefill_c, std::max(prefill_prompts, 2 * prefill_c), isl, pw);
  }
  std::string config_path = rblock.value("model_config_path", std::string());
  if (!config_path.empty())
    plan.collect.push_back({"model-config", kubectl.cp(tel_pod + ":" + config_path, in.cell_dir + "/raw/" + plan.bundle_dir + "/model_config.json"),
                            120.0, {}, {}, {}});
  plan.workload["roofline_sweep"] = {{"client", backend.name},
                                     {"decode_batches", batches},
                                     {"decode_isl", decode_isl},
                                     {"decode_osl", decode_osl},
                                     {"prefill_isls", isls},
                                     {"prefill_concurrency", prefill_c},
                                     {"telemetry", capture_command(telemetry)},
                                     {"telemetry_pod", tel_pod},
                                     {"model_config_path", config_path.empty() ? json() : json(config_path)},
                                     {"bundle", in.cell_dir + "/raw/" + plan.bundle_dir}};
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
    if (!p.phase.empty()) pj["phase"] = p.phase;
    if (p.isl) pj["isl"] = *p.isl;
    if (!p.manifest_file.empty()) pj["manifest"] = p.manifest_file;
    if (p.status) pj["status_poll"] = step_json(*p.status);
    if (!p.sweep_points.empty()) pj["sweep_points"] = p.sweep_points;
    if (!p.after.empty()) {
      pj["after"] = json::array();
      for (const auto& s : p.after) pj["after"].push_back(step_json(s));
    }
    pts.push_back(pj);
  }
  json pre = json::array(), down = json::array();
  for (const auto& s : preflight) pre.push_back(step_json(s));
  for (const auto& s : teardown) down.push_back(step_json(s));
  json collected = json::array();
  for (const auto& s : collect) collected.push_back(step_json(s));
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
          {"skipped_as_measured", skipped_as_measured},
          {"collect", collected},
          {"telemetry", telemetry.empty() ? json() : json({{"kind", telemetry}, {"node_step", node ? step_json(*node) : json()},
                                                           {"dir", telemetry_dir}})}};
}

RunPlan plan_cell_run(const CellRunRequest& req, const PlanInputs& in, Warnings& warnings) {
  // roofline-sweep drives one of the clients (its block's `client`) through
  // decode and prefill points with a telemetry capture around each.
  bool roofline = req.backend == "roofline-sweep";
  json rblock = roofline && in.cell->backends.contains("roofline_sweep") ? in.cell->backends["roofline_sweep"] : json::object();
  if (!rblock.is_object()) throw_input("config.yaml", "roofline_sweep must be a mapping", -1, "roofline_sweep");
  std::string client = roofline ? rblock.value("client", std::string("vllm-sweep")) : req.backend;
  const BackendSpec* backend = find_backend(client);
  if (!backend)
    throw_usage("unknown " + std::string(roofline ? "roofline_sweep.client" : "--backend") + " '" + client + "'",
                "expected vllm-sweep, aiperf or sglang-sweep" + std::string(roofline ? "" : " (or roofline-sweep)"));
  if (roofline && req.telemetry)
    throw_usage("--telemetry is for serving cells; a roofline sweep's capture is its roofline_sweep.telemetry");
  if (roofline && req.mode != "exec")
    throw_usage("--backend roofline-sweep captures GPU telemetry in a pod around each point: use --mode exec");
  if (roofline && !valid_cell_id(in.cell->identity.cell_id + "-prefill"))
    throw_usage("cell id '" + in.cell->identity.cell_id + "' is too long for its roofline cells (<cell>-prefill must be a valid cell id)");
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
  WorkloadSpec w;
  if (roofline) {
    // Every point is synthetic random tokens of exact lengths, whatever the
    // cell's serving dataset; the tokenizer rule is the same.
    std::optional<std::string> tok = cell.tokenizer ? cell.tokenizer : cell.hf_path;
    if (tok && *tok != target.served_model) w.tokenizer = tok;
  } else {
    w = workload_of(cc, block, target, req, config_file, warnings);
  }
  double timeout = req.timeout_per_point_s.value_or(block.value("timeout_per_point_s", kDefaultPointTimeout));
  if (!(timeout > 0)) throw_usage("--timeout-per-point must be > 0 seconds");

  RunPlan plan;
  plan.campaign = in.campaign_id;
  plan.cell = cell.cell_id;
  plan.backend = roofline ? "roofline-sweep" : backend->name;
  plan.roofline = roofline;
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

  if (roofline) {
    try {
      plan_roofline_points(plan, rblock, w, target, *backend, kubectl, req, in, remote_root, timeout);
    } catch (const json::exception&) {
      throw_input(config_file, "a roofline_sweep key has the wrong type", -1, "roofline_sweep",
                  "client/telemetry/telemetry_pod/model_config_path are strings; decode_isl, decode_osl, prefill_concurrency, "
                  "prefill_num_prompts whole numbers; decode_batches, prefill_isls lists of them");
    }
    return plan;
  }
  std::string local_root = fmt::format("cell_run/{}", plan.run);
  // --telemetry: GPU metrics beside each point (docs/cell-run.md, "Telemetry").
  std::string tel_pod, prom_url;
  if (req.telemetry) {
    const std::string& t = *req.telemetry;
    if (t == "nvidia-smi" || t == "dcgmi") plan.telemetry = t;
    else if (t.rfind("prometheus=", 0) == 0) {
      plan.telemetry = "prometheus";
      prom_url = t.substr(11);
      bool ok = (prom_url.rfind("http://", 0) == 0 || prom_url.rfind("https://", 0) == 0) && prom_url.size() > 8 &&
                std::none_of(prom_url.begin(), prom_url.end(), [](unsigned char ch) { return ch <= ' ' || ch == '"' || ch == '\\' || ch >= 0x7f; });
      if (!ok) throw_usage("--telemetry prometheus=URL: '" + excerpt(prom_url) + "' is not an http(s) URL");
      while (prom_url.size() > 8 && prom_url.back() == '/') prom_url.pop_back();
    } else {
      throw_usage("--telemetry must be nvidia-smi, dcgmi or prometheus=URL, got '" + excerpt(t) + "'");
    }
    if (plan.telemetry != "prometheus" && req.mode != "exec")
      throw_usage("--telemetry " + plan.telemetry + " captures in a pod around each point: use --mode exec, or --telemetry prometheus=URL");
    tel_pod = req.telemetry_pod.value_or(req.bench_pod.value_or(""));
    if (tel_pod.empty())
      throw_usage("--telemetry in job mode needs --telemetry-pod: the serving pod (its node is recorded; the query runs in it)");
    k8s::require_pod(tel_pod);
    plan.telemetry_dir = local_root + "/telemetry";
    plan.node = Step{"node", kubectl({"get", "pod", tel_pod, "-o", "jsonpath={.spec.nodeName}"}), 30.0, {}, {}, {}};
    if (req.mode == "exec" && tel_pod != *req.bench_pod)
      plan.teardown.push_back({"teardown", kubectl.exec_in(tel_pod, {"pkill", "-f", remote_root}), 60.0, {}, {}, {}});
    plan.workload["telemetry"] = {{"kind", plan.telemetry},
                                  {"capture", plan.telemetry == "prometheus" ? "query_range " + prom_url + " per point window, step 1s"
                                                                             : capture_command(plan.telemetry)},
                                  {"pod", tel_pod},
                                  {"lands_in", in.cell_dir + "/raw/" + plan.telemetry_dir},
                                  {"then", "dcgm_correlate over the points' windows (cell_run's log)"}};
  }
  // Around the bench (in-pod capture) or after the point (Prometheus query).
  auto with_telemetry = [&](PointPlan& p, const std::string& name) {
    if (plan.telemetry.empty()) return;
    std::string tel_dir = p.remote_dir + "-telemetry";
    Step fetch{"fetch-telemetry", kubectl.cp(tel_pod + ":" + tel_dir, in.cell_dir + "/raw/" + plan.telemetry_dir + "/" + name), 600.0,
               {}, {}, {}};
    if (plan.telemetry == "prometheus") {
      p.after = {{"telemetry-query", kubectl.exec_in(tel_pod, prometheus_query(prom_url, tel_dir)), 120.0, {}, {}, {}}, fetch};
      return;
    }
    auto bench = std::find_if(p.steps.begin(), p.steps.end(), [](const Step& st) { return st.name == "bench" || st.name == "sweep"; });
    bench = p.steps.insert(bench, {"telemetry-start", kubectl.exec_in(tel_pod, capture_start(plan.telemetry, tel_dir)), 60.0, {}, {}, {}});
    p.steps.insert(bench + 2, {"telemetry-stop", kubectl.exec_in(tel_pod, capture_stop(tel_dir)), 60.0, {}, {}, {}});
    p.steps.push_back(fetch);
  };
  bool sweep_serve = req.backend == "vllm-sweep" && block.contains("serve_cmd") && block["serve_cmd"].is_string();
  if (sweep_serve && req.mode != "exec") throw_usage("vllm_sweep.serve_cmd runs `vllm bench sweep serve` in a pod: use --mode exec");
  long configured = cc.num_prompts.value_or(0);
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
                 {"fetch", kubectl.cp(*req.bench_pod + ":" + p.remote_dir, in.cell_dir + "/" + landing_dir(p.local_dir)), 600.0, {}, {}, {}}};
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
    with_telemetry(p, fmt::format("c{}", conc));
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
                   {"fetch", kubectl.cp(*req.bench_pod + ":" + sweep.remote_dir + "/out/run", in.cell_dir + "/" + landing_dir(sweep.local_dir)),
                    600.0, {}, {}, {}}};
    with_telemetry(sweep, "sweep");
    plan.points.push_back(std::move(sweep));
  }
  return plan;
}

}  // namespace ptr
