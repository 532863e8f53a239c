#include <fmt/format.h>

#include "campaign/operations.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec import_perf_bench_verb() {
  return {
      "import_perf_bench",
      "Import existing benchmark outputs (files or folders, format detected by content) into a campaign cell.",
      "perftunereport import_perf_bench --campaign example --cell h100-fp8-tp8-mbt8192 --path results/",
      Safety::writes_campaign,
      "Import benchmark outputs",
      true,
      {
          {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
          {"cell", ParamType::string, true, nullptr, "Cell id ([a-z0-9][a-z0-9._-]*)."},
          {"path", ParamType::string_list, true, nullptr, "Result file(s) or folder(s); repeat for several.", {}, PathRole::input},
          {"backend", ParamType::string, false, "auto", "Accept only this client's formats.",
           {"auto", "vllm", "vllm-sweep", "sglang", "aiperf"}},
          {"cache_mode", ParamType::string, false, nullptr, "Regime of the runs: warm or cold.", {"warm", "cold"}},
          {"model", ParamType::string, false, nullptr, "Model of a cell not in the config."},
          {"hardware", ParamType::string, false, nullptr, "Hardware of a cell not in the config."},
          {"quant", ParamType::string, false, nullptr, "Quantization of a cell not in the config."},
          {"tensor_parallel", ParamType::integer, false, nullptr, "TP size of a cell not in the config."},
          {"parallel_strategy", ParamType::string, false, nullptr, "TP or EP (...) of a cell not in the config.",
           {"TP", "EP", "DP", "PP", "DEP", "tp", "ep", "dp", "pp", "dep"}},
          {"mtp", ParamType::boolean, false, nullptr, "MTP on (true) or off (false) for a cell not in the config."},
          {"mbt", ParamType::integer, false, nullptr, "max_num_batched_tokens of a cell not in the config."},
          {"allow_mixed_models", ParamType::boolean, false, false,
           "Accept files of several models in this cell (kept as separate points, with a warning); remembered for the cell."},
      },
      [](const Params& p, const Context& ctx, Envelope& env) {
        ImportRequest req;
        req.campaign = p.str("campaign");
        req.cell = p.str("cell");
        req.paths = p.list("path");
        req.backend = p.str("backend");
        req.cache_mode = p.opt_str("cache_mode");
        req.model = p.opt_str("model");
        req.hardware = p.opt_str("hardware");
        req.quant = p.opt_str("quant");
        req.tensor_parallel = p.opt_int("tensor_parallel");
        req.parallel_strategy = p.opt_str("parallel_strategy");
        req.mtp = p.opt_bool("mtp");
        req.mbt = p.opt_int("mbt");
        req.allow_mixed_models = p.flag("allow_mixed_models");
        env.result = import_perf_bench(ctx.campaigns_root, req, env.warnings);
        env.files = {fs::absolute(env.result["normalized"].get<std::string>()).string()};
        env.human = fmt::format("cell {}: {} ({} points, {} plot-ready) from {} file(s)", req.cell,
                                env.result["status"].get<std::string>(), env.result["points"].get<long>(),
                                env.result["plot_ready_points"].get<long>(), env.result["files"].size());
      },
  };
}

}  // namespace ptr
