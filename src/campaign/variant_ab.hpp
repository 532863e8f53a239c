#pragma once
// import_variant_ab: an A/B bundle (docs/formats/variant-ab-bundle.md), one
// folder per arm with its arm.yaml (the cell identity, the engine and its
// version, image, delivery, serving flags, the knob under test) and its bench
// output; each arm becomes one engine-tagged cell, trials kept.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "util/warning.hpp"

namespace ptr {

struct VariantAbRequest {
  std::string campaign;
  std::filesystem::path bundle;
};

nlohmann::json import_variant_ab(const std::filesystem::path& root, const VariantAbRequest& req, Warnings& warnings);

}  // namespace ptr
