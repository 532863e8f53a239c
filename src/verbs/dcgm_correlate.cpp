#include <fmt/format.h>

#include "campaign/dcgm_correlate.hpp"
#include "util/error.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec dcgm_correlate_verb() {
  return {
      "dcgm_correlate",
      "GPU telemetry (frozen DCGM snapshot, dcgmi dmon, dcgm-exporter/Prometheus, nvidia-smi, AIPerf) over a cell's bench "
      "window: per-GPU activity means, DCGM bandwidth, tensor TFLOP/s, power and tokens/W; writes cells/<id>/dcgm_correlation.json.",
      "perftunereport dcgm_correlate --campaign example --cell h100-fp8-tp8-mbt8192 --nvidia-smi dmon.txt "
      "--window 2026-11-27T17:32:32Z..2026-11-27T17:35:00Z",
      Safety::writes_campaign,
      "Correlate GPU telemetry with a cell",
      true,
      {
          {"campaign", ParamType::string, true, nullptr, "Campaign id or slug (newest wins)."},
          {"cell", ParamType::string, false, nullptr, "Cell id."},
          {"cell_id", ParamType::string, false, nullptr, "Cell id (the seed's spelling of --cell)."},
          {"frozen_yaml", ParamType::string, false, nullptr, "A dcgm_frozen_v1 snapshot (docs/formats/dcgm-frozen.md).", {}, PathRole::input},
          {"dcgmi_dmon", ParamType::string, false, nullptr, "dcgmi dmon text output.", {}, PathRole::input},
          {"prometheus", ParamType::string, false, nullptr,
           "dcgm-exporter /metrics scrapes (also inside Markdown), or a Prometheus API query/query_range JSON.", {}, PathRole::input},
          {"nvidia_smi", ParamType::string, false, nullptr, "nvidia-smi dmon (-o DT) or --query-gpu CSV.", {}, PathRole::input},
          {"aiperf_telemetry", ParamType::string, false, nullptr, "AIPerf gpu_telemetry_export.jsonl.", {}, PathRole::input},
          {"window", ParamType::string, false, nullptr,
           "START..END in UTC [default: the points' windows, a snapshot's, else the cell's bench stamps]."},
          {"node", ParamType::string, false, nullptr, "Node the cell was served on (checked against the capture's)."},
          {"utc_offset_s", ParamType::number, false, 0, "Seconds added to host-local stamps (nvidia-smi) to make them UTC."},
      },
      [](const Params& p, const Context& ctx, Envelope& env) {
        CorrelateRequest req;
        req.campaign = p.str("campaign");
        auto cell = p.opt_str("cell"), cell_id = p.opt_str("cell_id");
        if (!cell && !cell_id) throw_usage("dcgm_correlate needs --cell (or --cell-id)");
        if (cell && cell_id && *cell != *cell_id) throw_usage("--cell and --cell-id name different cells");
        req.cell = cell ? *cell : *cell_id;
        int given = 0;
        for (const char* k : {"frozen_yaml", "dcgmi_dmon", "prometheus", "nvidia_smi", "aiperf_telemetry"})
          if (auto v = p.opt_str(k)) {
            ++given;
            req.file = *v;
            req.kind = k;
            for (auto& ch : req.kind) ch = ch == '_' ? '-' : ch;
          }
        if (given != 1)
          throw_usage("give exactly one capture: --frozen-yaml, --dcgmi-dmon, --prometheus, --nvidia-smi or --aiperf-telemetry");
        req.window = p.opt_str("window");
        req.node = p.opt_str("node");
        req.utc_offset_s = *p.opt_num("utc_offset_s");
        env.result = dcgm_correlate(ctx.campaigns_root, req, env.warnings);
        env.files = {env.result["written"].get<std::string>()};
        const json& m = env.result["mean"];
        std::string human = fmt::format("cell {} over {} ({}): {} GPU(s), {} samples", req.cell,
                                        env.result["window"]["start"].get<std::string>() + ".." + env.result["window"]["end"].get<std::string>(),
                                        env.result["window"]["source"].get<std::string>(), env.result["gpus"].size(),
                                        env.result["samples_used"].get<size_t>());
        for (auto it = m.begin(); it != m.end(); ++it) human += fmt::format("\n  {} {:.3g}", it.key(), it.value().get<double>());
        for (const char* k : {"dcgm_bandwidth_tb_s", "tensor_tflops_per_gpu", "power_watts_per_gpu", "tokens_per_watt"})
          if (env.result.contains(k)) human += fmt::format("\n  {} {:.4g}", k, env.result[k].get<double>());
        env.human = human;
      },
  };
}

}  // namespace ptr
