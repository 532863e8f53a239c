#pragma once
// import_roofline_sweep: a roofline bundle (docs/formats/roofline-bundle.md)
// becomes two cells, <label>-decode and <label>-prefill (sweep_kind), whose
// points carry the telemetry means over each point's UTC window and the
// analytical coordinates from the model shape; roofline_sweep.json beside
// the decode cell embeds the shape.
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "util/warning.hpp"

namespace ptr {

struct RooflineImportRequest {
  std::string campaign;
  std::filesystem::path bundle;
  std::optional<std::string> label;  // default <hardware>-tp<N>-<quant>-roofline
  nlohmann::json identity = nlohmann::json::object();  // field -> value (hardware, tensor_parallel, quant, cache_mode ...)
  std::optional<std::filesystem::path> model_config, quant_config;
  double telemetry_utc_offset_s = 0;  // added to host-local telemetry stamps
};

nlohmann::json import_roofline_sweep(const std::filesystem::path& root, const RooflineImportRequest& req, Warnings& warnings);

}  // namespace ptr
