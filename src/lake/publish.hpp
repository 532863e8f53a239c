#pragma once
// publish_to_lake: a campaign's rows (atlas, campaign, TPM, cost, roofline,
// champion) replace its previous rows in one transaction. TPM and cost rows
// are recomputed with the campaign's config by tpm_summary's code, champion
// rows come from champion_select.json (the file page 8 draws), so the lake
// cannot disagree with the report. docs/lake.md.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "util/warning.hpp"

namespace ptr {

struct PublishRequest {
  std::string campaign;
  std::string lake;  // URL; empty: $PERFREPORT_LAKE, else sqlite:///<root>/perf-lake.sqlite
  bool strict = false;
  bool confine_sqlite = false;  // MCP: a sqlite:// lake must lie under the campaigns root
};

// The lake URL a verb uses: the flag, $PERFREPORT_LAKE, else the root's SQLite file.
std::string default_lake_url(const std::filesystem::path& root, const std::string& flag, bool confine_sqlite);

nlohmann::json publish_to_lake(const std::filesystem::path& root, const PublishRequest& req, Warnings& warnings);

}  // namespace ptr
