#pragma once
// Where one point of a roofline sweep sits: its analytical coordinates from
// the model shape (FLOPs per token, bytes per step, arithmetic intensity) and
// what the measured rate makes of them (achieved TFLOP/s per GPU, delivered
// HBM TB/s per GPU). Independent of any ceiling: pages divide by the GPU's.
//
// Decode at batch B (sequences per replica step) and context L: a step reads
// bytes_per_decode_step(B, L) and makes B tokens. Prefill of b prompts of S
// tokens: prefill_flops(b, S) with causal halving, the weights once (every
// expert a prompt's tokens touch) plus the KV cache written.
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "analysis/roofline/model_shape.hpp"

namespace ptr {

struct SweepCoordinates {
  std::string phase;  // decode | prefill
  double batch = 1, context = 0;     // decode: B per replica, L; prefill: b, S (= context)
  double flops_per_token = 0;
  double bytes_per_step = 0, tokens_per_step = 0;
  double arithmetic_intensity = 0;   // FLOP / byte of one step
  std::optional<double> achieved_tflops_per_gpu, delivered_hbm_tb_s_per_gpu;  // with a measured rate
  bool causal_halving = true;
};

// `tok_s`: tokens per second of the whole deployment (decode: output tokens;
// prefill: prompt tokens), `gpus` of it, `replicas` (data parallel) sharing them.
SweepCoordinates decode_coordinates(const ModelShape& m, double batch, double context, std::optional<double> tok_s, long gpus,
                                    long replicas);
SweepCoordinates prefill_coordinates(const ModelShape& m, double batch, double isl, std::optional<double> tok_s, long gpus,
                                     long replicas);

nlohmann::json to_json(const SweepCoordinates& c);

}  // namespace ptr
