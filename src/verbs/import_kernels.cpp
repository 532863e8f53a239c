#include <fmt/format.h>

#include "campaign/kernels_import.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec import_kernels_verb() {
  return {
      "import_kernels",
      "A cell's GPU time by kernel category (gemm, attention, moe, communication, elementwise, other) from a kernels_v1 "
      "file or an Nsight Systems cuda_gpu_kern_sum CSV (names classified by docs/formats/kernels.md); writes "
      "cells/<id>/kernels.json (report page 3).",
      "perftunereport import_kernels --campaign example --cell h100-fp8-tp8-mbt8192 --file kern_sum_cuda_gpu_kern_sum.csv",
      Safety::writes_campaign,
      "Import kernel time by category",
      true,
      {
          {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
          {"cell", ParamType::string, true, nullptr, "Cell id (it must have data)."},
          {"file", ParamType::string, true, nullptr, "kernels_v1 JSON, or nsys stats --report cuda_gpu_kern_sum --format csv output.",
           {}, PathRole::input},
          {"scope", ParamType::string, false, nullptr, "What was profiled, e.g. \"decode steady state, c=64\"."},
      },
      [](const Params& p, const Context& ctx, Envelope& env) {
        KernelsImportRequest req{p.str("campaign"), p.str("cell"), p.str("file"), p.opt_str("scope")};
        env.result = import_kernels(ctx.campaigns_root, req, env.warnings);
        env.files = {env.result["written"].get<std::string>()};
        std::string human = fmt::format("cell {}: {:.4g} ms of GPU time ({}, {} kernels)", req.cell,
                                        env.result["total_ms"].get<double>(), env.result["format"].get<std::string>(),
                                        env.result["kernels"].get<size_t>());
        for (auto it = env.result["share_pct"].begin(); it != env.result["share_pct"].end(); ++it)
          human += fmt::format("\n  {:<14} {:5.1f} %", it.key(), it.value().get<double>());
        env.human = human;
      },
  };
}

}  // namespace ptr
