#include "analysis/roofline/model_shape.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/error.hpp"
#include "util/text.hpp"

namespace ptr {

using json = nlohmann::json;

std::optional<double> dtype_bytes(const std::string& raw) {
  std::string d = raw;
  std::transform(d.begin(), d.end(), d.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (d == "bf16" || d == "bfloat16" || d == "fp16" || d == "float16" || d == "half") return 2.0;
  if (d == "fp32" || d == "float32") return 4.0;
  if (d == "fp8" || d == "fp8_e4m3" || d == "e4m3" || d == "int8") return 1.0;
  if (d == "fp8_block") return 1.0 + 4.0 / (128.0 * 128.0);  // one FP32 scale per 128x128 tile
  if (d == "nvfp4") return 9.0 / 16.0;                        // E2M1 + one E4M3 scale per 16
  if (d == "mxfp4") return 17.0 / 32.0;                       // E2M1 + one E8M0 scale per 32
  if (d == "int4") return 0.5;
  return std::nullopt;
}

bool glob_match(const std::string& p, const std::string& t) {
  // Iterative '*' matching (no recursion depth on hostile patterns).
  size_t pi = 0, ti = 0, star = std::string::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

namespace {

// A pattern names a module or any of its parents ("model.layers.*.self_attn"
// covers model.layers.3.self_attn.q_proj).
bool covers(const std::string& pattern, const std::string& module) {
  if (glob_match(pattern, module)) return true;
  for (size_t dot = module.find('.'); dot != std::string::npos; dot = module.find('.', dot + 1))
    if (glob_match(pattern, module.substr(0, dot))) return true;
  return false;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Past this a count is not a model (and layer tables are sized by it).
constexpr long kMaxCount = 1L << 40;

// Every field read with its type checked: a wrong type is an input error
// naming the key, never a library exception.
struct Reader {
  const json& c;
  const std::string& file;
  long need(const char* key) const {
    auto it = c.find(key);
    if (it == c.end() || !it->is_number_integer() || it->get<long>() <= 0 || it->get<long>() > kMaxCount)
      throw_input(file, "expected a positive whole number (a HuggingFace config.json field)", -1, key);
    return it->get<long>();
  }
  std::string text(const char* key, const std::string& fallback = {}) const {
    auto it = c.find(key);
    if (it == c.end() || it->is_null()) return fallback;
    if (!it->is_string()) throw_input(file, "expected a string", -1, key);
    return it->get<std::string>();
  }
  bool flag(const char* key, bool fallback) const {
    auto it = c.find(key);
    if (it == c.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) throw_input(file, "expected true or false", -1, key);
    return it->get<bool>();
  }
  long opt(std::initializer_list<const char*> keys, long fallback) const {
    for (const char* k : keys) {
      auto it = c.find(k);
      if (it == c.end() || it->is_null()) continue;
      if (!it->is_number_integer() || it->get<long>() < 0 || it->get<long>() > kMaxCount)
        throw_input(file, "expected a whole number >= 0", -1, k);
      return it->get<long>();
    }
    return fallback;
  }
};

void apply_quant(ModelShape& s, const json& q, const std::string& file) {
  if (!q.is_object()) throw_input(file, "expected a quantization config object", -1, "quantization_config");
  // ModelOpt hf_quant_config.json nests under "quantization".
  const json& block = q.contains("quantization") && q["quantization"].is_object() ? q["quantization"] : q;
  const Reader r{block, file};
  std::string method = lower(r.text("quant_method"));
  std::string algo = lower(r.text("quant_algo"));
  auto add_excludes = [&](const char* key) {
    if (!block.contains(key)) return;
    if (!block[key].is_array()) throw_input(file, "expected a list of module names", -1, key);
    for (const auto& m : block[key])
      if (m.is_string()) s.bf16_modules.push_back(m.get<std::string>());
  };
  if (algo == "nvfp4" || method == "nvfp4") {
    s.weight_dtype = "nvfp4";
    add_excludes("exclude_modules");
    add_excludes("ignore");
  } else if (method == "mxfp4") {
    s.weight_dtype = "mxfp4";
    add_excludes("modules_to_not_convert");
  } else if (method == "fp8" || algo == "fp8") {
    bool block_scaled = block.contains("weight_block_size") && block["weight_block_size"].is_array();
    s.weight_dtype = block_scaled ? "fp8_block" : "fp8";
    add_excludes("modules_to_not_convert");
    add_excludes("exclude_modules");
    add_excludes("ignored_layers");
  } else if (!method.empty() || !algo.empty()) {
    throw_input(file, fmt::format("quantization '{}' is not modelled; expected fp8, nvfp4 or mxfp4 (or give --weight-dtype)",
                                  excerpt(method.empty() ? algo : method)),
                -1, method.empty() ? "quant_algo" : "quant_method");
  }
  s.weight_bytes = *dtype_bytes(s.weight_dtype);
  std::string kv = lower(r.text("kv_cache_quant_algo"));
  if (kv == "fp8") set_kv_dtype(s, "fp8");
}

}  // namespace

ModelShape shape_from_config(const json& c, const std::string& file, const json* quant) {
  if (!c.is_object()) throw_input(file, "expected a HuggingFace config.json object");
  // Multimodal configs keep the language model under text_config.
  if (c.contains("text_config") && c["text_config"].is_object() && !c.contains("hidden_size"))
    return shape_from_config(c["text_config"], file, quant);
  Reader r{c, file};
  ModelShape s;
  s.source = file;
  s.model_type = r.text("model_type");
  s.name = r.text("_name_or_path", s.model_type);
  s.hidden = r.need("hidden_size");
  s.layers = r.need("num_hidden_layers");
  // The per-layer tables below are sized by it.
  if (s.layers > 100000) throw_input(file, "more than 100,000 layers: not a model this tool can model", -1, "num_hidden_layers");
  s.heads = r.need("num_attention_heads");
  s.kv_heads = r.opt({"num_key_value_heads"}, s.heads);
  s.head_dim = r.opt({"head_dim"}, 0);
  if (s.head_dim == 0) s.head_dim = s.hidden / s.heads;
  s.vocab = r.need("vocab_size");
  s.intermediate = r.opt({"intermediate_size"}, 0);
  s.tied_embeddings = r.flag("tie_word_embeddings", false);
  s.experts = r.opt({"n_routed_experts", "num_experts", "num_local_experts"}, 0);
  if (s.experts > 0) {
    s.experts_per_tok = r.need("num_experts_per_tok");
    s.shared_experts = r.opt({"n_shared_experts", "num_shared_experts"}, 0);
    s.moe_intermediate = r.opt({"moe_intermediate_size"}, s.intermediate);
    if (s.moe_intermediate == 0) throw_input(file, "an MoE config needs moe_intermediate_size or intermediate_size", -1, "moe_intermediate_size");
    if (s.experts_per_tok > s.experts) throw_input(file, "num_experts_per_tok exceeds the number of experts", -1, "num_experts_per_tok");
  }
  long dense_prefix = r.opt({"first_k_dense_replace"}, 0);
  long sparse_step = r.opt({"decoder_sparse_step"}, 1);
  std::vector<long> mlp_only;
  if (c.contains("mlp_only_layers") && c["mlp_only_layers"].is_array())
    for (const auto& v : c["mlp_only_layers"])
      if (v.is_number_integer()) mlp_only.push_back(v.get<long>());
  s.layer_is_moe.assign(static_cast<size_t>(s.layers), false);
  for (long i = 0; i < s.layers && s.experts > 0; ++i) {
    bool moe = i >= dense_prefix && std::find(mlp_only.begin(), mlp_only.end(), i) == mlp_only.end() &&
               (sparse_step <= 1 || (i + 1) % sparse_step == 0);
    s.layer_is_moe[static_cast<size_t>(i)] = moe;
  }
  bool any_dense = std::any_of(s.layer_is_moe.begin(), s.layer_is_moe.end(), [](bool m) { return !m; });
  if (any_dense && s.intermediate == 0) throw_input(file, "dense layers need intermediate_size", -1, "intermediate_size");
  if (c.contains("kv_lora_rank") && c["kv_lora_rank"].is_number_integer()) {
    s.mla = true;
    s.kv_lora_rank = r.need("kv_lora_rank");
    s.q_lora_rank = r.opt({"q_lora_rank"}, 0);
    s.qk_nope = r.need("qk_nope_head_dim");
    s.qk_rope = r.need("qk_rope_head_dim");
    s.v_head = r.need("v_head_dim");
  }
  // Sliding-window layers: only when the config says which layers slide.
  s.layer_is_sliding.assign(static_cast<size_t>(s.layers), false);
  if (c.contains("layer_types") && c["layer_types"].is_array()) {
    s.sliding_window = r.opt({"sliding_window"}, 0);
    const auto& types = c["layer_types"];
    for (size_t i = 0; i < types.size() && i < s.layer_is_sliding.size(); ++i)
      s.layer_is_sliding[i] = types[i].is_string() && types[i].get<std::string>() == "sliding_attention" && s.sliding_window > 0;
  }
  std::string torch_dtype = lower(r.text("torch_dtype", "bfloat16"));
  if (auto b = dtype_bytes(torch_dtype)) {
    s.weight_dtype = *b == 4 ? "fp32" : "bf16";
    s.weight_bytes = *b;
  }
  if (c.contains("quantization_config") && c["quantization_config"].is_object()) apply_quant(s, c["quantization_config"], file);
  if (quant) apply_quant(s, *quant, file);
  return s;
}

void set_weight_dtype(ModelShape& s, const std::string& dtype) {
  auto b = dtype_bytes(dtype);
  if (!b) throw_usage("unknown weight dtype '" + dtype + "'", "expected bf16, fp8, fp8_block, nvfp4 or mxfp4");
  s.weight_dtype = lower(dtype);
  s.weight_bytes = *b;
}

void set_kv_dtype(ModelShape& s, const std::string& dtype) {
  auto b = dtype_bytes(dtype);
  if (!b) throw_usage("unknown KV dtype '" + dtype + "'", "expected bf16, fp16 or fp8");
  s.kv_dtype = lower(dtype);
  s.kv_bytes = *b;
}

double ModelShape::module_bytes_per_param(const std::string& module) const {
  for (const auto& p : bf16_modules)
    if (covers(p, module)) return 2.0;
  // Embedding, lm_head and the router stay in BF16 in quantized checkpoints.
  if (weight_bytes < 2 && (module == "model.embed_tokens" || module == "lm_head" || module.find(".mlp.gate") != std::string::npos ||
                           module.find(".mlp.router") != std::string::npos))
    return 2.0;
  return weight_bytes;
}

double ModelShape::attention_params_per_layer() const {
  double h = hidden, nh = heads, nkv = kv_heads, d = head_dim;
  if (!mla) return h * nh * d + 2 * h * nkv * d + nh * d * h;
  double q = q_lora_rank > 0 ? h * q_lora_rank + static_cast<double>(q_lora_rank) * nh * (qk_nope + qk_rope)
                             : h * nh * (qk_nope + qk_rope);
  return q + h * (kv_lora_rank + qk_rope) + static_cast<double>(kv_lora_rank) * nh * (qk_nope + v_head) + nh * v_head * h;
}

double ModelShape::dense_mlp_params() const { return 3.0 * hidden * intermediate; }
double ModelShape::expert_params() const { return 3.0 * hidden * moe_intermediate; }

namespace {
long count_moe(const ModelShape& s) { return std::count(s.layer_is_moe.begin(), s.layer_is_moe.end(), true); }
}  // namespace

double ModelShape::params_total() const {
  double moe = static_cast<double>(count_moe(*this)), dense = static_cast<double>(layers) - moe;
  double p = layers * attention_params_per_layer() + dense * dense_mlp_params() +
             moe * ((experts + shared_experts) * expert_params() + static_cast<double>(hidden) * experts);
  return p + embedding_params() * (tied_embeddings ? 1 : 2);
}

double ModelShape::params_active() const {
  double moe = static_cast<double>(count_moe(*this)), dense = static_cast<double>(layers) - moe;
  double p = layers * attention_params_per_layer() + dense * dense_mlp_params() +
             moe * ((experts_per_tok + shared_experts) * expert_params() + static_cast<double>(hidden) * experts);
  return p + embedding_params() * (tied_embeddings ? 1 : 2);
}

double ModelShape::matmul_params_active() const {
  // The embedding is a gather; lm_head is a matmul (the same matrix when tied).
  return params_active() - (tied_embeddings ? 0 : embedding_params());
}

namespace {
// Keys attended per query token at context L for layer i.
double attended(const ModelShape& s, size_t i, double L) {
  return s.layer_is_sliding[i] ? std::min(L, static_cast<double>(s.sliding_window)) : L;
}
// Query-key pairs in a prompt of S tokens for layer i: all S x min(S, W)
// without the causal mask, or the causal triangle (band for sliding layers).
double pairs(const ModelShape& s, size_t i, double S, bool causal) {
  double W = s.layer_is_sliding[i] ? static_cast<double>(s.sliding_window) : S;
  if (!causal) return S * std::min(S, W);
  if (S <= W) return S * S / 2;
  return W * S - W * W / 2;
}
}  // namespace

double ModelShape::decode_flops_per_token(double L) const {
  double f = 2 * matmul_params_active();
  for (size_t i = 0; i < static_cast<size_t>(layers); ++i) {
    double keys = attended(*this, i, L);
    // GQA: QK and PV, 2 FLOPs per MAC. MLA absorbed: per head per cached
    // token q.[c_kv; k_rope] and p.c_kv = 2*kv_lora + rope MACs.
    f += mla ? 2.0 * heads * (2.0 * kv_lora_rank + qk_rope) * keys : 4.0 * heads * head_dim * keys;
  }
  return f;
}

double ModelShape::prefill_flops(double B, double S, bool causal_halving) const {
  // lm_head runs for the last position only: its logits are all a prompt needs.
  double vh = static_cast<double>(vocab) * hidden;
  double f = B * S * 2 * (matmul_params_active() - vh) + 2 * B * vh;
  for (size_t i = 0; i < static_cast<size_t>(layers); ++i) {
    double p = pairs(*this, i, S, causal_halving);
    // Non-absorbed MLA in prefill: QK over nope+rope, PV over v_head.
    f += B * (mla ? 2.0 * heads * (qk_nope + qk_rope + v_head) * p : 4.0 * heads * head_dim * p);
  }
  return f;
}

double ModelShape::experts_touched(double B) const {
  if (experts == 0) return 0;
  double E = static_cast<double>(experts), k = static_cast<double>(experts_per_tok);
  return E * (1 - std::pow(1 - k / E, B));
}

double ModelShape::weight_bytes_per_step(double B) const {
  double h = hidden, total = 0;
  auto mod = [&](const std::string& name, double params) { total += params * module_bytes_per_param(name); };
  for (long i = 0; i < layers; ++i) {
    std::string L = fmt::format("model.layers.{}.", i);
    if (!mla) {
      double nh = heads, nkv = kv_heads, d = head_dim;
      mod(L + "self_attn.q_proj", h * nh * d);
      mod(L + "self_attn.k_proj", h * nkv * d);
      mod(L + "self_attn.v_proj", h * nkv * d);
      mod(L + "self_attn.o_proj", nh * d * h);
    } else {
      double nh = heads;
      if (q_lora_rank > 0) {
        mod(L + "self_attn.q_a_proj", h * q_lora_rank);
        mod(L + "self_attn.q_b_proj", static_cast<double>(q_lora_rank) * nh * (qk_nope + qk_rope));
      } else {
        mod(L + "self_attn.q_proj", h * nh * (qk_nope + qk_rope));
      }
      mod(L + "self_attn.kv_a_proj_with_mqa", h * (kv_lora_rank + qk_rope));
      mod(L + "self_attn.kv_b_proj", static_cast<double>(kv_lora_rank) * nh * (qk_nope + v_head));
      mod(L + "self_attn.o_proj", nh * v_head * h);
    }
    if (!layer_is_moe[static_cast<size_t>(i)]) {
      mod(L + "mlp.gate_proj", h * intermediate);
      mod(L + "mlp.up_proj", h * intermediate);
      mod(L + "mlp.down_proj", static_cast<double>(intermediate) * h);
    } else {
      mod(L + "mlp.gate", h * experts);
      // Routed experts: the expected number of distinct experts the batch touches.
      mod(L + "mlp.experts.0.gate_proj", experts_touched(B) * expert_params());
      if (shared_experts > 0) mod(L + "mlp.shared_experts.gate_proj", shared_experts * expert_params());
    }
  }
  // The input embedding's rows are gathered (negligible); lm_head is read whole.
  mod("lm_head", static_cast<double>(vocab) * h);
  return total;
}

double ModelShape::kv_elements_per_token() const {
  double per_layer = mla ? static_cast<double>(kv_lora_rank + qk_rope) : 2.0 * kv_heads * head_dim;
  return per_layer * layers;
}

double ModelShape::kv_bytes_per_step(double B, double L) const {
  double per_layer = mla ? static_cast<double>(kv_lora_rank + qk_rope) : 2.0 * kv_heads * head_dim;
  double read = 0;
  for (size_t i = 0; i < static_cast<size_t>(layers); ++i) read += attended(*this, i, L) * per_layer;
  return B * (read + kv_elements_per_token()) * kv_bytes;
}

double ModelShape::arithmetic_intensity(double B, double L) const {
  return B * decode_flops_per_token(L) / bytes_per_decode_step(B, L);
}

json to_json(const ModelShape& s) {
  json moe = json::array(), sliding = json::array();
  for (bool m : s.layer_is_moe) moe.push_back(m);
  for (bool w : s.layer_is_sliding) sliding.push_back(w);
  return {{"name", s.name},
          {"model_type", s.model_type},
          {"source", s.source},
          {"hidden_size", s.hidden},
          {"num_hidden_layers", s.layers},
          {"num_attention_heads", s.heads},
          {"num_key_value_heads", s.kv_heads},
          {"head_dim", s.head_dim},
          {"intermediate_size", s.intermediate},
          {"vocab_size", s.vocab},
          {"tie_word_embeddings", s.tied_embeddings},
          {"experts", s.experts},
          {"experts_per_tok", s.experts_per_tok},
          {"shared_experts", s.shared_experts},
          {"moe_intermediate_size", s.moe_intermediate},
          {"layer_is_moe", moe},
          {"mla", s.mla},
          {"q_lora_rank", s.q_lora_rank},
          {"kv_lora_rank", s.kv_lora_rank},
          {"qk_nope_head_dim", s.qk_nope},
          {"qk_rope_head_dim", s.qk_rope},
          {"v_head_dim", s.v_head},
          {"sliding_window", s.sliding_window},
          {"layer_is_sliding", sliding},
          {"weight_dtype", s.weight_dtype},
          {"weight_bytes", s.weight_bytes},
          {"bf16_modules", s.bf16_modules},
          {"kv_dtype", s.kv_dtype},
          {"kv_bytes", s.kv_bytes}};
}

ModelShape shape_from_json(const json& j, const std::string& file) {
  if (!j.is_object()) throw_input(file, "expected a model shape object");
  ModelShape s;
  try {
    s.name = j.at("name").get<std::string>();
    s.model_type = j.value("model_type", std::string());
    s.source = j.value("source", std::string());
    s.hidden = j.at("hidden_size").get<long>();
    s.layers = j.at("num_hidden_layers").get<long>();
    s.heads = j.at("num_attention_heads").get<long>();
    s.kv_heads = j.at("num_key_value_heads").get<long>();
    s.head_dim = j.at("head_dim").get<long>();
    s.intermediate = j.at("intermediate_size").get<long>();
    s.vocab = j.at("vocab_size").get<long>();
    s.tied_embeddings = j.at("tie_word_embeddings").get<bool>();
    s.experts = j.at("experts").get<long>();
    s.experts_per_tok = j.at("experts_per_tok").get<long>();
    s.shared_experts = j.at("shared_experts").get<long>();
    s.moe_intermediate = j.at("moe_intermediate_size").get<long>();
    s.layer_is_moe = j.at("layer_is_moe").get<std::vector<bool>>();
    s.mla = j.at("mla").get<bool>();
    s.q_lora_rank = j.at("q_lora_rank").get<long>();
    s.kv_lora_rank = j.at("kv_lora_rank").get<long>();
    s.qk_nope = j.at("qk_nope_head_dim").get<long>();
    s.qk_rope = j.at("qk_rope_head_dim").get<long>();
    s.v_head = j.at("v_head_dim").get<long>();
    s.sliding_window = j.at("sliding_window").get<long>();
    s.layer_is_sliding = j.at("layer_is_sliding").get<std::vector<bool>>();
    s.weight_dtype = j.at("weight_dtype").get<std::string>();
    s.weight_bytes = j.at("weight_bytes").get<double>();
    s.bf16_modules = j.at("bf16_modules").get<std::vector<std::string>>();
    s.kv_dtype = j.at("kv_dtype").get<std::string>();
    s.kv_bytes = j.at("kv_bytes").get<double>();
  } catch (const json::exception& e) {
    throw_input(file, std::string("malformed model shape: ") + e.what());
  }
  if (s.hidden <= 0 || s.layers <= 0 || s.heads <= 0 || s.head_dim <= 0 || s.vocab <= 0 ||
      s.layer_is_moe.size() != static_cast<size_t>(s.layers) || s.layer_is_sliding.size() != static_cast<size_t>(s.layers) ||
      !(s.weight_bytes > 0) || !(s.kv_bytes > 0))
    throw_input(file, "malformed model shape: sizes must be positive and the per-layer lists one entry per layer");
  return s;
}

}  // namespace ptr
