#include "analysis/roofline/sweep_point.hpp"

#include <nlohmann/json.hpp>

namespace ptr {

namespace {

void measured(SweepCoordinates& c, std::optional<double> tok_s, long gpus) {
  if (!tok_s || gpus < 1) return;
  double steps_per_s = *tok_s / c.tokens_per_step;  // over all replicas
  c.achieved_tflops_per_gpu = c.flops_per_token * *tok_s / static_cast<double>(gpus) / 1e12;
  c.delivered_hbm_tb_s_per_gpu = c.bytes_per_step * steps_per_s / static_cast<double>(gpus) / 1e12;
}

}  // namespace

SweepCoordinates decode_coordinates(const ModelShape& m, double batch, double context, std::optional<double> tok_s, long gpus,
                                    long replicas) {
  SweepCoordinates c;
  c.phase = "decode";
  c.batch = batch / static_cast<double>(std::max(1L, replicas));
  c.context = context;
  c.flops_per_token = m.decode_flops_per_token(context);
  c.bytes_per_step = m.bytes_per_decode_step(c.batch, context);
  c.tokens_per_step = c.batch;
  c.arithmetic_intensity = c.flops_per_token * c.tokens_per_step / c.bytes_per_step;
  measured(c, tok_s, gpus);
  return c;
}

SweepCoordinates prefill_coordinates(const ModelShape& m, double batch, double isl, std::optional<double> tok_s, long gpus,
                                     long replicas) {
  SweepCoordinates c;
  c.phase = "prefill";
  c.batch = batch / static_cast<double>(std::max(1L, replicas));
  c.context = isl;
  c.tokens_per_step = c.batch * isl;
  double flops = m.prefill_flops(c.batch, isl, c.causal_halving);
  c.flops_per_token = flops / c.tokens_per_step;
  c.bytes_per_step = m.weight_bytes_per_step(c.tokens_per_step) + c.tokens_per_step * m.kv_bytes_per_token();
  c.arithmetic_intensity = flops / c.bytes_per_step;
  measured(c, tok_s, gpus);
  return c;
}

nlohmann::json to_json(const SweepCoordinates& c) {
  nlohmann::json j = {{"phase", c.phase},
                      {"batch_per_replica", c.batch},
                      {"context", c.context},
                      {"flops_per_token", c.flops_per_token},
                      {"bytes_per_step", c.bytes_per_step},
                      {"tokens_per_step", c.tokens_per_step},
                      {"bytes_per_token", c.bytes_per_step / c.tokens_per_step},
                      {"arithmetic_intensity", c.arithmetic_intensity}};
  j["achieved_tflops_per_gpu"] = c.achieved_tflops_per_gpu ? nlohmann::json(*c.achieved_tflops_per_gpu) : nlohmann::json();
  j["delivered_hbm_tb_s_per_gpu"] = c.delivered_hbm_tb_s_per_gpu ? nlohmann::json(*c.delivered_hbm_tb_s_per_gpu) : nlohmann::json();
  if (c.phase == "prefill") j["causal_halving"] = c.causal_halving;
  return j;
}

}  // namespace ptr
