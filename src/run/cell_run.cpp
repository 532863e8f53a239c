#include "run/cell_run.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <unistd.h>

#include "campaign/operations.hpp"
#include "run/backends.hpp"
#include "run/process.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"
#include "util/time_utc.hpp"

namespace ptr {

const std::vector<std::string>& protected_names() {
  static const std::vector<std::string> names = {"kube-system", "kube-public", "kube-node-lease", "default",
                                                 "vllm",        "vllm-server", "sglang",          "inference-gateway",
                                                 "gateway",     "prometheus",  "dcgm-exporter",   "gpu-operator"};
  return names;
}

namespace {

std::string dns_label(std::string s, size_t max) {
  for (auto& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '-';
  }
  if (s.size() > max) s = s.substr(s.size() - max);  // keep the unique (timestamped) tail
  while (!s.empty() && !std::isalnum(static_cast<unsigned char>(s.front()))) s.erase(0, 1);
  while (!s.empty() && !std::isalnum(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

Argv kubectl(const CellRunRequest& r) {
  Argv a = {"kubectl"};
  if (r.kube_context) a.insert(a.end(), {"--context", *r.kube_context});
  a.insert(a.end(), {"-n", r.ns});
  return a;
}

struct Step {
  std::string name;  // mkdir | bench | fetch | apply | wait | logs | teardown
  Argv argv;
  std::optional<double> timeout_s;
  std::string stdout_to;  // when the capture is a result (job logs), where it goes
};

struct PointPlan {
  PointSpec spec;
  std::vector<Step> steps;
  std::string local_dir;  // raw/cell_run/<exp>/c<c>
  std::string manifest;   // job mode
  std::string manifest_path;
};

std::string job_manifest(const std::string& name, const std::string& ns, const std::string& experiment,
                         const std::string& cell, const std::string& image, const Argv& argv) {
  json cmd = argv;
  return fmt::format(
      "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {}\n  namespace: {}\n  labels:\n    experiment: {}\n    cell: {}\n"
      "    app.kubernetes.io/managed-by: perftunereport\nspec:\n  backoffLimit: 0\n  ttlSecondsAfterFinished: 3600\n"
      "  template:\n    metadata:\n      labels:\n        experiment: {}\n        cell: {}\n    spec:\n      restartPolicy: Never\n"
      "      containers:\n        - name: bench\n          image: {}\n          command: {}\n",
      name, ns, experiment, cell, experiment, cell, json(image).dump(), cmd.dump());
}

void progress_line(size_t i, size_t n, long c, double elapsed, double per_point, const std::string& what) {
  double eta = per_point * (n - i);
  if (isatty(2))
    std::fprintf(stderr, "\r[%zu/%zu] c=%ld %-10s elapsed %.0fs ETA %.0fs   ", i, n, c, what.c_str(), elapsed, eta);
  else
    std::fprintf(stderr, "point %zu/%zu c=%ld %s (elapsed %.1f s)\n", i, n, c, what.c_str(), elapsed);
  if (isatty(2) && i == n) std::fputc('\n', stderr);
}

}  // namespace

json cell_run(const fs::path& root, const CellRunRequest& req, Warnings& warnings,
              const std::function<void(double, double, const std::string&)>& progress) {
  const BackendSpec* backend = find_backend(req.backend);
  if (!backend) throw_usage("unknown --backend '" + req.backend + "'", "expected vllm-sweep, aiperf or sglang-sweep");
  if (req.mode != "exec" && req.mode != "job") throw_usage("--mode must be exec or job, got '" + req.mode + "'");
  if (req.mode == "job" && !backend->results_in_logs)
    throw_usage(std::string("--mode job reads results from the Job's logs, which ") + backend->name +
                    " does not print in a parseable form",
                "use --mode exec for aiperf");
  if (req.mode == "exec" && !req.bench_pod) throw_usage("--mode exec needs --bench-pod (the pod to exec the client in)");
  Campaign c = open_campaign(root, req.campaign);
  const CellConfig* cc = c.config.find_cell(req.cell);
  if (!cc) throw_input(c.dir.string(), "cell '" + req.cell + "' is not in the campaign config", -1, "cell",
                       "cell_run runs configured cells; add it to the config and run campaign_init");
  if (std::find(protected_names().begin(), protected_names().end(), req.ns) != protected_names().end() &&
      req.ns != "default")
    throw_refusal("namespace '" + req.ns + "' is a platform namespace; cell_run will not create objects there");
  const AtlasCell& cell = cc->identity;
  BenchTarget target;
  target.endpoint_url = req.endpoint_url.value_or("http://localhost:8000");
  target.served_model = req.served_model.value_or(cell.hf_path.value_or(cell.model.value_or("model")));
  json block = cc->backends.contains(backend->config_block) ? cc->backends[backend->config_block] : json::object();
  if (block.contains("extra_args")) {
    if (!block["extra_args"].is_array()) throw_input(c.dir.string() + "/config.yaml", "extra_args must be a list", -1,
                                                     std::string(backend->config_block) + ".extra_args");
    target.extra_args = block["extra_args"];
  }
  std::string image = block.value("image", std::string(req.backend == "sglang-sweep" ? "lmsysorg/sglang:latest"
                                                                                     : "vllm/vllm-openai:latest"));
  std::string stamp = utc_compact_now();
  std::string experiment = dns_label(c.config.slug + "-" + req.cell + "-" + stamp, 63);
  fs::path cell_dir = c.cell_dir(req.cell);
  // Each run keeps its own command folder (scripts, plan, log): a later run
  // never overwrites an earlier one's record, even within the same second.
  for (int n = 2; fs::exists(c.dir / "commands" / req.cell / experiment); ++n)
    experiment = dns_label(c.config.slug + "-" + req.cell + "-" + stamp + "-" + std::to_string(n), 63);
  fs::path cmd_dir = c.dir / "commands" / req.cell / experiment;
  std::string local_root = "cell_run/" + experiment;

  // Already measured points (resume).
  std::vector<long> done;
  if (req.resume && fs::exists(cell_dir / "normalized.json")) {
    AtlasCell prev = cell_from_json(parse_json_lenient(read_file(cell_dir / "normalized.json"), (cell_dir / "normalized.json").string()),
                                    (cell_dir / "normalized.json").string());
    for (const auto& p : prev.points)
      if (p.status == "ok" && p.concurrency) done.push_back(*p.concurrency);
  }

  std::vector<PointPlan> plan;
  long configured = cc->num_prompts.value_or(0);
  // vllm-sweep with the cell's serve_cmd: one `vllm bench sweep serve` drives
  // the server and every concurrency; its own run=N.json / *.failure.json
  // files come back and are ingested like any sweep tree.
  bool sweep_serve = req.backend == "vllm-sweep" && block.contains("serve_cmd") && block["serve_cmd"].is_string();
  if (sweep_serve && req.mode != "exec") throw_usage("vllm_sweep.serve_cmd runs `vllm bench sweep serve` in a pod: use --mode exec");
  json sweep_params = json::array();
  for (long conc : cc->concurrencies) {
    if (std::find(done.begin(), done.end(), conc) != done.end()) continue;
    PointPlan pp;
    long floor = 2 * conc;
    long n = configured > 0 ? std::max(configured, floor) : 10 * conc;
    if (configured > 0 && configured < floor)
      add_warning(warnings, {"num_prompts_raised",
                             fmt::format("num_prompts {} < 2 x concurrency; raised to {} (steady-window rule)", configured, floor),
                             req.cell, {}, {}, {}, conc});
    pp.spec = {conc, n, fmt::format("/tmp/perftunereport/{}/c{}", experiment, conc)};
    pp.local_dir = fmt::format("{}/c{}", local_root, conc);
    if (sweep_serve) {
      sweep_params.push_back({{"max_concurrency", conc}, {"num_prompts", n}});
      continue;
    }
    Argv bench = backend->bench(cell, target, pp.spec);
    if (req.mode == "exec") {
      Argv exec = kubectl(req);
      exec.insert(exec.end(), {"exec", *req.bench_pod});
      if (req.container) exec.insert(exec.end(), {"-c", *req.container});
      exec.push_back("--");
      Argv mkdir = exec;
      mkdir.insert(mkdir.end(), {"mkdir", "-p", pp.spec.remote_dir});
      Argv run = exec;
      run.insert(run.end(), bench.begin(), bench.end());
      Argv fetch = kubectl(req);
      fetch.push_back("cp");
      if (req.container) fetch.insert(fetch.end(), {"-c", *req.container});
      fetch.insert(fetch.end(), {*req.bench_pod + ":" + pp.spec.remote_dir, (cell_dir / "raw" / pp.local_dir).string()});
      pp.steps = {{"mkdir", mkdir, 120.0, ""}, {"bench", run, req.timeout_per_point_s, ""}, {"fetch", fetch, 600.0, ""}};
    } else {
      std::string job = dns_label(fmt::format("ptr-{}-c{}", experiment, conc), 63);
      if (std::find(protected_names().begin(), protected_names().end(), job) != protected_names().end())
        throw_refusal("generated job name '" + job + "' is a protected name");
      pp.manifest = job_manifest(job, req.ns, experiment, req.cell, image, bench);
      pp.manifest_path = (cmd_dir / fmt::format("job-c{}.yaml", conc)).string();
      Argv apply = kubectl(req);
      apply.insert(apply.end(), {"apply", "-f", pp.manifest_path});
      Argv wait = kubectl(req);
      double t = req.timeout_per_point_s.value_or(3600);
      wait.insert(wait.end(), {"wait", "--for=condition=complete", fmt::format("--timeout={}s", static_cast<long>(t)), "job/" + job});
      Argv logs = kubectl(req);
      logs.insert(logs.end(), {"logs", "job/" + job});
      pp.steps = {{"apply", apply, 120.0, ""},
                  {"wait", wait, t + 30, ""},
                  {"logs", logs, 120.0, (cell_dir / "raw" / pp.local_dir / "stdout.txt").string()}};
    }
    plan.push_back(std::move(pp));
  }
  if (sweep_serve && !sweep_params.empty()) {
    PointPlan pp;
    std::string remote = fmt::format("/tmp/perftunereport/{}", experiment);
    pp.spec = {0, 0, remote};
    pp.local_dir = local_root + "/sweep";
    // The bench command is a string vLLM splits with shlex: quote each item.
    Argv bench = backend->bench(cell, target, {0, 0, remote});
    Argv bench_cmd;
    for (size_t i = 0; i < bench.size(); ++i) {
      const std::string& a = bench[i];
      if (a == "--max-concurrency" || a == "--num-prompts" || a == "--result-dir" || a == "--result-filename") {
        ++i;  // the sweep sets these per combination
        continue;
      }
      if (a == "--save-result" || a == "--percentile-metrics" || a == "--metric-percentiles") {
        if (a != "--save-result") ++i;
        continue;
      }
      bench_cmd.push_back(a);
    }
    Argv exec = kubectl(req);
    exec.insert(exec.end(), {"exec", *req.bench_pod});
    if (req.container) exec.insert(exec.end(), {"-c", *req.container});
    exec.push_back("--");
    Argv mkdir = exec;
    mkdir.insert(mkdir.end(), {"mkdir", "-p", remote});
    Argv push = kubectl(req);
    push.push_back("cp");
    if (req.container) push.insert(push.end(), {"-c", *req.container});
    push.insert(push.end(), {(cmd_dir / "bench-params.json").string(), *req.bench_pod + ":" + remote + "/bench-params.json"});
    Argv run = exec;
    run.insert(run.end(), {"vllm", "bench", "sweep", "serve", "--serve-cmd", block["serve_cmd"].get<std::string>(),
                           "--bench-cmd", shell_line(bench_cmd), "--bench-params", remote + "/bench-params.json", "-o",
                           remote + "/sweep", "-e", "run", "--num-runs", std::to_string(block.value("num_runs", 3))});
    Argv fetch = kubectl(req);
    fetch.push_back("cp");
    if (req.container) fetch.insert(fetch.end(), {"-c", *req.container});
    fetch.insert(fetch.end(), {*req.bench_pod + ":" + remote + "/sweep/run", (cell_dir / "raw" / pp.local_dir).string()});
    pp.steps = {{"mkdir", mkdir, 120.0, ""}, {"params", push, 120.0, ""}, {"sweep", run, req.timeout_per_point_s, ""},
                {"fetch", fetch, 600.0, ""}};
    atomic_write(cmd_dir / "bench-params.json", sweep_params.dump(2) + "\n");
    plan.push_back(std::move(pp));
  }
  Argv teardown;
  if (req.mode == "job") {
    teardown = kubectl(req);
    teardown.insert(teardown.end(), {"delete", "job", "-l", "experiment=" + experiment + ",cell=" + req.cell,
                                     "--ignore-not-found"});
  }

  // Write the plan: numbered scripts (display form, properly quoted) + plan.json.
  json plan_json = {{"campaign", c.id}, {"cell", req.cell}, {"backend", req.backend}, {"mode", req.mode},
                    {"experiment", experiment}, {"dry_run", req.dry_run}, {"skipped_as_measured", done},
                    {"points", json::array()}};
  int step_no = 0;
  for (const auto& pp : plan) {
    json steps = json::array();
    for (const auto& s : pp.steps) {
      ++step_no;
      std::string script = pp.spec.concurrency > 0 ? fmt::format("{:02}-c{}-{}.sh", step_no, pp.spec.concurrency, s.name)
                                                   : fmt::format("{:02}-all-{}.sh", step_no, s.name);
      atomic_write(cmd_dir / script, "#!/bin/sh\n# perftunereport cell_run " + experiment + "\n" + shell_line(s.argv) + "\n");
      fs::permissions(cmd_dir / script, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
      steps.push_back({{"step", s.name}, {"script", script}, {"argv", s.argv}, {"display", shell_line(s.argv)}});
    }
    if (!pp.manifest.empty()) atomic_write(pp.manifest_path, pp.manifest);
    plan_json["points"].push_back({{"concurrency", pp.spec.concurrency}, {"num_prompts", pp.spec.num_prompts},
                                   {"remote_dir", pp.spec.remote_dir}, {"steps", steps},
                                   {"manifest", pp.manifest_path.empty() ? json(nullptr) : json(pp.manifest_path)}});
  }
  if (!teardown.empty()) {
    std::string script = fmt::format("{:02}-teardown.sh", ++step_no);
    atomic_write(cmd_dir / script, "#!/bin/sh\n" + shell_line(teardown) + "\n");
    plan_json["teardown"] = {{"script", script}, {"argv", teardown}, {"display", shell_line(teardown)}};
  }
  atomic_write(cmd_dir / "plan.json", plan_json.dump(2) + "\n");
  if (req.dry_run) return {{"plan", plan_json}, {"commands_dir", cmd_dir.string()}, {"executed", false}};

  // Execute point by point; each landed point is ingested at once.
  json log = json::array();
  std::string log_text;
  int n_ok = 0, n_failed = 0, run_no = 0;
  auto t0 = std::chrono::steady_clock::now();
  Warnings rebuild_warnings;
  AtlasCell identity = cell;
  identity.campaign = c.id;
  for (size_t i = 0; i < plan.size(); ++i) {
    const PointPlan& pp = plan[i];
    std::optional<std::string> failure;
    if (req.resume) {
      // A retried point replaces the failure record of an earlier attempt; the
      // record moves beside the command log rather than being deleted.
      fs::path runs = cell_dir / "raw" / "cell_run";
      std::string name = fmt::format("c{}.failure.json", pp.spec.concurrency);
      if (fs::exists(runs))
        for (const auto& e : fs::directory_iterator(runs))
          if (e.is_directory() && fs::exists(e.path() / name)) {
            fs::create_directories(cmd_dir / "superseded");
            fs::rename(e.path() / name, cmd_dir / "superseded" / (e.path().filename().string() + "-" + name));
          }
    }
    fs::create_directories((cell_dir / "raw" / pp.local_dir).parent_path());
    if (req.mode == "job") fs::create_directories(cell_dir / "raw" / pp.local_dir);
    for (const auto& s : pp.steps) {
      ++run_no;
      fs::path out = cmd_dir / fmt::format("run-{:03}-{}.stdout", run_no, s.name);
      fs::path err = cmd_dir / fmt::format("run-{:03}-{}.stderr", run_no, s.name);
      ProcessResult r = run_process(s.argv, out.string(), err.string(), s.timeout_s);
      json entry = {{"n", run_no}, {"concurrency", pp.spec.concurrency}, {"step", s.name}, {"argv", s.argv},
                    {"display", shell_line(s.argv)}, {"start_utc", r.start_utc}, {"end_utc", r.end_utc},
                    {"exit_code", r.exit_code}, {"timed_out", r.timed_out}, {"stdout", out.string()}, {"stderr", err.string()}};
      if (!r.error.empty()) entry["error"] = r.error;
      log_text += entry.dump() + "\n";
      atomic_write(cmd_dir / "log.jsonl", log_text);
      if (r.exit_code != 0) {
        std::string tail = read_file(err);
        if (tail.size() > 300) tail = tail.substr(tail.size() - 300);
        failure = r.timed_out ? fmt::format("{} timed out after {:.0f} s", s.name, *s.timeout_s)
                  : !r.error.empty() ? r.error
                                     : fmt::format("{} exited {}: {}", s.name, r.exit_code, tail);
        break;
      }
      if (!s.stdout_to.empty()) atomic_copy(out, s.stdout_to);
    }
    // Empty output is a failure too.
    fs::path landed = cell_dir / "raw" / pp.local_dir;
    if (!failure && (!fs::exists(landed) || fs::is_empty(landed))) failure = "no result files came back";
    if (failure) {
      // Recorded in vLLM's own sweep failure format, so the ingester keeps it
      // as a failed point of this concurrency (each concurrency of a sweep).
      fs::remove_all(landed);
      json points = pp.spec.concurrency > 0 ? json::array({{{"max_concurrency", pp.spec.concurrency}, {"num_prompts", pp.spec.num_prompts}}})
                                            : sweep_params;
      for (const auto& pt : points) {
        json rec = {{"run_number", 0}, {"error_type", "CellRunFailure"}, {"error", *failure}, {"serve_overrides", json::object()},
                    {"bench_overrides", pt}};
        std::string name = pp.spec.concurrency > 0 ? pp.local_dir + ".failure.json"
                                                   : fmt::format("{}/c{}.failure.json", local_root, pt["max_concurrency"].get<long>());
        atomic_write(cell_dir / "raw" / name, rec.dump(2) + "\n");
      }
      ++n_failed;
    } else {
      ++n_ok;
    }
    AtlasCell rebuilt;
    try {
      rebuilt = rebuild_cell(c, identity, rebuild_warnings);
    } catch (const Error& e) {
      // A result we cannot read is a failed point, not a crashed sweep.
      fs::remove_all(landed);
      json rec = {{"run_number", 0}, {"error_type", "UnreadableResult"}, {"error", e.what()}, {"serve_overrides", json::object()},
                  {"bench_overrides", {{"max_concurrency", pp.spec.concurrency}, {"num_prompts", pp.spec.num_prompts}}}};
      atomic_write(cell_dir / "raw" / (pp.local_dir + ".failure.json"), rec.dump(2) + "\n");
      if (!failure) {
        --n_ok;
        ++n_failed;
      }
      rebuilt = rebuild_cell(c, identity, rebuild_warnings);
    }
    atomic_write(cell_dir / "cell.json", to_json(identity).dump(2) + "\n");
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress_line(i + 1, plan.size(), pp.spec.concurrency, elapsed, elapsed / (i + 1), failure ? "FAILED" : "ok");
    if (progress) progress(static_cast<double>(i + 1), static_cast<double>(plan.size()), fmt::format("c={}", pp.spec.concurrency));
  }
  if (!teardown.empty()) {
    ++run_no;
    fs::path out = cmd_dir / fmt::format("run-{:03}-teardown.stdout", run_no), err = cmd_dir / fmt::format("run-{:03}-teardown.stderr", run_no);
    ProcessResult r = run_process(teardown, out.string(), err.string(), 300.0);
    log_text += json({{"n", run_no}, {"step", "teardown"}, {"argv", teardown}, {"display", shell_line(teardown)},
                      {"start_utc", r.start_utc}, {"end_utc", r.end_utc}, {"exit_code", r.exit_code}})
                    .dump() +
                "\n";
    atomic_write(cmd_dir / "log.jsonl", log_text);
    if (r.exit_code != 0)
      add_warning(warnings, {"teardown_failed", "teardown failed; delete jobs labelled experiment=" + experiment + " by hand",
                             req.cell, {}, {}, {}, {}});
  }
  for (const auto& w : rebuild_warnings) add_warning(warnings, w);
  std::string status = fs::exists(cell_dir / "status.txt") ? read_file(cell_dir / "status.txt") : "failed\n";
  status.pop_back();
  return {{"plan", plan_json}, {"commands_dir", cmd_dir.string()}, {"executed", true}, {"points_ok", n_ok},
          {"points_failed", n_failed}, {"status", status}, {"experiment", experiment}};
}

}  // namespace ptr
