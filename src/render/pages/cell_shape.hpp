#pragma once
// The model shape a serving cell's speed-of-light numbers use (pages 4 and 8):
// a roofline sweep's shape of the same model, the campaign's
// model_config.json (one-model campaigns), else the built-in registry by
// hf_path or model name; always with the cell's own weight and KV formats
// (a sweep of the NVFP4 build says nothing about the FP8 build's bytes).
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "analysis/roofline/model_shape.hpp"
#include "render/report_model.hpp"

namespace ptr {

// Shapes repeat across cells: one cache per render pass.
using ShapeCache = std::map<std::string, std::shared_ptr<const ModelShape>>;

// The shape and where it came from ("roofline sweep <label>",
// "model_config.json", the registry's source); null when none is known.
std::pair<std::shared_ptr<const ModelShape>, std::string> shape_for(const ReportInputs& in, const AtlasCell& cell, ShapeCache& cache);

}  // namespace ptr
