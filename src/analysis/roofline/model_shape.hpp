#pragma once
// The model's shape from a HuggingFace config.json, and what it costs per
// token: parameters (total, active), FLOPs per decode token at context L,
// prefill FLOPs, bytes per decode step at batch B, KV bytes, arithmetic
// intensity. Formulas: docs/roofline.md (from shared/reference/roofline-dcgm.md
// §1.4). Dense GQA, MoE (routed + shared experts, dense prefix layers), MLA,
// sliding-window layers, explicit head_dim, tied embeddings; bytes per module
// for BF16, FP8 (block scales), NVFP4 and MXFP4 with excluded modules in BF16.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace ptr {

// Bytes per element of a weight or KV format ("bf16", "fp16", "fp8",
// "fp8_block" (+ FP32 scale per 128x128 tile), "nvfp4" (9/16), "mxfp4"
// (17/32), "int8", "fp32"); nullopt for an unknown name.
std::optional<double> dtype_bytes(const std::string& dtype);

struct ModelShape {
  std::string name;
  std::string model_type;
  long hidden = 0, layers = 0, heads = 0, kv_heads = 0, head_dim = 0, intermediate = 0, vocab = 0;
  bool tied_embeddings = false;
  // MoE: layers [0, dense_layers) (or those in mlp_only) are dense.
  long experts = 0, experts_per_tok = 0, shared_experts = 0, moe_intermediate = 0;
  std::vector<bool> layer_is_moe;  // per layer
  // MLA (DeepSeek-style latent attention).
  bool mla = false;
  long q_lora_rank = 0, kv_lora_rank = 0, qk_nope = 0, qk_rope = 0, v_head = 0;
  // Sliding-window layers attend at most `sliding_window` tokens.
  long sliding_window = 0;
  std::vector<bool> layer_is_sliding;
  // Storage.
  std::string weight_dtype = "bf16";
  double weight_bytes = 2;          // of quantized modules
  std::vector<std::string> bf16_modules;  // module patterns kept in BF16 (quantization exclusions)
  std::string kv_dtype = "bf16";
  double kv_bytes = 2;
  std::string source;  // "builtin:<name>" or the config file

  // ---- parameters ----
  double attention_params_per_layer() const;
  double dense_mlp_params() const;     // one dense MLP layer
  double expert_params() const;        // one routed or shared expert
  double params_total() const;         // incl. embedding (and lm_head unless tied)
  double params_active() const;        // per token, incl. the embedding (as published)
  double embedding_params() const { return static_cast<double>(vocab) * hidden; }
  // Matmul parameters one token goes through (no embedding gather).
  double matmul_params_active() const;

  // ---- FLOPs ----
  double decode_flops_per_token(double context) const;                     // at context L
  double prefill_flops(double batch, double prompt, bool causal_halving) const;  // prefix 0

  // ---- bytes ----
  double experts_touched(double batch) const;  // E*(1-(1-k/E)^B) per MoE layer
  double weight_bytes_per_step(double batch) const;  // weights read once per step, embedding rows not counted
  double kv_elements_per_token() const;              // over all layers
  double kv_bytes_per_token() const { return kv_elements_per_token() * kv_bytes; }
  // KV read for B sequences at context L (sliding layers read at most the window) plus the write.
  double kv_bytes_per_step(double batch, double context) const;
  double bytes_per_decode_step(double batch, double context) const { return weight_bytes_per_step(batch) + kv_bytes_per_step(batch, context); }
  double arithmetic_intensity(double batch, double context) const;

  // Bytes of one module by its canonical name ("lm_head", "model.layers.3.self_attn.q_proj").
  double module_bytes_per_param(const std::string& module) const;
};

// From config.json (and hf_quant_config.json / quantization_config when
// given): an input error naming the file and key when a needed field is
// missing or malformed.
ModelShape shape_from_config(const nlohmann::json& config, const std::string& file,
                             const nlohmann::json* quant_config = nullptr);
// Built-in shapes of well-known models (exact config.json values).
std::vector<std::string> builtin_models();
std::optional<ModelShape> builtin_shape(const std::string& name);  // matched on the last path part, case-insensitive
// Overrides from the command line: weight dtype for every quantized module, KV dtype.
void set_weight_dtype(ModelShape& s, const std::string& dtype);
void set_kv_dtype(ModelShape& s, const std::string& dtype);

nlohmann::json to_json(const ModelShape& s);
ModelShape shape_from_json(const nlohmann::json& j, const std::string& file);  // as written by to_json

// Glob match with '*' (any run of characters, dots included).
bool glob_match(const std::string& pattern, const std::string& text);

}  // namespace ptr
