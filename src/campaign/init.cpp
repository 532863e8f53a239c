#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include "campaign/operations.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"
#include "util/time_utc.hpp"

namespace ptr {

namespace {

std::string who() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (const passwd* pw = getpwuid(getuid())) return pw->pw_name;
  return "unknown";
}

// Ids are second-resolution; two inits in one second get the next free second
// so the id keeps its <ts>-<slug> shape and "newest wins" stays true.
}  // namespace

std::string free_campaign_id(const fs::path& root, const std::string& slug) {
  std::string ts = utc_compact_now();
  std::tm tm{};
  strptime(ts.c_str(), "%Y%m%dT%H%M%SZ", &tm);
  time_t t = timegm(&tm);
  for (int i = 0; i < 3600; ++i, ++t) {
    std::tm cur{};
    gmtime_r(&t, &cur);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &cur);
    std::string id = std::string(buf) + "-" + slug;
    if (!fs::exists(root / id)) return id;
  }
  throw_io(root.string(), "cannot find a free campaign id");
}

namespace {

std::string summary_md(const CampaignConfig& cfg, const std::string& id) {
  // Config strings stay inside their line or table cell (newlines, pipes escaped).
  std::string md = fmt::format("# {}\n\nCampaign `{}`.\n\n", markdown_inline(cfg.name), id);
  if (!cfg.description.empty()) md += markdown_inline(cfg.description) + "\n\n";
  md += "| cell | model | hardware | quant | TP | strategy | MTP | mbt | concurrencies |\n";
  md += "|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& c : cfg.cells) {
    const auto& a = c.identity;
    std::string conc;
    for (long v : c.concurrencies) conc += (conc.empty() ? "" : ", ") + std::to_string(v);
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", a.cell_id, markdown_inline(a.model.value_or("?")),
                      markdown_inline(a.hardware.value_or("?")), markdown_inline(a.quant.value_or("?")), a.tensor_parallel.value_or(0),
                      markdown_inline(a.parallel_strategy.value_or("?")), a.mtp.value_or(false) ? "on" : "off",
                      a.max_num_batched_tokens.value_or(0), conc);
  }
  return md;
}

// ".<id>.staging.<pid>" folders whose process is gone.
void remove_dead_stagings(const fs::path& root) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    std::string n = e.path().filename().string();
    auto dot = n.rfind(".staging.");
    if (n.empty() || n[0] != '.' || dot == std::string::npos) continue;
    long pid = std::atol(n.c_str() + dot + 9);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove_all(e.path(), ec);
  }
}

}  // namespace

InitResult init_campaign(const fs::path& root, const fs::path& config_path) {
  std::string text = read_file(config_path);
  CampaignConfig cfg = parse_campaign_config(text, config_path.string());
  return create_campaign(root, text, config_path, std::move(cfg));
}

InitResult create_campaign(const fs::path& root, const std::string& text, const fs::path& config_path, CampaignConfig cfg,
                           std::optional<std::string> id) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) throw_io(root.string(), "cannot create campaigns folder: " + ec.message());
  InitResult out;
  out.id = id ? *id : free_campaign_id(root, cfg.slug);
  // Build the whole campaign in a hidden staging folder named with our pid,
  // then rename it into place: a crash never leaves a half-made campaign, and
  // the next init removes the staging folders of dead processes.
  remove_dead_stagings(root);
  fs::path staging = root / fmt::format(".{}.staging.{}", out.id, ::getpid());
  fs::remove_all(staging, ec);
  fs::create_directories(staging / "cells", ec);
  fs::create_directories(staging / "commands", ec);
  if (ec) throw_io(staging.string(), "cannot create campaign folder: " + ec.message());
  std::string source = fmt::format(
      "# Source\n\n- campaign: `{}`\n- created: {} (UTC)\n- by: {}\n- config: `{}` (frozen copy: config.yaml)\n"
      "- tool: perftunereport {}\n- cells: {}\n",
      out.id, utc_iso_now(), markdown_inline(who()), markdown_inline(fs::absolute(config_path).lexically_normal().string()), PERFTUNEREPORT_VERSION,
      cfg.cells.size());
  if (!cfg.provenance.empty()) source += "\n## Provenance (from config)\n\n```json\n" + cfg.provenance.dump(2) + "\n```\n";
  atomic_write(staging / "SOURCE.md", source);
  atomic_write(staging / "summary.md", summary_md(cfg, out.id));
  atomic_write(staging / "config.yaml", text);
  atomic_write(staging / ".lock", "");  // the campaign's writer lock (util/file_lock.hpp)
  out.dir = root / out.id;
  fs::rename(staging, out.dir, ec);
  if (ec) {
    fs::remove_all(staging);
    throw_io(out.dir.string(), "cannot move campaign into place: " + ec.message());
  }
  out.cells = cfg.cells.size();
  out.campaign.id = out.id;
  out.campaign.dir = out.dir;
  out.campaign.config = std::move(cfg);
  return out;
}

}  // namespace ptr
