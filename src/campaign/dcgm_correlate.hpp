#pragma once
// dcgm_correlate: one telemetry capture against one cell's bench window;
// writes cells/<id>/dcgm_correlation.json (analysis/dcgm_correlation.hpp).
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "util/warning.hpp"

namespace ptr {

struct CorrelateRequest {
  std::string campaign, cell;
  std::filesystem::path file;
  std::string kind;  // frozen-yaml | dcgmi-dmon | prometheus | nvidia-smi | aiperf-telemetry
  std::optional<std::string> window;  // START..END (UTC)
  std::optional<std::string> node;
  double utc_offset_s = 0;
};

nlohmann::json dcgm_correlate(const std::filesystem::path& root, const CorrelateRequest& req, Warnings& warnings);

}  // namespace ptr
