#include <fmt/format.h>

#include "campaign/roofline_import.hpp"
#include "verbs/identity_params.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec import_roofline_sweep_verb() {
  std::vector<ParamSpec> params = {
      {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
      {"bundle", ParamType::string, true, nullptr, "The roofline bundle folder (docs/formats/roofline-bundle.md).", {}, PathRole::input},
      {"label", ParamType::string, false, nullptr,
       "Cells are <label>-decode and <label>-prefill [default: <hardware>-tp<N>-<quant>-roofline]."},
      {"model_config", ParamType::string, false, nullptr, "The model's config.json [default: the bundle's, else the built-in shape of --model].",
       {}, PathRole::input},
      {"quant_config", ParamType::string, false, nullptr, "hf_quant_config.json to apply with --model-config.", {}, PathRole::input},
      {"telemetry_utc_offset_s", ParamType::number, false, 0,
       "Seconds added to host-local telemetry stamps (nvidia-smi -o DT, dcgmi) to make them UTC: -3600 for a host on UTC+1."},
  };
  for (auto& p : identity_params({})) params.push_back(std::move(p));
  return {
      "import_roofline_sweep",
      "Import a roofline sweep (decode batch and prefill ISL points, with GPU telemetry) into cells <label>-decode and "
      "<label>-prefill: telemetry means per point window and analytical coordinates from the model shape (page 7).",
      "perftunereport import_roofline_sweep --campaign example --bundle sweep/ --hardware H100 --tensor-parallel 1 --quant BF16 "
      "--cache-mode cold --model Llama-3.1-8B",
      Safety::writes_campaign,
      "Import a roofline sweep",
      true,
      params,
      [](const Params& p, const Context& ctx, Envelope& env) {
        RooflineImportRequest req;
        req.campaign = p.str("campaign");
        req.bundle = p.str("bundle");
        req.label = p.opt_str("label");
        if (auto v = p.opt_str("model_config")) req.model_config = *v;
        if (auto v = p.opt_str("quant_config")) req.quant_config = *v;
        req.telemetry_utc_offset_s = *p.opt_num("telemetry_utc_offset_s");
        req.identity = identity_from_params(p, {});
        env.result = import_roofline_sweep(ctx.campaigns_root, req, env.warnings);
        std::string human = fmt::format("roofline sweep {} (model {}, shape from {}):", env.result["label"].get<std::string>(),
                                        env.result["model"].get<std::string>(),
                                        env.result["model_shape_from"].is_null() ? std::string("nowhere: proxy only")
                                                                                 : env.result["model_shape_from"].get<std::string>());
        for (const auto& c : env.result["cells"]) {
          human += fmt::format("\n  {}: {} points ({})", c["cell"].get<std::string>(), c["points"].get<long>(),
                               c["status"].get<std::string>());
          env.files.push_back(c["normalized"].get<std::string>());
        }
        for (const auto& t : env.result["telemetry"])
          human += fmt::format("\n  telemetry {} ({}, {:g} s samples, clock {} + {:g} s)", t["file"].get<std::string>(),
                               t["format"].get<std::string>(), t["sample_period_s"].get<double>(), t["clock"].get<std::string>(),
                               t["utc_offset_s"].get<double>());
        env.human = human;
      },
  };
}

}  // namespace ptr
