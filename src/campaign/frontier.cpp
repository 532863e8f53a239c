#include "campaign/frontier.hpp"

#include "campaign/operations.hpp"
#include "util/file_lock.hpp"
#include "util/fs.hpp"
#include "util/tool_config.hpp"

namespace ptr {

Frontier campaign_levers(const Campaign& c) {
  std::optional<SolCeilings> ceilings;
  if (find_tool_config("sol-ceilings.yaml", "SOL_CEILINGS_YAML", c.dir)) ceilings = load_sol_ceilings(c.dir);
  return value_view(read_atlas(c), ceilings ? &*ceilings : nullptr, declared_frontier(c.config.frontier, (c.dir / "config.yaml").string()));
}

nlohmann::json write_value_view(const std::filesystem::path& root, const std::string& campaign) {
  Campaign c = open_campaign(root, campaign);
  FileLock lock(c.dir, "value_view", lock_wait_seconds());
  Frontier levers = campaign_levers(c);
  nlohmann::json out = frontier_to_json(levers);
  out["campaign"] = c.id;
  atomic_write(c.dir / "value_view.json", out.dump(2) + "\n");
  atomic_write(c.dir / "HANDOFF.md", handoff_markdown(levers, c.id));
  out["files"] = {(c.dir / "value_view.json").string(), (c.dir / "HANDOFF.md").string()};
  out["next_lever"] = next_lever_line(levers);
  return out;
}

}  // namespace ptr
