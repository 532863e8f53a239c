#pragma once
// Where a model shape comes from: a built-in name, or a config.json (with an
// optional hf_quant_config.json), plus the summary the model_shape verb and
// the speed-of-light pages print.
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "analysis/roofline/ceilings.hpp"
#include "analysis/roofline/model_shape.hpp"

namespace ptr {

// A config file wins over a name; a name not in the registry is a usage
// error listing the built-in models.
ModelShape resolve_model_shape(const std::optional<std::string>& model, const std::optional<std::filesystem::path>& config,
                               const std::optional<std::filesystem::path>& quant_config);
ModelShape shape_from_config_file(const std::filesystem::path& config, const std::optional<std::filesystem::path>& quant_config);

// params, FLOPs per token, bytes per step, KV bytes, AI at (batch, context);
// with a GPU, its decode ceilings per GPU (datasheet and achievable).
nlohmann::json shape_summary(const ModelShape& m, double batch, double context, const GpuCeiling* gpu);

}  // namespace ptr
