#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

#include "campaign/operations.hpp"
#include "ingest/discover.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

namespace {

// The identity of a cell: the config's, else the one recorded when the cell
// was created from flags (cells/<id>/cell.json), else the flags themselves.
AtlasCell resolve_identity(const Campaign& c, const ImportRequest& req, const fs::path& cell_dir) {
  if (const CellConfig* cc = c.config.find_cell(req.cell)) {
    AtlasCell a = cc->identity;
    a.campaign = c.id;
    return a;
  }
  fs::path recorded = cell_dir / "cell.json";
  if (fs::exists(recorded)) {
    AtlasCell a = cell_from_json(parse_json_lenient(read_file(recorded), recorded.string()), recorded.string());
    a.points.clear();
    return a;
  }
  std::vector<std::string> missing;
  if (!req.model) missing.push_back("--model");
  if (!req.hardware) missing.push_back("--hardware");
  if (!req.quant) missing.push_back("--quant");
  if (!req.tensor_parallel) missing.push_back("--tensor-parallel");
  if (!req.parallel_strategy) missing.push_back("--parallel-strategy");
  if (!req.mtp) missing.push_back("--mtp/--no-mtp");
  if (!req.mbt) missing.push_back("--mbt");
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : " ") + m;
    throw_usage(fmt::format("cell '{}' is not in campaign {}'s config; to create it give its identity: {}", req.cell,
                            c.id, list),
                "or add the cell to the config and run campaign_init again");
  }
  AtlasCell a;
  a.campaign = c.id;
  a.cell_id = req.cell;
  a.model = req.model;
  a.hardware = req.hardware;
  a.quant = req.quant;
  a.tensor_parallel = req.tensor_parallel;
  std::string strat = *req.parallel_strategy;
  for (auto& ch : strat) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  a.parallel_strategy = strat;
  a.mtp = req.mtp;
  a.max_num_batched_tokens = req.mbt;
  a.gpus = gpus_of(a);
  return a;
}

fs::path free_raw_name(const fs::path& raw, const std::string& rel, const fs::path& source) {
  fs::path dest = safe_join(raw, rel, "raw file name");
  for (int n = 2; fs::exists(dest); ++n) {
    if (files_equal(dest, source)) return {};  // already imported, byte for byte
    fs::path base = safe_join(raw, rel, "raw file name");
    dest = base.parent_path() / fmt::format("{}.{}{}", base.stem().string(), n, base.extension().string());
  }
  return dest;
}

void add_unique(std::vector<std::string>& out, const std::string& w) {
  if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
}

}  // namespace

AtlasCell rebuild_cell(const Campaign& c, const AtlasCell& identity, std::vector<std::string>& warnings) {
  fs::path dir = c.cell_dir(identity.cell_id);
  fs::path raw = dir / "raw";
  AtlasCell cell = identity;
  cell.campaign = c.id;
  cell.points.clear();
  std::vector<RunResult> runs;
  if (fs::exists(raw)) {
    IngestBatch b = ingest_paths({raw}, "auto");
    for (const auto& w : b.warnings) add_unique(warnings, w);
    runs = std::move(b.results);
  }
  cell.points = build_points(runs, cell.gpus);
  for (const auto& p : cell.points)
    for (const auto& w : p.warnings) add_unique(warnings, fmt::format("cell {}: {}", cell.cell_id, w));
  std::map<long, int> per_concurrency;
  for (const auto& p : cell.points)
    if (p.concurrency) ++per_concurrency[*p.concurrency];
  for (const auto& [conc, n] : per_concurrency)
    if (n > 1)
      add_unique(warnings, fmt::format("cell {}: {} distinct configurations or workloads at concurrency {} (different "
                                       "prompt counts, lengths or --metadata); import each into its own cell",
                                       cell.cell_id, n, conc));
  std::set<std::string> backends, engines, models, stamps;
  for (const auto& r : runs) {
    backends.insert(r.backend);
    if (r.engine) engines.insert(*r.engine);
    if (r.model_id) models.insert(*r.model_id);
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
  if (!cell.hf_path && models.size() == 1) cell.hf_path = *models.begin();
  if (!stamps.empty())
    cell.extra["bench_timestamps"] = {{"first", *stamps.begin()}, {"last", *stamps.rbegin()},
                                      {"note", "as written by the client (vLLM date / AIPerf start_time: local time, no zone)"}};
  std::vector<long> missing;
  for (long want : cell.concurrencies_requested) {
    bool found = false;
    for (const auto& p : cell.points)
      if (p.concurrency == want) found = true;
    if (!found) missing.push_back(want);
  }
  cell.extra["missing_concurrencies"] = missing;
  cell.status = cell_status(cell.points, cell.concurrencies_requested);
  atomic_write(dir / "normalized.json", to_json(cell).dump(2) + "\n");
  atomic_write(dir / "status.txt", cell.status + "\n");
  return cell;
}

json import_perf_bench(const fs::path& root, const ImportRequest& req, std::vector<std::string>& warnings) {
  Campaign c = open_campaign(root, req.campaign);
  fs::path dir = c.cell_dir(req.cell);
  if (req.paths.empty()) throw_usage("import_perf_bench needs at least one --path");
  if (req.cache_mode && *req.cache_mode != "warm" && *req.cache_mode != "cold")
    throw_usage("--cache-mode must be warm or cold, got '" + *req.cache_mode + "'");
  AtlasCell identity = resolve_identity(c, req, dir);
  // Parse everything first: a bad file stops the import before anything is written.
  std::vector<fs::path> inputs(req.paths.begin(), req.paths.end());
  IngestBatch batch = ingest_paths(inputs, req.backend);
  if (batch.results.empty() && batch.files.empty()) {
    std::string list;
    for (const auto& p : req.paths) list += (list.empty() ? "" : ", ") + p;
    throw_input(list, "no benchmark output found", -1, {},
                "expected vLLM/SGLang result JSON or stdout captures, or AIPerf exports");
  }
  fs::path raw = dir / "raw";
  json files = json::array();
  for (const auto& f : batch.files) {
    fs::path dest = free_raw_name(raw, f.rel, f.abs);
    std::string stored = dest.empty() ? f.rel : fs::relative(dest, raw).generic_string();
    if (!dest.empty()) atomic_copy(f.abs, dest);
    files.push_back({{"path", f.abs.string()}, {"raw", "raw/" + stored}, {"format", f.format},
                     {"detected_because", f.why}, {"results", f.results}, {"copied", !dest.empty()}});
  }
  json skipped = json::array();
  for (const auto& s : batch.skipped) skipped.push_back({{"path", s.abs.string()}, {"reason", s.why}});
  if (req.cache_mode) identity.cache_mode = req.cache_mode;
  else if (fs::exists(dir / "cell.json")) {
    auto prev = parse_json_lenient(read_file(dir / "cell.json"), (dir / "cell.json").string());
    if (prev.contains("cache_mode") && prev["cache_mode"].is_string()) identity.cache_mode = prev["cache_mode"].get<std::string>();
  }
  AtlasCell id_only = identity;
  id_only.points.clear();
  atomic_write(dir / "cell.json", to_json(id_only).dump(2) + "\n");
  for (const auto& w : batch.warnings) add_unique(warnings, w);
  AtlasCell cell = rebuild_cell(c, identity, warnings);
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
