#pragma once
// value_view over a campaign: the levers of analysis/value_view.hpp from its
// atlas (and the GPU ceilings), written as value_view.json and HANDOFF.md.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/value_view.hpp"
#include "campaign/layout.hpp"

namespace ptr {

Frontier campaign_levers(const Campaign& c);
nlohmann::json write_value_view(const std::filesystem::path& root, const std::string& campaign);

}  // namespace ptr
