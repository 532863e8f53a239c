#include <fmt/format.h>

#include "analysis/roofline/model_source.hpp"
#include "util/error.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec model_shape_verb() {
  return {
      "model_shape",
      "A model's parameters, FLOPs per token, bytes per decode step, KV bytes and arithmetic intensity at a batch and context; "
      "with --hardware, its decode tok/s ceiling per GPU (memory- and compute-bound).",
      "perftunereport model_shape --model Llama-3.1-8B --batch 1 --context 1024 --hardware H100",
      Safety::read_only,
      "Model shape and decode ceiling",
      true,
      {
          {"model", ParamType::string, false, nullptr, "A built-in model (Llama-3.1-8B/70B/405B, DeepSeek-V3, Kimi-K2, Qwen3-235B-A22B, GLM-4.5, gpt-oss-120b)."},
          {"model_config", ParamType::string, false, nullptr, "A HuggingFace config.json (wins over --model).", {}, PathRole::input},
          {"quant_config", ParamType::string, false, nullptr, "hf_quant_config.json (ModelOpt: NVFP4/FP8 with excluded modules).", {},
           PathRole::input},
          {"weight_dtype", ParamType::string, false, nullptr, "Weights of the quantized modules [default: from the config].",
           {"bf16", "fp16", "fp8", "fp8_block", "nvfp4", "mxfp4", "int8"}},
          {"kv_dtype", ParamType::string, false, nullptr, "KV-cache dtype [default: bf16].", {"bf16", "fp16", "fp8"}},
          {"batch", ParamType::number, false, 1, "Sequences per decode step (one replica)."},
          {"context", ParamType::number, false, 1024, "Tokens of context per sequence."},
          {"hardware", ParamType::string, false, nullptr, "A GPU name of configs/sol-ceilings.yaml (H100, H200, B200, GB300 ...)."},
      },
      [](const Params& p, const Context& ctx, Envelope& env) {
        std::optional<std::filesystem::path> config, quant;
        if (auto v = p.opt_str("model_config")) config = *v;
        if (auto v = p.opt_str("quant_config")) quant = *v;
        ModelShape m = resolve_model_shape(p.opt_str("model"), config, quant);
        if (auto v = p.opt_str("weight_dtype")) set_weight_dtype(m, *v);
        if (auto v = p.opt_str("kv_dtype")) set_kv_dtype(m, *v);
        double batch = *p.opt_num("batch"), context = *p.opt_num("context");
        if (!(batch >= 1) || batch > 1e6) throw_usage("--batch must be in [1, 1e6]");
        if (!(context >= 0) || context > 1e8) throw_usage("--context must be in [0, 1e8]");
        std::optional<SolCeilings> ceilings;
        const GpuCeiling* gpu = nullptr;
        if (auto hw = p.opt_str("hardware")) {
          ceilings = load_sol_ceilings(ctx.campaigns_root);
          gpu = ceilings->for_hardware(*hw);
          if (!gpu) {
            std::string list;
            for (const auto& [name, key] : ceilings->hardware_to_key) list += (list.empty() ? "" : ", ") + name;
            throw_usage(fmt::format("hardware '{}' is not in {}", *hw, ceilings->file.string()), "known: " + list);
          }
        }
        env.result = shape_summary(m, batch, context, gpu);
        std::string human = fmt::format("{} ({}, KV {}): {:.3g}B params, {:.3g}B active; at B={} L={}: {:.3g} GFLOP/token, "
                                        "{:.3g} GB/step, AI {:.3g} FLOP/byte",
                                        m.name, m.weight_dtype, m.kv_dtype, m.params_total() / 1e9, m.params_active() / 1e9, batch,
                                        context, m.decode_flops_per_token(context) / 1e9, m.bytes_per_decode_step(batch, context) / 1e9,
                                        m.arithmetic_intensity(batch, context));
        if (gpu) {
          const auto& c = env.result["hardware"]["decode_ceiling"];
          human += fmt::format("\n  {}: decode ceiling {:.0f} tok/s/GPU ({}-bound; memory {:.0f}, compute {})", gpu->name,
                               c["tok_s_per_gpu"].get<double>(), c["bound"].get<std::string>(),
                               c["memory_bound_tok_s_per_gpu"].get<double>(),
                               c["compute_bound_tok_s_per_gpu"].is_null() ? std::string("n/a")
                                                                          : fmt::format("{:.0f}", c["compute_bound_tok_s_per_gpu"].get<double>()));
        }
        env.human = human;
      },
  };
}

}  // namespace ptr
