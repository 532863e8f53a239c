#include "campaign/layout.hpp"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

namespace ptr {

fs::path resolve_campaigns_root(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) return fs::path(*flag);
  if (const char* env = std::getenv("PERFREPORT_CAMPAIGNS_DIR"); env && *env) return fs::path(env);
  return fs::path("campaigns");
}

// <YYYYMMDD>T<HHMMSS>Z-<slug>, slug [a-z0-9][a-z0-9-]*.
bool is_campaign_id(const std::string& name) {
  if (name.size() < 18 || name.size() > 255) return false;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (size_t i = 0; i < 15; ++i)
    if (i != 8 && !digit(name[i])) return false;
  if (name[8] != 'T' || name[15] != 'Z' || name[16] != '-') return false;
  for (size_t i = 17; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || digit(c) || (c == '-' && i > 17);
    if (!ok) return false;
  }
  return true;
}

fs::path Campaign::cell_dir(const std::string& cell_id) const {
  if (!valid_cell_id(cell_id))
    throw_input({}, "cell id '" + excerpt(cell_id) + "' must " + kCellIdRule, -1, "cell");
  return cells_dir() / cell_id;
}

Campaign open_campaign(const fs::path& root, const std::string& address) {
  if (address.empty()) throw_usage("--campaign is empty", "give a campaign id or slug");
  if (address.find('/') != std::string::npos || address.find("..") != std::string::npos)
    throw_input({}, "campaign '" + excerpt(address) + "' must be an id or slug, not a path", -1, "campaign");
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw_io(root.string(), "campaigns folder does not exist; run campaign_init first or pass --campaigns-dir");
  std::vector<std::string> ids;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    auto name = e.path().filename().string();
    if (e.is_directory() && is_campaign_id(name)) ids.push_back(name);
  }
  std::sort(ids.begin(), ids.end());
  std::string chosen;
  for (const auto& id : ids) {
    if (id == address) chosen = id;
    else if (chosen != address && id.size() > 17 && id.substr(17) == address) chosen = id;  // newest slug wins (sorted)
  }
  if (chosen.empty()) {
    std::string known;
    for (const auto& id : ids) known += (known.empty() ? "" : ", ") + id;
    throw_input(root.string(), "no campaign '" + excerpt(address) + "'", -1, "campaign",
                known.empty() ? "no campaigns exist yet; run campaign_init" : "known campaigns: " + known);
  }
  Campaign c;
  c.id = chosen;
  c.dir = root / chosen;
  fs::path cfg = c.dir / "config.yaml";
  c.config = parse_campaign_config(read_file(cfg), cfg.string());
  return c;
}

}  // namespace ptr
