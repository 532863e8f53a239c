#include <fmt/format.h>

#include "campaign/operations.hpp"
#include "ingest/formats.hpp"
#include "verbs/identity_params.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec import_perf_bench_verb() {
  std::vector<ParamSpec> params = {
      {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
      {"cell", ParamType::string, true, nullptr, "Cell id ([a-z0-9][a-z0-9._-]*)."},
      {"path", ParamType::string_list, true, nullptr, "Result file(s) or folder(s); repeat for several.", {}, PathRole::input},
      {"backend", ParamType::string, false, "auto", "Accept only this client's formats.", backend_choices()},
      {"cache_mode", ParamType::string, false, nullptr, "Regime of the runs: warm or cold (remembered for the cell).", {"warm", "cold"}},
      {"allow_mixed_models", ParamType::boolean, false, false,
       "Accept files of several models in this cell (kept as separate points, with a warning); remembered for the cell."},
  };
  // The identity of a cell not in the config, from the field table.
  for (auto& p : identity_params({"cache_mode"})) params.push_back(std::move(p));
  return {
      "import_perf_bench",
      "Import existing benchmark outputs (files or folders, format detected by content) into a campaign cell.",
      "perftunereport import_perf_bench --campaign example --cell h100-fp8-tp8-mbt8192 --path results/",
      Safety::writes_campaign,
      "Import benchmark outputs",
      true,
      params,
      [](const Params& p, const Context& ctx, Envelope& env) {
        ImportRequest req;
        req.campaign = p.str("campaign");
        req.cell = p.str("cell");
        req.paths = p.list("path");
        req.backend = p.str("backend");
        req.cache_mode = p.opt_str("cache_mode");
        req.identity = identity_from_params(p, {"cache_mode"});
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
