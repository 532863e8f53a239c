#include "run/cell_run.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "campaign/operations.hpp"
#include "run/executor.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"
#include "util/time_utc.hpp"

namespace ptr {

namespace fs = std::filesystem;

namespace {

std::vector<long> measured_ok(const fs::path& cell_dir) {
  std::vector<long> done;
  fs::path norm = cell_dir / "normalized.json";
  if (!fs::exists(norm)) return done;
  AtlasCell prev = cell_from_json(parse_json_lenient(read_file(norm), norm.string()), norm.string());
  for (const auto& p : prev.points)
    if (p.status == "ok" && p.concurrency) done.push_back(*p.concurrency);
  return done;
}

// A retried point replaces the failure record of an earlier attempt; the
// record moves beside the command log rather than being deleted.
void supersede_failures(const fs::path& cell_dir, const RunPlan& plan, const fs::path& cmd_dir) {
  fs::path runs = cell_dir / "raw" / "cell_run";
  if (!fs::exists(runs)) return;
  for (const auto& p : plan.points) {
    std::vector<long> concs;
    if (p.concurrency > 0) concs.push_back(p.concurrency);
    for (const auto& sp : p.sweep_points) concs.push_back(sp["max_concurrency"].get<long>());
    for (long conc : concs) {
      std::string name = fmt::format("c{}.failure.json", conc);
      for (const auto& e : fs::directory_iterator(runs))
        if (e.is_directory() && fs::exists(e.path() / name)) {
          fs::create_directories(cmd_dir / "superseded");
          fs::rename(e.path() / name, cmd_dir / "superseded" / (e.path().filename().string() + "-" + name));
        }
    }
  }
}

void write_scripts(const RunPlan& plan, const fs::path& cmd_dir) {
  int n = 0;
  auto script = [&](const Step& s, const std::string& label) {
    std::string name = fmt::format("{:02}-{}-{}.sh", ++n, label, s.name);
    atomic_write(cmd_dir / name, "#!/bin/sh\n# perftunereport cell_run " + plan.experiment + " run " + plan.run + "\n" +
                                     shell_line(s.argv) + "\n");
    fs::permissions(cmd_dir / name, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add);
  };
  for (const auto& s : plan.preflight) script(s, "preflight");
  for (const auto& p : plan.points) {
    std::string label = p.concurrency > 0 ? fmt::format("c{}", p.concurrency) : "all";
    for (const auto& s : p.steps) script(s, label);
    if (p.status) script(*p.status, label);
    if (!p.manifest_file.empty()) atomic_write(p.manifest_file, p.manifest.dump(2) + "\n");
  }
  for (const auto& s : plan.teardown) script(s, "end");
  script(plan.leftovers, "end");
}

}  // namespace

json cell_run(const fs::path& root, const CellRunRequest& req, Warnings& warnings,
              const std::function<void(double, double, const std::string&)>& progress, const std::atomic<bool>* cancel) {
  Campaign c = open_campaign(root, req.campaign);
  const CellConfig* cc = c.config.find_cell(req.cell);
  if (!cc)
    throw_input(c.dir.string(), "cell '" + req.cell + "' is not in the campaign config", -1, "cell",
                "cell_run runs configured cells; add it to the config and run campaign_init");
  fs::path cell_dir = c.cell_dir(req.cell);
  // Each run keeps its own command folder (scripts, plan, log): a later run
  // never overwrites an earlier one's record, even within the same second.
  std::string stamp = utc_compact_now();
  for (int n = 2; fs::exists(c.dir / "commands" / req.cell / stamp); ++n) stamp = fmt::format("{}-{}", utc_compact_now(), n);
  fs::path cmd_dir = c.dir / "commands" / req.cell / stamp;
  PlanInputs in;
  in.campaign_id = c.id;
  in.campaign_slug = c.config.slug;
  in.cell = cc;
  in.provenance = c.config.provenance;
  in.stamp = stamp;
  in.cell_dir = cell_dir.string();
  in.commands_dir = cmd_dir.string();
  if (req.resume) in.done = measured_ok(cell_dir);
  RunPlan plan = plan_cell_run(req, in, warnings);  // refuses before anything is written
  // Earlier runs' folders are never written again: a run killed mid-write
  // left its temp files there, gone once that run's process is.
  for (const fs::path& runs : {c.dir / "commands" / req.cell, cell_dir / "raw" / "cell_run"}) {
    std::error_code ec;
    for (fs::directory_iterator it(runs, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_directory(ec)) remove_stale_temps_in(it->path());
  }
  fs::create_directories(cmd_dir);
  json sweep_params = json::array();
  for (const auto& p : plan.points)
    for (const auto& sp : p.sweep_points) sweep_params.push_back(sp);
  if (!sweep_params.empty()) atomic_write(cmd_dir / "bench-params.json", sweep_params.dump(2) + "\n");
  write_scripts(plan, cmd_dir);
  json plan_json = plan.to_json();
  plan_json["dry_run"] = req.dry_run;
  atomic_write(cmd_dir / "plan.json", plan_json.dump(2) + "\n");
  if (req.dry_run) return {{"plan", plan_json}, {"commands_dir", cmd_dir.string()}, {"executed", false}};

  if (req.resume) supersede_failures(cell_dir, plan, cmd_dir);
  fs::create_directories(cell_dir / "raw" / "cell_run" / plan.run);
  ExecuteResult r = execute_plan(c, plan, cmd_dir, cancel, req.poll_interval_s, warnings, progress);
  json out = {{"plan", plan_json},        {"commands_dir", cmd_dir.string()}, {"executed", true},
              {"points_ok", r.points_ok}, {"points_failed", r.points_failed},  {"status", r.status},
              {"cancelled", r.cancelled}, {"experiment", plan.experiment},     {"run", plan.run}};
  if (!plan.telemetry.empty()) {
    out["node"] = r.node ? json(*r.node) : json();
    out["dcgm_correlation"] = r.correlation ? json(*r.correlation) : json();
  }
  return out;
}

}  // namespace ptr
