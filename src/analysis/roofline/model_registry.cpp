// Built-in shapes: the exact config.json values of well-known models
// (published model cards; shared/reference/roofline-dcgm.md §1.5), so a
// report can place a serving point against its speed of light without the
// user fetching a config. Any other model: --model-config config.json.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "analysis/roofline/model_shape.hpp"

namespace ptr {

namespace {

struct Entry {
  const char* name;
  const char* config;
};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> e = {
      {"Llama-3.1-8B",
       R"({"model_type":"llama","hidden_size":4096,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,
           "intermediate_size":14336,"vocab_size":128256,"tie_word_embeddings":false,"torch_dtype":"bfloat16"})"},
      {"Llama-3.1-70B",
       R"({"model_type":"llama","hidden_size":8192,"num_hidden_layers":80,"num_attention_heads":64,"num_key_value_heads":8,
           "intermediate_size":28672,"vocab_size":128256,"tie_word_embeddings":false,"torch_dtype":"bfloat16"})"},
      {"Llama-3.1-405B",
       R"({"model_type":"llama","hidden_size":16384,"num_hidden_layers":126,"num_attention_heads":128,"num_key_value_heads":8,
           "intermediate_size":53248,"vocab_size":128256,"tie_word_embeddings":false,"torch_dtype":"bfloat16"})"},
      {"DeepSeek-V3",
       R"({"model_type":"deepseek_v3","hidden_size":7168,"num_hidden_layers":61,"num_attention_heads":128,"num_key_value_heads":128,
           "intermediate_size":18432,"vocab_size":129280,"tie_word_embeddings":false,"n_routed_experts":256,"num_experts_per_tok":8,
           "n_shared_experts":1,"moe_intermediate_size":2048,"first_k_dense_replace":3,"q_lora_rank":1536,"kv_lora_rank":512,
           "qk_nope_head_dim":128,"qk_rope_head_dim":64,"v_head_dim":128,"torch_dtype":"bfloat16",
           "quantization_config":{"quant_method":"fp8","fmt":"e4m3","weight_block_size":[128,128],"activation_scheme":"dynamic"}})"},
      {"Kimi-K2",
       R"({"model_type":"kimi_k2","hidden_size":7168,"num_hidden_layers":61,"num_attention_heads":64,"num_key_value_heads":64,
           "intermediate_size":18432,"vocab_size":163840,"tie_word_embeddings":false,"n_routed_experts":384,"num_experts_per_tok":8,
           "n_shared_experts":1,"moe_intermediate_size":2048,"first_k_dense_replace":1,"q_lora_rank":1536,"kv_lora_rank":512,
           "qk_nope_head_dim":128,"qk_rope_head_dim":64,"v_head_dim":128,"torch_dtype":"bfloat16",
           "quantization_config":{"quant_method":"fp8","fmt":"e4m3","weight_block_size":[128,128],"activation_scheme":"dynamic"}})"},
      {"Qwen3-235B-A22B",
       R"({"model_type":"qwen3_moe","hidden_size":4096,"num_hidden_layers":94,"num_attention_heads":64,"num_key_value_heads":4,
           "head_dim":128,"intermediate_size":12288,"vocab_size":151936,"tie_word_embeddings":false,"num_experts":128,
           "num_experts_per_tok":8,"moe_intermediate_size":1536,"mlp_only_layers":[],"decoder_sparse_step":1,"torch_dtype":"bfloat16"})"},
      {"GLM-4.5",
       R"({"model_type":"glm4_moe","hidden_size":5120,"num_hidden_layers":92,"num_attention_heads":96,"num_key_value_heads":8,
           "head_dim":128,"intermediate_size":12288,"vocab_size":151552,"tie_word_embeddings":false,"n_routed_experts":160,
           "num_experts_per_tok":8,"n_shared_experts":1,"moe_intermediate_size":1536,"first_k_dense_replace":3,"torch_dtype":"bfloat16"})"},
      {"gpt-oss-120b",
       R"({"model_type":"gpt_oss","hidden_size":2880,"num_hidden_layers":36,"num_attention_heads":64,"num_key_value_heads":8,
           "head_dim":64,"intermediate_size":2880,"vocab_size":201088,"tie_word_embeddings":false,"num_local_experts":128,
           "num_experts_per_tok":4,"sliding_window":128,
           "layer_types":["sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
                          "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
                          "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
                          "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
                          "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
                          "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention"],
           "torch_dtype":"bfloat16",
           "quantization_config":{"quant_method":"mxfp4","modules_to_not_convert":["model.layers.*.self_attn","model.layers.*.mlp.router",
                                  "model.embed_tokens","lm_head"]}})"},
  };
  return e;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::vector<std::string> builtin_models() {
  std::vector<std::string> out;
  for (const auto& e : entries()) out.push_back(e.name);
  return out;
}

std::optional<ModelShape> builtin_shape(const std::string& name) {
  // "meta-llama/Llama-3.1-8B-Instruct" -> "llama-3.1-8b-instruct": the longest
  // registry name it starts with ("meta-" prefixes dropped).
  std::string key = lower(name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1));
  if (key.rfind("meta-", 0) == 0) key = key.substr(5);
  const Entry* best = nullptr;
  for (const auto& e : entries()) {
    std::string n = lower(e.name);
    if (key.rfind(n, 0) == 0 && (key.size() == n.size() || !std::isdigit(static_cast<unsigned char>(key[n.size()]))) &&
        (!best || n.size() > std::string(best->name).size()))
      best = &e;
  }
  if (!best) return std::nullopt;
  ModelShape s = shape_from_config(nlohmann::json::parse(best->config), std::string("builtin:") + best->name);
  s.name = best->name;
  return s;
}

}  // namespace ptr
