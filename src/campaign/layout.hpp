#pragma once
// Where campaigns live and how they are addressed:
//   <root>/<YYYYMMDDTHHMMSSZ>-<slug>/{SOURCE.md, summary.md, config.yaml, cells/, commands/}
// A campaign is named by its full id or by its slug (newest wins).
#include <filesystem>
#include <optional>
#include <string>

#include "campaign/config.hpp"

namespace ptr {

namespace fs = std::filesystem;

// --campaigns-dir, else $PERFREPORT_CAMPAIGNS_DIR, else ./campaigns.
fs::path resolve_campaigns_root(const std::optional<std::string>& flag);

struct Campaign {
  std::string id;  // <ts>-<slug>
  fs::path dir;
  CampaignConfig config;
  fs::path cells_dir() const { return dir / "cells"; }
  // The cell's folder; the id is validated so it cannot leave cells/.
  fs::path cell_dir(const std::string& cell_id) const;
};

Campaign open_campaign(const fs::path& root, const std::string& address);
bool is_campaign_id(const std::string& name);

}  // namespace ptr
