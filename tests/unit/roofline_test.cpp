// Model-shape math against the reference's golden numbers
// (shared/reference/roofline-dcgm.md sections 2.1-2.3).
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/roofline/ceilings.hpp"
#include "analysis/roofline/layer_ops.hpp"
#include "analysis/roofline/model_shape.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

ModelShape llama2_7b() {
  return shape_from_config(json{{"hidden_size", 4096}, {"num_hidden_layers", 32}, {"num_attention_heads", 32},
                                {"num_key_value_heads", 32}, {"intermediate_size", 11008}, {"vocab_size", 32000}},
                           "llama-2-7b");
}

std::map<std::string, OpCost> by_name(const StageCost& st) {
  std::map<std::string, OpCost> m;
  for (const auto& op : st.layer) m[op.name] = op;
  return m;
}

TEST(Roofline, LlmViewerLlama2PerLayerNumbersExactly) {
  // A6000: 768e9 B/s, 154.8 TFLOP/s; seqlen 2048, batch 1, W16A16KV16.
  LayerAnalysis a = llm_viewer_analysis(llama2_7b(), 2048, 1, 2, 2, 2, 309.677e12 / 2, 768e9);
  auto p = by_name(a.prefill), d = by_name(a.decode);
  for (const char* n : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
    EXPECT_EQ(p[n].ops, 68719476736.0) << n;
    EXPECT_EQ(p[n].bytes(), 67108864.0) << n;
    EXPECT_EQ(d[n].ops, 33554432.0) << n;
    EXPECT_EQ(d[n].bytes(), 33570816.0) << n;
  }
  for (const char* n : {"gate_proj", "up_proj", "down_proj"}) {
    EXPECT_EQ(p[n].ops, 184683593728.0) << n;
    EXPECT_EQ(p[n].bytes(), 152043520.0) << n;
    EXPECT_EQ(d[n].ops, 90177536.0) << n;
    EXPECT_EQ(d[n].bytes(), 90207744.0) << n;
  }
  for (const char* n : {"qk_matmul", "sv_matmul"}) {
    EXPECT_EQ(p[n].ops, 34359738368.0) << n;
    EXPECT_EQ(p[n].bytes(), 301989888.0) << n;
    EXPECT_EQ(d[n].ops, 16777216.0) << n;
    EXPECT_EQ(d[n].bytes(), 16916480.0) << n;
  }
  EXPECT_EQ(p["softmax"].ops, 671088640.0);
  EXPECT_EQ(p["softmax"].bytes(), 536870912.0);
  EXPECT_EQ(d["softmax"].ops, 327680.0);
  EXPECT_EQ(d["softmax"].bytes(), 262144.0);
  for (const char* n : {"attn_norm", "mlp_norm"}) {
    EXPECT_EQ(p[n].ops, 58720256.0);
    EXPECT_EQ(p[n].bytes(), 33554432.0);
    EXPECT_EQ(d[n].ops, 28672.0);
    EXPECT_EQ(d[n].bytes(), 16384.0);
  }
  for (const char* n : {"attn_add", "mlp_add"}) {
    EXPECT_EQ(p[n].ops, 8388608.0);
    EXPECT_EQ(p[n].bytes(), 33554432.0);
    EXPECT_EQ(d[n].ops, 4096.0);
    EXPECT_EQ(d[n].bytes(), 16384.0);
  }
  EXPECT_EQ(p["mlp_act"].ops, 16777216.0);
  EXPECT_EQ(p["mlp_act"].bytes(), 50331648.0);
  EXPECT_EQ(d["mlp_act"].ops, 8192.0);
  EXPECT_EQ(d["mlp_act"].bytes(), 24576.0);
  EXPECT_EQ(p["lm_head"].ops, 131072000.0);
  EXPECT_EQ(p["lm_head"].bytes(), 262216192.0);
  EXPECT_NEAR(p["q_proj"].arithmetic_intensity(), 1024.0, 1e-9);
  EXPECT_NEAR(p["gate_proj"].arithmetic_intensity(), 1214.68, 0.01);
  EXPECT_NEAR(p["qk_matmul"].arithmetic_intensity(), 113.78, 0.01);
  // Model totals.
  EXPECT_EQ(a.prefill.ops, 28751179022336.0);
  EXPECT_EQ(a.prefill.bytes, 65861130752.0);
  EXPECT_EQ(a.prefill.load_weight, 13214154752.0);
  EXPECT_EQ(a.prefill.load_kv, 1073741824.0);
  EXPECT_EQ(a.prefill.store_kv, 1073741824.0);
  EXPECT_EQ(a.decode.ops, 14169669632.0);
  EXPECT_EQ(a.decode.bytes, 14313150976.0);
  EXPECT_EQ(a.decode.load_weight, 13214154752.0);
  EXPECT_EQ(a.decode.load_kv, 1073741824.0);
  EXPECT_EQ(a.decode.store_kv, 524288.0);
  EXPECT_NEAR(a.prefill.seconds, 0.226879, 0.5e-6);
  EXPECT_NEAR(a.decode.seconds, 0.018637, 0.5e-6);
}

TEST(Roofline, LlmViewerGqaLlama31_8BDecodeBatch8) {
  ModelShape s = *builtin_shape("Llama-3.1-8B");
  LayerAnalysis a = llm_viewer_analysis(s, 1024, 8, 2, 2, 2, 989.5e12, 3072e9);
  auto d = by_name(a.decode);
  EXPECT_EQ(d["q_proj"].ops, 268435456.0);
  EXPECT_EQ(d["q_proj"].bytes(), 33685504.0);
  EXPECT_EQ(d["k_proj"].ops, 67108864.0);
  EXPECT_EQ(d["k_proj"].bytes(), 8470528.0);
  EXPECT_EQ(d["gate_proj"].ops, 939524096.0);
  EXPECT_EQ(d["gate_proj"].bytes(), 117735424.0);
  EXPECT_EQ(d["qk_matmul"].ops, 67108864.0);
  EXPECT_EQ(d["qk_matmul"].bytes(), 17367040.0);
  EXPECT_EQ(d["lm_head"].ops, 4202692608.0);
  EXPECT_EQ(d["lm_head"].bytes(), 1050937856.0);
  EXPECT_EQ(a.decode.ops, 120227627008.0);
  EXPECT_EQ(a.decode.bytes, 16219638272.0);
}

void expect_within(double got, double want, double rel, const char* what) {
  EXPECT_LE(std::fabs(got - want), rel * want) << what << ": " << got << " vs " << want;
}

TEST(Roofline, ParameterCountsMatchPublishedWithinHalfAPercent) {
  expect_within(builtin_shape("Llama-3.1-8B")->params_total(), 8.03e9, 0.005, "Llama-3.1-8B");
  expect_within(builtin_shape("Llama-3.1-70B")->params_total(), 70.55e9, 0.005, "Llama-3.1-70B");
  ModelShape v3 = *builtin_shape("deepseek-ai/DeepSeek-V3");
  expect_within(v3.params_total(), 671.0e9, 0.005, "DeepSeek-V3 total");
  expect_within(v3.params_active(), 37.55e9, 0.005, "DeepSeek-V3 active");
  ModelShape q = *builtin_shape("Qwen/Qwen3-235B-A22B-Instruct-2507");
  expect_within(q.params_total(), 235.1e9, 0.005, "Qwen3-235B total");
  expect_within(q.params_active(), 22.2e9, 0.005, "Qwen3-235B active");
  ModelShape k = *builtin_shape("moonshotai/Kimi-K2-Instruct");
  expect_within(k.params_total(), 1.03e12, 0.005, "Kimi-K2 total");
  expect_within(k.params_active(), 32.9e9, 0.005, "Kimi-K2 active");
  ModelShape oss = *builtin_shape("openai/gpt-oss-120b");
  expect_within(oss.params_total(), 116.8e9, 0.005, "gpt-oss-120b total");
  EXPECT_FALSE(builtin_shape("Llama-3.1-80B").has_value());
  EXPECT_EQ(builtin_shape("meta-llama/Meta-Llama-3.1-70B-Instruct")->layers, 80);
}

TEST(Roofline, ExpertsTouchedAndKvBytes) {
  ModelShape v3 = *builtin_shape("DeepSeek-V3");
  EXPECT_NEAR(v3.experts_touched(1), 8.0, 0.005);
  EXPECT_NEAR(v3.experts_touched(8), 57.42, 0.005);
  EXPECT_NEAR(v3.experts_touched(64), 222.44, 0.005);
  EXPECT_NEAR(v3.experts_touched(256), 255.92, 0.005);
  set_kv_dtype(v3, "bf16");
  EXPECT_DOUBLE_EQ(v3.kv_bytes_per_token(), 70272);  // 61 x (512 + 64) x 2: the latent cache
  ModelShape l8 = *builtin_shape("Llama-3.1-8B");
  EXPECT_DOUBLE_EQ(l8.kv_bytes_per_token(), 131072);
  // Decode-step examples (section 2.2).
  EXPECT_NEAR(l8.arithmetic_intensity(1, 0), 1.00, 0.005);
  EXPECT_NEAR(l8.arithmetic_intensity(64, 4096), 22.24, 0.01);
  EXPECT_NEAR(2 * l8.matmul_params_active() / 1e9, 15.01, 0.01);
  set_weight_dtype(v3, "bf16");
  EXPECT_NEAR(v3.decode_flops_per_token(4096) / 1e9, 142.84, 0.05);
  EXPECT_NEAR(2 * v3.matmul_params_active() / 1e9, 73.25, 0.05);
}

TEST(Roofline, BytesPerModuleForFp8BlockAndNvfp4WithExclusions) {
  ModelShape v3 = *builtin_shape("DeepSeek-V3");  // fp8, 128x128 blocks
  EXPECT_EQ(v3.weight_dtype, "fp8_block");
  EXPECT_DOUBLE_EQ(v3.module_bytes_per_param("model.layers.5.mlp.experts.0.gate_proj"), 1 + 4.0 / 16384);
  EXPECT_DOUBLE_EQ(v3.module_bytes_per_param("lm_head"), 2);
  nlohmann::json quant = {{"quantization",
                           {{"quant_algo", "NVFP4"},
                            {"kv_cache_quant_algo", "FP8"},
                            {"group_size", 16},
                            {"exclude_modules", {"lm_head", "*.self_attn.q_a_proj", "*kv_a_proj_with_mqa", "*.self_attn.q_b_proj",
                                                 "*.self_attn.kv_b_proj"}}}}};
  nlohmann::json cfg = {{"hidden_size", 7168}, {"num_hidden_layers", 61}, {"num_attention_heads", 128}, {"intermediate_size", 18432},
                        {"vocab_size", 129280}, {"n_routed_experts", 256}, {"num_experts_per_tok", 8}, {"n_shared_experts", 1},
                        {"moe_intermediate_size", 2048}, {"first_k_dense_replace", 3}, {"q_lora_rank", 1536},
                        {"kv_lora_rank", 512}, {"qk_nope_head_dim", 128}, {"qk_rope_head_dim", 64}, {"v_head_dim", 128}};
  ModelShape n = shape_from_config(cfg, "config.json", &quant);
  EXPECT_EQ(n.weight_dtype, "nvfp4");
  EXPECT_EQ(n.kv_dtype, "fp8");
  EXPECT_DOUBLE_EQ(n.module_bytes_per_param("model.layers.9.mlp.experts.0.gate_proj"), 0.5625);
  EXPECT_DOUBLE_EQ(n.module_bytes_per_param("model.layers.9.self_attn.o_proj"), 0.5625);
  EXPECT_DOUBLE_EQ(n.module_bytes_per_param("model.layers.9.self_attn.q_a_proj"), 2);
  EXPECT_DOUBLE_EQ(n.module_bytes_per_param("model.layers.9.self_attn.kv_a_proj_with_mqa"), 2);
  EXPECT_DOUBLE_EQ(n.module_bytes_per_param("lm_head"), 2);
  // gpt-oss: MXFP4 experts, BF16 attention (modules_to_not_convert as a parent path).
  ModelShape oss = *builtin_shape("gpt-oss-120b");
  EXPECT_DOUBLE_EQ(oss.module_bytes_per_param("model.layers.3.mlp.experts.0.gate_proj"), 17.0 / 32);
  EXPECT_DOUBLE_EQ(oss.module_bytes_per_param("model.layers.3.self_attn.q_proj"), 2);
  EXPECT_TRUE(oss.layer_is_sliding[0]);
  EXPECT_FALSE(oss.layer_is_sliding[1]);
  // Unknown quantization and bad fields name the key.
  EXPECT_THROW(shape_from_config(json{{"hidden_size", 8}}, "c.json"), Error);
  try {
    shape_from_config(json{{"hidden_size", 8}, {"num_hidden_layers", 2}, {"num_attention_heads", 2}, {"vocab_size", 10},
                           {"intermediate_size", 16}, {"quantization_config", {{"quant_method", "gptq"}}}},
                      "c.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("quantization 'gptq' is not modelled"), std::string::npos) << e.what();
  }
}

TEST(Roofline, H100CaptureQuickChecks) {
  ModelShape s = *builtin_shape("Llama-3.1-8B");
  // Batch-1 decode at context 1024: weights without the gathered embedding, plus the KV cache.
  double bytes = s.bytes_per_decode_step(1, 1024);
  EXPECT_NEAR(s.weight_bytes_per_step(1) / 1e9, 15.01, 0.01);
  EXPECT_NEAR(bytes / 1e9, 15.14, 0.01);
  EXPECT_NEAR(bytes / 7.13525e-3 / 1e12, 2.12, 0.01);  // delivered TB/s
  // Prefill at ISL 2048: 59.86 ms per 2048-token prompt.
  double halved = s.prefill_flops(1, 2048, true) / 59.8598e-3 / 1e12, full = s.prefill_flops(1, 2048, false) / 59.8598e-3 / 1e12;
  EXPECT_NEAR(halved / 989, 0.50, 0.01);
  EXPECT_NEAR(full / 989, 0.52, 0.01);
}

TEST(Roofline, CeilingsFileParsesAndRefusesMalformed) {
  SolCeilings c = parse_sol_ceilings(read_file(source_dir() / "configs/sol-ceilings.yaml"), "sol-ceilings.yaml");
  const GpuCeiling* h100 = c.for_hardware("H100");
  ASSERT_NE(h100, nullptr);
  EXPECT_EQ(h100->key, "h100_sxm");
  EXPECT_DOUBLE_EQ(*h100->bf16_tflops, 989);
  EXPECT_DOUBLE_EQ(h100->hbm_tb_s, 3.35);
  EXPECT_EQ(c.for_hardware("GB300")->key, "gb300_nvl72");
  EXPECT_EQ(c.for_hardware("B200")->key, "b200_sm100");
  EXPECT_EQ(c.for_hardware("MI300X"), nullptr);
  EXPECT_EQ(h100->compute_roof_tflops("fp8")->second, "FP8");
  EXPECT_EQ(c.for_hardware("B200")->compute_roof_tflops("nvfp4")->first, 9000);
  EXPECT_EQ(h100->compute_roof_tflops("mxfp4")->second, "BF16");
  for (const auto& [yaml, key] : std::vector<std::pair<std::string, std::string>>{
           {"gpus: {x: {hbm_gb: 1, hbm_tb_s: 1, source: s}}\n", "hardware"},
           {"hardware: {H100: x}\ngpus: {x: {hbm_gb: 1, source: s}}\n", "gpus.x.hbm_tb_s"},
           {"hardware: {H100: y}\ngpus: {x: {hbm_gb: 1, hbm_tb_s: 1, source: s}}\n", "hardware.H100"},
           {"hardware: {H100: x}\ngpus: {x: {hbm_gb: 1, hbm_tb_s: -3, source: s}}\n", "gpus.x.hbm_tb_s"},
           {"hardware: {H100: x}\ngpus: {x: {hbm_gb: 1, hbm_tb_s: 1}}\n", "gpus.x.source"},
           {"hardware: [\n", "(document)"}}) {
    try {
      parse_sol_ceilings(yaml, "bad.yaml");
      ADD_FAILURE() << yaml;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.message).rfind("SoLCeilingsMalformed: " + key, 0), 0u) << e.message;
    }
  }
}

}  // namespace
}  // namespace ptr::test

namespace ptr::test {
namespace {

TEST(ModelShapeVerb, Llama8bOnH100MatchesTheCapture) {
  auto r = run_cli("--json model_shape --model meta-llama/Llama-3.1-8B-Instruct --batch 1 --context 1024 --hardware H100");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = r.envelope()["result"];
  double bytes = j["bytes_per_step"].get<double>();
  // Weights without the gathered embedding plus KV at 1024: ~15.1 GB; over the
  // capture's 7.13525 ms step that is ~2.12 TB/s (fixtures/gpu/PROVENANCE.md).
  EXPECT_NEAR(bytes / 7.13525e-3 / 1e12, 2.12, 0.01);
  EXPECT_NEAR(j["params_total"].get<double>(), 8.03e9, 0.005 * 8.03e9);
  EXPECT_EQ(j["kv_bytes_per_token"].get<double>(), 32 * 8 * 128 * 2 * 2);
  const json& c = j["hardware"]["decode_ceiling"];
  EXPECT_EQ(c["bound"], "memory");
  EXPECT_DOUBLE_EQ(c["memory_bound_tok_s_per_gpu"].get<double>(), 3.35e12 / bytes);
  EXPECT_DOUBLE_EQ(c["compute_bound_tok_s_per_gpu"].get<double>(), 989e12 / j["flops_per_token"].get<double>());
  EXPECT_DOUBLE_EQ(j["hardware"]["achievable_decode_ceiling"]["tok_s_per_gpu"].get<double>(), 3.02e12 / bytes);
}

TEST(ModelShapeVerb, MoeBatchTouchesExpertsAndBadNamesAreUsageErrors) {
  auto r = run_cli("--json model_shape --model DeepSeek-V3 --batch 64 --context 4096 --weight-dtype fp8_block --kv-dtype fp8");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = r.envelope()["result"];
  EXPECT_NEAR(j["experts_touched_per_moe_layer"].get<double>(), 222.44, 0.01);
  EXPECT_EQ(j["kv_dtype"], "fp8");
  EXPECT_FALSE(j.contains("hardware"));
  auto unknown = run_cli("model_shape --model Mistral-Large-3");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("built-in: "), std::string::npos) << unknown.err;
  auto hw = run_cli("model_shape --model Llama-3.1-8B --hardware TPUv5");
  EXPECT_EQ(hw.exit_code, 2);
  EXPECT_NE(hw.err.find("H100"), std::string::npos) << hw.err;
}

}  // namespace
}  // namespace ptr::test
