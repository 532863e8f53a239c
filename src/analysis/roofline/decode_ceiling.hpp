#pragma once
// The analytical decode ceiling of a model on a GPU: at batch B (sequences in
// one replica's step) and context L, a step must read its bytes
// (ModelShape::bytes_per_decode_step) and do B x FLOPs per token; the faster
// of the two limits is not reachable, so the ceiling is the slower one.
// Per GPU the figure does not depend on TP: N GPUs read 1/N of the bytes each
// and produce the same tokens, so tok/s/GPU = B x BW / bytes.
#include <optional>
#include <string>

#include "analysis/roofline/ceilings.hpp"
#include "analysis/roofline/model_shape.hpp"

namespace ptr {

struct DecodeCeiling {
  double memory_bound_tok_s_per_gpu = 0;   // B x HBM bandwidth / bytes per step
  std::optional<double> compute_bound_tok_s_per_gpu;  // tensor roof / FLOPs per token (none without a roof)
  double tok_s_per_gpu = 0;                // the lower of the two
  std::string bound;                       // "memory" | "compute"
  std::string compute_roof;                // "BF16", "FP8", "FP4"
};

// Datasheet ceilings; `achievable` uses the GPU's measured block (nullopt
// when the file has none).
DecodeCeiling decode_ceiling(const ModelShape& m, const GpuCeiling& g, double batch, double context);
std::optional<DecodeCeiling> achievable_decode_ceiling(const ModelShape& m, const GpuCeiling& g, double batch, double context);

}  // namespace ptr
