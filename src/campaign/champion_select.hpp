#pragma once
// champion_select over a campaign's atlas: the ranking of analysis/champion.hpp
// written as champion_select.json and CHAMPION.md beside the atlas.
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/champion.hpp"
#include "campaign/layout.hpp"
#include "util/warning.hpp"

namespace ptr {

struct ChampionRequest {
  std::string campaign;
  std::optional<std::string> baseline;  // default: the cell whose arm is baseline
  std::optional<double> tpot_slo_ms, ttft_slo_ms;
  std::optional<std::string> sla_percentile;
  ChampionConfig config;  // focus, top, gates' flags
};

struct ChampionDocument {
  nlohmann::json json;   // champion_select.json
  std::string markdown;  // CHAMPION.md
};

// The selection over cells in memory: the SLO from the campaign's tpm: block
// and the flags, the baseline found, the claimed tier checked.
ChampionDocument champion_document(const Campaign& c, const std::vector<AtlasCell>& cells, const ChampionRequest& req,
                                   Warnings& warnings);

nlohmann::json champion_select(const std::filesystem::path& root, const ChampionRequest& req, Warnings& warnings);

}  // namespace ptr
