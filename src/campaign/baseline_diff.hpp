#pragma once
// baseline_diff between two campaigns' atlases; writes baseline_diff.json and
// BASELINE_DIFF.md in the new campaign.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/baseline_diff.hpp"

namespace ptr {

nlohmann::json baseline_diff(const std::filesystem::path& root, const std::string& fresh, const std::string& baseline,
                             const DiffConfig& cfg);

}  // namespace ptr
