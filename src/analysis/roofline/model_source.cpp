#include "analysis/roofline/model_source.hpp"

#include <nlohmann/json.hpp>

#include "analysis/roofline/decode_ceiling.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

using json = nlohmann::json;

ModelShape shape_from_config_file(const std::filesystem::path& config, const std::optional<std::filesystem::path>& quant_config) {
  json c = parse_json_lenient(read_file(config), config.string());
  if (!c.is_object()) throw_input(config.string(), "expected a config.json object");
  json q;
  if (quant_config) {
    q = parse_json_lenient(read_file(*quant_config), quant_config->string());
    if (!q.is_object()) throw_input(quant_config->string(), "expected a quantization config object");
  }
  ModelShape s = shape_from_config(c, config.string(), quant_config ? &q : nullptr);
  if (s.name.empty()) s.name = config.parent_path().filename().string();
  return s;
}

ModelShape resolve_model_shape(const std::optional<std::string>& model, const std::optional<std::filesystem::path>& config,
                               const std::optional<std::filesystem::path>& quant_config) {
  if (config) {
    ModelShape s = shape_from_config_file(*config, quant_config);
    if (model) s.name = *model;
    return s;
  }
  if (!model) throw_usage("give --model NAME or --model-config config.json");
  auto s = builtin_shape(*model);
  if (!s) {
    std::string list;
    for (const auto& n : builtin_models()) list += (list.empty() ? "" : ", ") + n;
    throw_usage("no built-in shape for model '" + *model + "'", "built-in: " + list + "; or give --model-config config.json");
  }
  if (quant_config)
    throw_usage("--quant-config needs --model-config (a built-in shape is BF16; use --weight-dtype)");
  return *s;
}

namespace {

json ceiling_json(const DecodeCeiling& c) {
  json j = {{"memory_bound_tok_s_per_gpu", c.memory_bound_tok_s_per_gpu},
            {"compute_bound_tok_s_per_gpu", c.compute_bound_tok_s_per_gpu ? json(*c.compute_bound_tok_s_per_gpu) : json()},
            {"tok_s_per_gpu", c.tok_s_per_gpu},
            {"bound", c.bound},
            {"compute_roof", c.compute_roof.empty() ? json() : json(c.compute_roof)}};
  return j;
}

}  // namespace

json shape_summary(const ModelShape& m, double batch, double context, const GpuCeiling* gpu) {
  json j = {{"model", m.name},
            {"source", m.source},
            {"weight_dtype", m.weight_dtype},
            {"kv_dtype", m.kv_dtype},
            {"batch", batch},
            {"context", context},
            {"params_total", m.params_total()},
            {"params_active", m.params_active()},
            {"flops_per_token", m.decode_flops_per_token(context)},
            {"weight_bytes_per_step", m.weight_bytes_per_step(batch)},
            {"kv_bytes_per_token", m.kv_bytes_per_token()},
            {"kv_bytes_per_step", m.kv_bytes_per_step(batch, context)},
            {"bytes_per_step", m.bytes_per_decode_step(batch, context)},
            {"arithmetic_intensity", m.arithmetic_intensity(batch, context)}};
  if (m.experts > 0) j["experts_touched_per_moe_layer"] = m.experts_touched(batch);
  if (gpu) {
    json h = {{"key", gpu->key}, {"name", gpu->name}, {"source", gpu->source}, {"hbm_tb_s", gpu->hbm_tb_s}};
    h["decode_ceiling"] = ceiling_json(decode_ceiling(m, *gpu, batch, context));
    auto a = achievable_decode_ceiling(m, *gpu, batch, context);
    h["achievable_decode_ceiling"] = a ? ceiling_json(*a) : json();
    if (a) h["achievable_source"] = gpu->achievable_source;
    j["hardware"] = h;
  }
  return j;
}

}  // namespace ptr
