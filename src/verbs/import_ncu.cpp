#include <fmt/format.h>

#include "campaign/kernels_import.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec import_ncu_verb() {
  return {
      "import_ncu",
      "An Nsight Compute CSV export (--page details, --page raw, --section, --metrics; units row or not) as one capture "
      "of cells/<id>/ncu.json: per launch the kernel, duration, DRAM / memory / SM throughput as % of peak, DRAM bytes "
      "and FLOP counts where present (report page 5).",
      "perftunereport import_ncu --campaign example --cell h100-fp8-tp8-mbt8192 --csv ncu-decode-b64.csv --label b64",
      Safety::writes_campaign,
      "Import an Nsight Compute export",
      true,
      {
          {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
          {"cell", ParamType::string, true, nullptr, "Cell id (it must have data)."},
          {"csv", ParamType::string, true, nullptr, "ncu --csv output.", {}, PathRole::input},
          {"label", ParamType::string, false, nullptr, "Name of this capture (e.g. b1, b64) [default: the file's stem]; "
                                                        "re-importing a label replaces it."},
      },
      [](const Params& p, const Context& ctx, Envelope& env) {
        NcuImportRequest req{p.str("campaign"), p.str("cell"), p.str("csv"), p.opt_str("label")};
        env.result = import_ncu(ctx.campaigns_root, req, env.warnings);
        env.files = {env.result["written"].get<std::string>()};
        std::string human = fmt::format("cell {}: capture '{}' ({}), {} launches{}", req.cell, env.result["label"].get<std::string>(),
                                        env.result["layout"].get<std::string>(), env.result["launches"].get<size_t>(),
                                        env.result["replaced"].get<bool>() ? ", replacing the previous one" : "");
        for (const auto& k : env.result["top_kernels"]) {
          std::string name = k["name"].get<std::string>();
          if (name.size() > 60) name = name.substr(0, 57) + "...";
          human += fmt::format("\n  {:>9.1f} us  x{:<3} DRAM {:>5}  SM {:>5}  {}", k["total_us"].get<double>(),
                               k["launches"].get<long>(), k.contains("dram_pct") ? fmt::format("{:.1f}%", k["dram_pct"].get<double>()) : "n/a",
                               k.contains("sm_pct") ? fmt::format("{:.1f}%", k["sm_pct"].get<double>()) : "n/a", name);
        }
        env.human = human;
      },
  };
}

}  // namespace ptr
