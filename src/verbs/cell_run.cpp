#include <fmt/format.h>

#include "run/cell_run.hpp"
#include "util/error.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec cell_run_verb() {
  return {
      "cell_run",
      "Run a cell's sweep on a Kubernetes cluster (vLLM, AIPerf, SGLang) via kubectl; --dry-run writes and prints the commands only.",
      "perftunereport cell_run --campaign example --cell h100-fp8-tp8-mbt8192 --backend vllm-sweep --bench-pod bench-0 --dry-run",
      Safety::submits_jobs,
      {
          {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
          {"cell", ParamType::string, true, nullptr, "Configured cell to run."},
          {"backend", ParamType::string, true, nullptr, "Benchmark client.", {"vllm-sweep", "aiperf", "sglang-sweep"}},
          {"namespace", ParamType::string, false, "default", "Kubernetes namespace."},
          {"bench_pod", ParamType::string, false, nullptr, "Pod to exec the client in (--mode exec)."},
          {"container", ParamType::string, false, nullptr, "Container in that pod."},
          {"kube_context", ParamType::string, false, nullptr, "kubectl context."},
          {"endpoint_url", ParamType::string, false, nullptr, "Serving endpoint [default: http://localhost:8000]."},
          {"served_model", ParamType::string, false, nullptr, "Model name the server serves [default: the cell's hf_path or model]."},
          {"mode", ParamType::string, false, "exec", "exec in a pod, or one Job per point.", {"exec", "job"}},
          {"dry_run", ParamType::boolean, false, false, "Write and print every command; run nothing."},
          {"i_understand_this_submits_jobs", ParamType::boolean, false, false,
           "Required to run for real: this submits work to the cluster."},
          {"resume", ParamType::boolean, false, false, "Skip concurrencies already measured ok."},
          {"timeout_per_point", ParamType::number, false, nullptr, "Seconds before a point is killed and recorded as failed."},
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
        req.ns = p.str("namespace");
        req.bench_pod = p.opt_str("bench_pod");
        req.container = p.opt_str("container");
        req.kube_context = p.opt_str("kube_context");
        req.endpoint_url = p.opt_str("endpoint_url");
        req.served_model = p.opt_str("served_model");
        req.mode = p.str("mode");
        req.dry_run = p.flag("dry_run");
        req.resume = p.flag("resume");
        if (auto t = p.opt_num("timeout_per_point")) req.timeout_per_point_s = *t;
        env.result = cell_run(ctx.campaigns_root, req, env.warnings, ctx.progress);
        std::string human;
        for (const auto& pt : env.result["plan"]["points"])
          for (const auto& s : pt["steps"]) human += s["display"].get<std::string>() + "\n";
        if (env.result["plan"].contains("teardown")) human += env.result["plan"]["teardown"]["display"].get<std::string>() + "\n";
        if (env.result["executed"].get<bool>())
          human += fmt::format("cell {}: {} ({} points ok, {} failed); log: {}/log.jsonl", req.cell,
                               env.result["status"].get<std::string>(), env.result["points_ok"].get<int>(),
                               env.result["points_failed"].get<int>(), env.result["commands_dir"].get<std::string>());
        else
          human += fmt::format("dry run: {} point(s) planned, nothing run; scripts and plan.json in {}",
                               env.result["plan"]["points"].size(), env.result["commands_dir"].get<std::string>());
        env.human = human;
      },
  };
}

}  // namespace ptr
