#include "campaign/baseline_diff.hpp"

#include "campaign/operations.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/fs.hpp"

namespace ptr {

json baseline_diff(const fs::path& root, const std::string& fresh, const std::string& baseline, const DiffConfig& cfg) {
  Campaign n = open_campaign(root, fresh), o = open_campaign(root, baseline);
  if (n.id == o.id) throw_usage("--baseline names the same campaign as --campaign");
  if (!(cfg.threshold_pct >= 0 && cfg.threshold_pct < 1000)) throw_usage("--threshold-pct must be in [0, 1000)");
  FileLock lock(n.dir, "baseline_diff", lock_wait_seconds());
  DiffResult r = diff_campaigns(read_atlas(n), read_atlas(o), cfg);
  json out = r.to_json(cfg);
  out["campaign"] = n.id;
  out["baseline"] = o.id;
  atomic_write(n.dir / "baseline_diff.json", out.dump(2) + "\n");
  atomic_write(n.dir / "BASELINE_DIFF.md", diff_markdown(r, cfg, n.id, o.id));
  out["files"] = {(n.dir / "baseline_diff.json").string(), (n.dir / "BASELINE_DIFF.md").string()};
  return out;
}

}  // namespace ptr
