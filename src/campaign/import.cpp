// import_perf_bench: parse every input first, build the new cell in memory from
// the raw files already there plus the new ones, and only then commit the raw
// copies, normalized.json, status.txt and cell.json together (StagedCommit): a
// rejected import, or one killed midway, leaves the cell as it was.
#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

#include "campaign/descriptor.hpp"
#include "campaign/request_rows.hpp"
#include "model/fields.hpp"
#include "campaign/operations.hpp"
#include "ingest/discover.hpp"
#include "ingest/formats.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"
#include "util/file_lock.hpp"
#include "util/staged_commit.hpp"
#include "util/timestamp.hpp"

namespace ptr {

namespace {

AtlasCell read_cell_json(const fs::path& p) {
  AtlasCell a = cell_from_json(parse_json_lenient(read_file(p), p.string()), p.string());
  a.points.clear();
  a.warnings.clear();
  return a;
}

// The identity of a cell: the config's, else the one recorded when the cell
// was created from flags (cells/<id>/cell.json), else the flags themselves.
AtlasCell resolve_identity(const Campaign& c, const ImportRequest& req, const fs::path& cell_dir) {
  if (const CellConfig* cc = c.config.find_cell(req.cell)) {
    AtlasCell a = cc->identity;
    a.campaign = c.id;
    if (fs::exists(cell_dir / "cell.json")) {
      AtlasCell recorded = read_cell_json(cell_dir / "cell.json");
      a.extra = recorded.extra;
      if (recorded.cache_mode) a.cache_mode = recorded.cache_mode;  // an earlier --cache-mode wins over the config
    }
    return a;
  }
  if (fs::exists(cell_dir / "cell.json")) return read_cell_json(cell_dir / "cell.json");
  return cell_identity_from_flags(c.id, req.cell, req.identity);
}

// Where an input lands under raw/: its own name, or name.2, name.3 ... when a
// different file already sits there. Re-importing the same files is a no-op;
// a second sweep folder with the same timestamp name stays a separate folder
// (a separate arm), never merged file by file into the first.
std::map<std::string, std::string> choose_raw_tops(const fs::path& raw, const IngestBatch& batch,
                                                   std::map<std::string, bool>& copy) {
  std::map<std::string, std::vector<const IngestedFile*>> by_top;
  for (const auto& f : batch.files) by_top[f.rel.substr(0, f.rel.find('/'))].push_back(&f);
  std::map<std::string, std::string> tops;
  std::set<std::string> taken;
  for (const auto& [top, files] : by_top) {
    fs::path p(top);
    for (int n = 1;; ++n) {
      std::string cand = n == 1 ? top : fmt::format("{}.{}{}", p.stem().string(), n, p.extension().string());
      if (files.size() > 1 || files.front()->rel.find('/') != std::string::npos)
        cand = n == 1 ? top : fmt::format("{}.{}", top, n);  // a folder: suffix the whole name
      if (taken.count(cand)) continue;
      bool conflict = false;
      for (const IngestedFile* f : files) {
        fs::path dest = safe_join(raw, cand + f->rel.substr(top.size()), "raw file name");
        if (fs::exists(dest) && !files_equal(dest, f->abs)) conflict = true;
      }
      if (conflict) continue;
      taken.insert(cand);
      tops[top] = cand;
      for (const IngestedFile* f : files)
        copy[f->rel] = !fs::exists(safe_join(raw, cand + f->rel.substr(top.size()), "raw file name"));
      break;
    }
  }
  return tops;
}

void tag_warnings(Warnings& list, const std::string& cell) {
  for (auto& w : list)
    if (w.cell.empty()) w.cell = cell;
}

namespace {

// Points measured by cell_run carry their bench window from the run's log
// (commands/<cell>/<run>/log.jsonl: the bench step of that concurrency), so
// telemetry can be averaged per point. A point whose trials come from
// several runs, or from a sweep that ran every concurrency in one step, gets none.
void attach_cell_run_windows(const Campaign& c, AtlasCell& cell) {
  std::map<std::string, std::map<long, json>> by_run;  // run -> concurrency -> window
  auto windows_of = [&](const std::string& run) -> const std::map<long, json>& {
    auto it = by_run.find(run);
    if (it != by_run.end()) return it->second;
    std::map<long, json>& w = by_run[run];
    fs::path log = c.dir / "commands" / cell.cell_id / run / "log.jsonl";
    std::error_code ec;
    if (run.find('/') != std::string::npos || run.find("..") != std::string::npos || !fs::is_regular_file(log, ec)) return w;
    std::string text = read_file(log);
    // exec mode: the bench step; job mode: from the Job's submission (apply)
    // to the status poll that saw it complete (the last one).
    std::map<long, std::pair<std::string, std::string>> job;
    for (auto line : lines_of(text)) {
      json e = json::parse(line.begin(), line.end(), nullptr, false);
      if (!e.is_object() || e.value("exit_code", -1) != 0) continue;
      std::string step = e.value("step", ""), start = e.value("start_utc", ""), end = e.value("end_utc", "");
      long conc = e.value("concurrency", 0L);
      if (step == "bench") w[conc] = {{"start", start}, {"end", end}};
      else if (step == "apply") job[conc] = {start, ""};
      else if (step == "status" && job.count(conc)) job[conc].second = end;
    }
    for (const auto& [conc, se] : job)
      if (!w.count(conc) && !se.second.empty()) w[conc] = {{"start", se.first}, {"end", se.second}};
    for (auto& [conc, win] : w) win["source"] = log.lexically_relative(c.dir).generic_string();
    return w;
  };
  for (auto& p : cell.points) {
    if (!p.concurrency || p.source.empty() || p.extra.contains("window_utc")) continue;
    std::set<std::string> runs;
    const std::string prefix = "raw/cell_run/";
    for (const auto& s : p.source) {
      if (s.file.rfind(prefix, 0) != 0) {
        runs.clear();
        break;
      }
      runs.insert(s.file.substr(prefix.size(), s.file.find('/', prefix.size()) - prefix.size()));
    }
    if (runs.size() != 1) continue;
    const auto& w = windows_of(*runs.begin());
    if (auto it = w.find(*p.concurrency); it != w.end()) p.extra["window_utc"] = it->second;
  }
}

}  // namespace

// The cell and the rows of its per-request table (empty when no run kept its requests).
struct BuiltCell {
  AtlasCell cell;
  std::vector<RequestRow> requests;
};

BuiltCell build_cell(const Campaign& c, const AtlasCell& identity, IngestBatch batch, Warnings& warnings) {
  AtlasCell cell = identity;
  cell.campaign = c.id;
  cell.points.clear();
  cell.warnings.clear();
  bool allow_mixed = identity.extra.value("allow_mixed_models", false);
  check_runs_fit_one_cell(batch.results, cell.cell_id, allow_mixed, cell.warnings);
  PointRules rules;
  rules.configured_num_prompts = identity.num_prompts;
  for (auto& w : batch.warnings) add_warning(cell.warnings, w);
  cell.points = build_points(batch.results, cell.gpus, rules, cell.warnings);
  attach_cell_run_windows(c, cell);
  std::vector<RequestRow> requests = attach_request_rows(cell, batch.results);
  std::map<long, int> per_concurrency;
  for (const auto& p : cell.points)
    if (p.concurrency) ++per_concurrency[*p.concurrency];
  for (const auto& [conc, n] : per_concurrency)
    if (n > 1)
      add_warning(cell.warnings,
                  {"several_points_at_concurrency",
                   fmt::format("{} distinct workloads at concurrency {} (different prompt counts, lengths, datasets or "
                               "sweep parameters); kept as separate points",
                               n, conc),
                   {}, {}, {}, "import each workload into its own cell to compare them side by side", conc});
  std::set<std::string> backends, engines, stamps;
  for (const auto& r : batch.results) {
    backends.insert(r.backend);
    if (r.engine) engines.insert(*r.engine);
    if (r.date) stamps.insert(*r.date);
    if (r.start_time) stamps.insert(*r.start_time);
    if (r.end_time) stamps.insert(*r.end_time);
  }
  auto joined = [](const std::set<std::string>& s) {
    std::string out;
    for (const auto& v : s) out += (out.empty() ? "" : "+") + v;
    return out;
  };
  if (!backends.empty()) cell.backend = joined(backends);
  if (!cell.engine && engines.size() == 1) cell.engine = *engines.begin();
  fill_descriptor_from_data(cell, batch.results);
  // The capture window, by time (not as text): the earliest and latest stamp
  // of each kind (UTC, and local time whose zone the client did not write).
  json window = json::array();
  for (bool zone_known : {true, false}) {
    std::vector<std::string> kind;
    for (const auto& s : stamps)
      if (auto t = parse_timestamp(s); t && t->zone_known == zone_known) kind.push_back(s);
    if (auto r = time_range(kind)) {
      window.push_back(r->first.raw);
      if (r->second.raw != r->first.raw) window.push_back(r->second.raw);
    }
  }
  if (!window.empty())
    cell.extra["bench_timestamps"] = {{"stamps", window}, {"window", capture_window(window.get<std::vector<std::string>>())},
                                      {"note", "vLLM date and AIPerf start/end times are local wall-clock time without a zone"}};
  std::vector<long> missing;
  for (long want : cell.concurrencies_requested)
    if (std::none_of(cell.points.begin(), cell.points.end(), [&](const Point& p) { return p.concurrency == want; }))
      missing.push_back(want);
  cell.extra["missing_concurrencies"] = missing;
  cell.status = cell_status(cell.points, cell.concurrencies_requested);
  tag_warnings(cell.warnings, cell.cell_id);
  for (const auto& w : cell.warnings) add_warning(warnings, w);
  return {std::move(cell), std::move(requests)};
}


IngestBatch ingest_raw(const fs::path& cell_dir) {
  fs::path raw = cell_dir / "raw";
  if (!fs::exists(raw)) return {};
  return ingest_roots({{raw, "raw"}}, "auto");
}

std::string cell_json_text(const AtlasCell& c) {
  return to_json(c).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

// normalized.json, status.txt and the per-request table, staged together
// (a table left from an earlier build is rewritten, never left stale).
void stage_cell(StagedCommit& txn, const fs::path& dir, const BuiltCell& built) {
  txn.write("normalized.json", cell_json_text(built.cell));
  txn.write("status.txt", built.cell.status + "\n");
  if (!built.requests.empty() || fs::exists(dir / kRequestTableFile))
    txn.write(kRequestTableFile, request_table_csv(built.requests));
}

}  // namespace

AtlasCell cell_identity_from_flags(const std::string& campaign_id, const std::string& cell, const json& identity) {
  AtlasCell a;
  a.campaign = campaign_id;
  a.cell_id = cell;
  std::vector<std::string> missing;
  for (const auto& f : cell_fields()) {
    if (f.config == ConfigUse::none) continue;
    std::string flag = std::string("--") + (f.flag ? f.flag : f.name);
    for (auto& ch : flag) ch = ch == '_' ? '-' : ch;
    auto given = identity.find(f.name);
    if (given == identity.end() || given->is_null()) {
      if (f.config == ConfigUse::required) missing.push_back(std::visit([&](auto m) {
        using M = std::decay_t<decltype(a.*m)>;
        return std::is_same_v<M, std::optional<bool>> ? flag + "/--no-" + flag.substr(2) : flag;
      }, f.member));
      continue;
    }
    std::visit(
        [&](auto m) {
          using M = std::decay_t<decltype(a.*m)>;
          if constexpr (std::is_same_v<M, std::optional<std::string>>) {
            std::string v = given->get<std::string>();
            if (auto bad = field_value_problem(f, v); !bad.empty()) throw_usage(fmt::format("{} must be {}, got '{}'", flag, bad, v));
            a.*m = f.choices ? normalized_choice(f, v) : v;
          } else if constexpr (std::is_same_v<M, std::optional<long>>) {
            long v = given->get<long>();
            if (auto bad = field_value_problem(f, static_cast<double>(v)); !bad.empty())
              throw_usage(fmt::format("{} must be {}, got {}", flag, bad, v));
            a.*m = v;
          } else if constexpr (std::is_same_v<M, std::optional<double>>) {
            double v = given->get<double>();
            if (auto bad = field_value_problem(f, v); !bad.empty()) throw_usage(fmt::format("{} must be {}, got {}", flag, bad, v));
            a.*m = v;
          } else if constexpr (std::is_same_v<M, std::optional<bool>>) {
            a.*m = given->get<bool>();
          }
        },
        f.member);
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : " ") + m;
    throw_usage(fmt::format("cell '{}' is not in campaign {}'s config; to create it give its identity: {}", cell,
                            campaign_id, list),
                "or add the cell to the config and run campaign_init again");
  }
  a.gpus = gpus_of(a);
  return a;
}

AtlasCell rebuild_cell(const Campaign& c, const AtlasCell& identity, Warnings& warnings) {
  fs::path dir = c.cell_dir(identity.cell_id);
  StagedCommit::recover(dir);
  BuiltCell built = build_cell(c, identity, ingest_raw(dir), warnings);
  StagedCommit txn(dir);
  stage_cell(txn, dir, built);
  txn.commit();
  return std::move(built.cell);
}

json import_perf_bench(const fs::path& root, const ImportRequest& req, Warnings& warnings) {
  Campaign c = open_campaign(root, req.campaign);
  fs::path dir = c.cell_dir(req.cell);
  if (req.paths.empty()) throw_usage("import_perf_bench needs at least one --path");
  if (req.cache_mode && *req.cache_mode != "warm" && *req.cache_mode != "cold")
    throw_usage("--cache-mode must be warm or cold, got '" + *req.cache_mode + "'");
  FileLock lock(c.dir, "import_perf_bench " + req.cell, lock_wait_seconds());
  StagedCommit::recover(dir);
  AtlasCell identity = resolve_identity(c, req, dir);
  // Parse everything first: a bad file stops the import before anything is written.
  std::vector<fs::path> inputs(req.paths.begin(), req.paths.end());
  IngestBatch batch = ingest_paths(inputs, req.backend);
  if (batch.results.empty()) {
    std::string list;
    for (const auto& p : req.paths) list += (list.empty() ? "" : ", ") + p;
    bool other = !batch.telemetry.empty() || !batch.model_configs.empty() || !batch.roofline_tables.empty() ||
                 !batch.kernel_profiles.empty();
    throw_input(list, other ? "no benchmark output found (only telemetry, model configs, kernel profiles or a roofline table)" : "no benchmark output found",
                -1, {},
                other ? "a roofline sweep bundle is imported with import_roofline_sweep, kernel profiles with import_kernels or import_ncu"
                      : "expected vLLM/SGLang result JSON or stdout captures, or AIPerf exports");
  }
  for (const auto& t : batch.telemetry)
    add_warning(warnings, {"telemetry_not_read", fmt::format("{} is copied to raw/ but not read by import_perf_bench", t.format), {},
                           t.file, {}, "GPU telemetry is read by import_roofline_sweep and dcgm_correlate (speed-of-light pages)", {}});
  for (const auto& k : batch.kernel_profiles)
    add_warning(warnings, {"kernel_profile_not_read", fmt::format("{} is copied to raw/ but not read by import_perf_bench", k.layout), {},
                           k.file, {}, k.tool == "ncu" ? "import it with import_ncu" : "import it with import_kernels", {}});
  fs::path raw = dir / "raw";
  std::map<std::string, bool> copy;
  auto tops = choose_raw_tops(raw, batch, copy);
  auto raw_rel = [&](const std::string& rel) {
    std::string top = rel.substr(0, rel.find('/'));
    auto it = tops.find(top);
    return "raw/" + (it == tops.end() ? rel : it->second + rel.substr(top.size()));
  };
  struct Planned {
    IngestedFile file;
    std::string dest;
    bool copy;
  };
  std::vector<Planned> planned;
  for (const auto& f : batch.files) planned.push_back({f, raw_rel(f.rel), copy[f.rel]});
  // Files already in raw/ byte for byte are read from there, not twice.
  std::set<std::string> already;
  for (const auto& p : planned)
    if (!p.copy) already.insert(p.dest);
  relocate(batch, raw_rel);
  batch.results.erase(std::remove_if(batch.results.begin(), batch.results.end(),
                                     [&](const RunResult& r) { return already.count(r.file) > 0; }),
                      batch.results.end());

  json skipped = json::array();
  for (const auto& s : batch.skipped) skipped.push_back({{"path", s.abs.string()}, {"reason", s.why}});
  if (req.cache_mode) identity.cache_mode = req.cache_mode;
  if (req.allow_mixed_models) identity.extra["allow_mixed_models"] = true;
  for (auto it = req.extra.begin(); it != req.extra.end(); ++it) identity.extra[it.key()] = it.value();
  AtlasCell id_only = identity;
  id_only.points.clear();
  id_only.warnings.clear();
  // The new cell, from what raw/ holds plus the new files; nothing written yet.
  BuiltCell built = build_cell(c, identity, merge_batches(ingest_raw(dir), std::move(batch)), warnings);
  const AtlasCell& cell = built.cell;

  StagedCommit txn(dir);
  json files = json::array();
  for (const auto& p : planned) {
    if (p.copy) txn.copy(p.file.abs, p.dest);
    files.push_back({{"path", p.file.abs.string()}, {"raw", p.dest}, {"format", p.file.format},
                     {"detected_because", p.file.why}, {"results", p.file.results}, {"copied", p.copy}});
  }
  txn.write("cell.json", cell_json_text(id_only));
  stage_cell(txn, dir, built);
  txn.commit();

  long ready = 0;
  for (const auto& p : cell.points)
    if (plot_ready(p)) ++ready;
  return {{"campaign", c.id},
          {"cell", cell.cell_id},
          {"status", cell.status},
          {"points", cell.points.size()},
          {"plot_ready_points", ready},
          {"files", files},
          {"skipped", skipped},
          {"normalized", (dir / "normalized.json").string()}};
}

}  // namespace ptr
