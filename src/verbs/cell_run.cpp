#include <fmt/format.h>

#include "run/cell_run.hpp"
#include "util/error.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec cell_run_verb() {
  return {
      "cell_run",
      "Run a cell's sweep on a Kubernetes cluster (vLLM, AIPerf, SGLang) via kubectl; --dry-run writes and prints the commands only.",
      "perftunereport cell_run --campaign example --cell h100-fp8-tp8-mbt8192 --backend vllm-sweep --namespace bench "
      "--bench-pod bench-0 --dry-run",
      Safety::submits_jobs,
      "Run a cell on the cluster",
      false,
      {
          {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
          {"cell", ParamType::string, true, nullptr, "Configured cell to run."},
          {"backend", ParamType::string, true, nullptr,
           "Benchmark client; roofline-sweep runs the cell's roofline_sweep block (decode batches and prefill ISLs with "
           "nvidia-smi dmon around each point) and imports it as <cell>-decode/-prefill.",
           {"vllm-sweep", "aiperf", "sglang-sweep", "roofline-sweep"}},
          {"namespace", ParamType::string, true, nullptr, "Kubernetes namespace the benchmark runs in (never implied)."},
          {"bench_pod", ParamType::string, false, nullptr, "Pod to exec the client in (--mode exec)."},
          {"telemetry_pod", ParamType::string, false, nullptr,
           "The pod that sees the cell's GPUs: nvidia-smi/dcgmi run in it, its node is recorded, a Prometheus query runs "
           "in it [default: roofline_sweep.telemetry_pod for roofline sweeps, else --bench-pod]."},
          {"telemetry", ParamType::string, false, nullptr,
           "Serving cells: GPU metrics beside each point, then dcgm_correlate: nvidia-smi | dcgmi (in-pod capture around "
           "each bench, exec mode) | prometheus=URL (query_range of the node's DCGM series over each point's window)."},
          {"container", ParamType::string, false, nullptr, "Container in that pod."},
          {"kube_context", ParamType::string, false, nullptr, "kubectl context."},
          {"endpoint_url", ParamType::string, false, nullptr, "Serving endpoint [default: http://localhost:8000]."},
          {"served_model", ParamType::string, false, nullptr, "Model name the server serves [default: the cell's hf_path or model]."},
          {"mode", ParamType::string, false, "exec", "exec in a pod, or one Job per point.", {"exec", "job"}},
          {"dry_run", ParamType::boolean, false, false, "Write and print every command; run nothing."},
          {"i_understand_this_submits_jobs", ParamType::boolean, false, false,
           "Required to run for real: this submits work to the cluster."},
          {"resume", ParamType::boolean, false, false, "Skip concurrencies already measured ok."},
          {"allow_default_namespace", ParamType::boolean, false, false,
           "Allow the 'default' namespace (a standing namespace, refused otherwise)."},
          {"timeout_per_point", ParamType::number, false, nullptr,
           "Seconds a point may run (in-pod timeout / Job activeDeadlineSeconds) [default: 7200]."},
          {"poll_interval", ParamType::number, false, 2.0, "Seconds between Job status polls (--mode job)."},
      },
      [](const Params& p, const Context& ctx, Envelope& env) {
        if (!p.flag("dry_run") && !p.flag("i_understand_this_submits_jobs"))
          throw_refusal("cell_run submits work to a cluster: the acknowledgement --i-understand-this-submits-jobs "
                        "(MCP argument i_understand_this_submits_jobs: true) is missing; nothing was written",
                        "run with --dry-run (MCP: dry_run: true) first to see every command");
        CellRunRequest req;
        req.campaign = p.str("campaign");
        req.cell = p.str("cell");
        req.backend = p.str("backend");
        req.ns = p.opt_str("namespace");
        req.bench_pod = p.opt_str("bench_pod");
        req.telemetry_pod = p.opt_str("telemetry_pod");
        req.telemetry = p.opt_str("telemetry");
        req.container = p.opt_str("container");
        req.kube_context = p.opt_str("kube_context");
        req.endpoint_url = p.opt_str("endpoint_url");
        req.served_model = p.opt_str("served_model");
        req.mode = p.str("mode");
        req.dry_run = p.flag("dry_run");
        req.resume = p.flag("resume");
        req.allow_default_namespace = p.flag("allow_default_namespace");
        req.timeout_per_point_s = p.opt_num("timeout_per_point");
        req.poll_interval_s = p.opt_num("poll_interval").value_or(2.0);
        if (!(req.poll_interval_s > 0 && req.poll_interval_s <= 600)) throw_usage("--poll-interval must be in (0, 600] seconds");
        env.result = cell_run(ctx.campaigns_root, req, env.warnings, ctx.progress, ctx.cancel);
        std::string human;
        const json& plan = env.result["plan"];
        for (const auto& s : plan["preflight"]) human += "# check: " + s["display"].get<std::string>() + "\n";
        if (plan["telemetry"].is_object() && plan["telemetry"]["node_step"].is_object())
          human += "# the GPUs' node: " + plan["telemetry"]["node_step"]["display"].get<std::string>() + "\n";
        for (const auto& pt : plan["points"]) {
          for (const auto& s : pt["steps"]) human += s["display"].get<std::string>() + "\n";
          if (pt.contains("status_poll")) human += "# polled until Complete or Failed: " + pt["status_poll"]["display"].get<std::string>() + "\n";
          if (pt.contains("after"))
            for (const auto& s : pt["after"])
              human += "# after the point ({node}, {start}, {end} filled in): " + s["display"].get<std::string>() + "\n";
        }
        if (plan["telemetry"].is_object())
          human += "# then: dcgm_correlate over the points' windows, capture in " + plan["workload"]["telemetry"]["lands_in"].get<std::string>() + "\n";
        for (const auto& s : env.result["plan"]["teardown"]) human += s["display"].get<std::string>() + "\n";
        if (!env.result["executed"].get<bool>()) {
          human += fmt::format("dry run: {} point(s) planned, nothing run; scripts and plan.json in {}",
                               env.result["plan"]["points"].size(), env.result["commands_dir"].get<std::string>());
          env.human = human;
          return;
        }
        human += fmt::format("cell {}: {} ({} points ok, {} failed{}); log: {}/log.jsonl", req.cell,
                             env.result["status"].get<std::string>(), env.result["points_ok"].get<int>(),
                             env.result["points_failed"].get<int>(),
                             env.result["cancelled"].get<bool>() ? ", CANCELLED" : "",
                             env.result["commands_dir"].get<std::string>());
        if (env.result.contains("dcgm_correlation") && env.result["dcgm_correlation"].is_string())
          human += "\nGPU telemetry (node " + (env.result["node"].is_string() ? env.result["node"].get<std::string>() : std::string("unknown")) +
                   "): " + env.result["dcgm_correlation"].get<std::string>();
        env.human = human;
        // A script must notice: a cell that ended failed is exit 1 (partial is 0, with warnings).
        if (env.result["status"] == "failed") {
          env.ok = false;
          env.exit_code = 1;
          env.error = {{"kind", "run_failed"},
                       {"message", fmt::format("cell {} failed: no point completed a request (see {}/log.jsonl)", req.cell,
                                               env.result["commands_dir"].get<std::string>())},
                       {"file", nullptr}, {"line", nullptr}, {"key", nullptr}, {"hint", nullptr}};
        }
      },
  };
}

}  // namespace ptr
