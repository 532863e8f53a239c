#include "analysis/roofline/decode_ceiling.hpp"

namespace ptr {

namespace {

DecodeCeiling ceiling_at(const ModelShape& m, double hbm_tb_s, std::optional<std::pair<double, std::string>> roof, double batch,
                         double context) {
  DecodeCeiling c;
  c.memory_bound_tok_s_per_gpu = batch * hbm_tb_s * 1e12 / m.bytes_per_decode_step(batch, context);
  c.tok_s_per_gpu = c.memory_bound_tok_s_per_gpu;
  c.bound = "memory";
  if (roof) {
    c.compute_roof = roof->second;
    c.compute_bound_tok_s_per_gpu = roof->first * 1e12 / m.decode_flops_per_token(context);
    if (*c.compute_bound_tok_s_per_gpu < c.tok_s_per_gpu) {
      c.tok_s_per_gpu = *c.compute_bound_tok_s_per_gpu;
      c.bound = "compute";
    }
  }
  return c;
}

}  // namespace

DecodeCeiling decode_ceiling(const ModelShape& m, const GpuCeiling& g, double batch, double context) {
  return ceiling_at(m, g.hbm_tb_s, g.compute_roof_tflops(m.weight_dtype), batch, context);
}

std::optional<DecodeCeiling> achievable_decode_ceiling(const ModelShape& m, const GpuCeiling& g, double batch, double context) {
  if (!g.achievable_hbm_tb_s) return std::nullopt;
  std::optional<std::pair<double, std::string>> roof;
  // The measured GEMM rate is a BF16 figure: it bounds BF16 weights only.
  auto datasheet = g.compute_roof_tflops(m.weight_dtype);
  if (datasheet && datasheet->second == "BF16" && g.achievable_bf16_tflops) roof = {{*g.achievable_bf16_tflops, "BF16"}};
  else roof = datasheet;
  return ceiling_at(m, *g.achievable_hbm_tb_s, roof, batch, context);
}

}  // namespace ptr
