#include "run/executor.hpp"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <set>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "campaign/dcgm_correlate.hpp"
#include "campaign/operations.hpp"
#include "campaign/roofline_import.hpp"
#include "ingest/discover.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"
#include "util/text.hpp"
#include "util/k8s_names.hpp"
#include "util/time_utc.hpp"
#include "util/timestamp.hpp"

namespace ptr {

namespace {

std::string tail_of(const std::string& s, size_t n = 400) { return s.size() > n ? s.substr(s.size() - n) : s; }

std::string why_failed(const Step& s, const StepRunner::Outcome& o) {
  if (o.process.timed_out) return fmt::format("{} timed out after {:.0f} s", s.name, s.timeout_s.value_or(0));
  if (!o.process.error.empty()) return o.process.error;
  return fmt::format("{} exited {}: {}", s.name, o.process.exit_code, excerpt(trim(tail_of(o.err)), 400));
}

// The Job printed each result file between marker lines: write them out.
int extract_job_files(const std::string& log, const std::filesystem::path& dir) {
  int n = 0;
  std::string begin = std::string("\n") + kJobFileBegin + " ", end = std::string("\n") + kJobFileEnd;
  size_t at = 0;
  while ((at = log.find(begin, at)) != std::string::npos) {
    size_t name_end = log.find(">>>\n", at + begin.size());
    if (name_end == std::string::npos) break;
    std::string name = log.substr(at + begin.size(), name_end - at - begin.size());
    size_t body = name_end + 4;
    size_t stop = log.find(end, body);
    if (stop == std::string::npos) break;
    bool safe = !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos && name[0] != '.';
    if (safe) {
      atomic_write(dir / name, log.substr(body, stop - body));
      ++n;
    }
    at = stop + end.size();
  }
  return n;
}

class ExecTransport : public Transport {
 public:
  PointOutcome run_point(const PointPlan& p, StepRunner& run, const std::filesystem::path&) override {
    PointOutcome out;
    for (const auto& s : p.steps) {
      if (run.cancelled()) {
        out.cancelled = true;
        return out;
      }
      auto o = run.run(s, p.concurrency);
      if (o.process.cancelled) {
        out.cancelled = true;
        return out;
      }
      if (s.name == "bench" || s.name == "sweep") {
        out.bench_start_utc = o.process.start_utc;
        out.bench_end_utc = o.process.end_utc;
      }
      if (o.process.exit_code == 0) continue;
      // A sweep that fails midway still wrote the runs that finished: fetch them.
      if (s.name == "sweep") {
        out.failure = why_failed(s, o);
        continue;
      }
      out.failure = why_failed(s, o);
      return out;
    }
    return out;
  }
};

class JobTransport : public Transport {
 public:
  explicit JobTransport(double poll) : poll_(poll) {}
  PointOutcome run_point(const PointPlan& p, StepRunner& run, const std::filesystem::path& landed) override {
    PointOutcome out;
    const Step& apply = p.steps[0];
    const Step& logs = p.steps[1];
    const Step& del = p.steps[2];
    auto finish = [&](PointOutcome r) {
      run.run(del, p.concurrency, false);  // never leave this point's Job behind for the next one
      return r;
    };
    auto a = run.run(apply, p.concurrency);
    if (a.process.cancelled) return out.cancelled = true, finish(out);
    if (a.process.exit_code != 0) return out.failure = why_failed(apply, a), finish(out);
    // Complete or Failed, whichever comes first; the Job's own
    // activeDeadlineSeconds bounds the work, this loop bounds the wait.
    double deadline = p.manifest["spec"].value("activeDeadlineSeconds", 3600L) + 120.0;
    auto t0 = std::chrono::steady_clock::now();
    for (;;) {
      if (run.cancelled()) return out.cancelled = true, finish(out);
      auto st = run.run(*p.status, p.concurrency);
      std::string conditions = trim(st.out);
      if (st.process.exit_code == 0 && conditions.find("Failed") != std::string::npos) {
        auto t = run.run(*p.log_tail, p.concurrency);
        out.failure = fmt::format("Job {} failed: {}", p.job_name, excerpt(trim(tail_of(t.out)), 400));
        return finish(out);
      }
      if (st.process.exit_code == 0 && conditions.find("Complete") != std::string::npos) {
        // The Job's work lies between its submission and the poll that saw it done.
        out.bench_start_utc = a.process.start_utc;
        out.bench_end_utc = st.process.end_utc;
        break;
      }
      double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (waited > deadline) {
        out.failure = fmt::format("Job {} neither completed nor failed within {:.0f} s", p.job_name, deadline);
        return finish(out);
      }
      std::this_thread::sleep_for(std::chrono::duration<double>(poll_));
    }
    auto l = run.run(logs, p.concurrency);
    if (l.process.cancelled) return out.cancelled = true, finish(out);
    if (l.process.exit_code != 0) out.failure = why_failed(logs, l);
    else if (extract_job_files(read_file(l.out_path), landed) == 0) out.failure = "the Job's log carries no result file";
    return finish(out);
  }

 private:
  double poll_;
};

// The failure record, in vLLM's own sweep failure format, so the ingester
// keeps it as a failed point of its concurrency.
void write_failure(const std::filesystem::path& path, long concurrency, long prompts, const std::string& why,
                   const std::string& type) {
  json rec = {{"run_number", 0}, {"error_type", type}, {"error", why}, {"serve_overrides", json::object()},
              {"bench_overrides", {{"max_concurrency", concurrency}, {"num_prompts", prompts}}}};
  atomic_write(path, rec.dump(2) + "\n");
}

// Concurrencies with any run or failure record in a fetched sweep tree.
std::set<long> landed_concurrencies(const std::filesystem::path& dir) {
  std::set<long> out;
  if (!std::filesystem::exists(dir)) return out;
  try {
    for (const auto& r : ingest_paths({dir}, "auto").results)
      if (r.max_concurrency) out.insert(*r.max_concurrency);
  } catch (const Error&) {
  }
  return out;
}

void progress_line(size_t i, size_t n, long c, double elapsed, const std::string& what) {
  double eta = i > 0 ? elapsed / i * (n - i) : 0;
  if (isatty(2))
    std::fprintf(stderr, "\r[%zu/%zu] c=%ld %-10s elapsed %.0fs ETA %.0fs   ", i, n, c, what.c_str(), elapsed, eta);
  else
    std::fprintf(stderr, "point %zu/%zu c=%ld %s (elapsed %.1f s)\n", i, n, c, what.c_str(), elapsed);
  if (isatty(2) && i == n) std::fputc('\n', stderr);
}

std::set<std::string> lines_of(const std::string& s) {
  std::set<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);)
    if (!trim(l).empty()) out.insert(trim(l));
  return out;
}

}  // namespace

StepRunner::StepRunner(std::filesystem::path cmd_dir, const std::atomic<bool>* cancel)
    : dir_(std::move(cmd_dir)), cancel_(cancel) {}

StepRunner::Outcome StepRunner::run(const Step& s, long concurrency, bool cancellable) {
  ++n_;
  auto out_path = dir_ / fmt::format("run-{:03}-{}.stdout", n_, s.name);
  auto err_path = dir_ / fmt::format("run-{:03}-{}.stderr", n_, s.name);
  Outcome o;
  o.process = run_process(s.argv, out_path.string(), err_path.string(), s.timeout_s, cancellable ? cancel_ : nullptr);
  std::error_code ec;
  if (std::filesystem::exists(out_path, ec) && std::filesystem::file_size(out_path, ec) < (8u << 20)) o.out = read_file(out_path);
  if (std::filesystem::exists(err_path, ec)) o.err = tail_of(read_file(err_path), 2048);
  json entry = {{"n", n_}, {"concurrency", concurrency}, {"step", s.name}, {"argv", s.argv},
                {"display", shell_line(s.argv)}, {"start_utc", o.process.start_utc}, {"end_utc", o.process.end_utc},
                {"exit_code", o.process.exit_code}, {"timed_out", o.process.timed_out},
                {"cancelled", o.process.cancelled}, {"stdout", out_path.string()}, {"stderr", err_path.string()}};
  if (!o.process.error.empty()) entry["error"] = o.process.error;
  log_ += entry.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  atomic_write(dir_ / "log.jsonl", log_);
  if (o.process.exit_code == 0 && !s.stdout_to.empty()) atomic_copy(out_path, s.stdout_to);
  o.out_path = out_path;
  return o;
}

std::unique_ptr<Transport> make_transport(const RunPlan& plan, double poll_interval_s) {
  if (plan.mode == "job") return std::make_unique<JobTransport>(poll_interval_s);
  return std::make_unique<ExecTransport>();
}

namespace {

// A roofline sweep's points landed as a bundle: fetch the model config, then
// import it as <cell>-decode / <cell>-prefill (the same import a user runs on
// a bundle by hand). The configured cell records which cells it became.
void finish_roofline(const Campaign& c, const RunPlan& plan, const AtlasCell& identity, StepRunner& run, ExecuteResult& res,
                     Warnings& warnings) {
  for (const auto& s : plan.collect) {
    auto o = run.run(s, 0);
    if (o.process.exit_code != 0)
      add_warning(warnings, {"model_config_not_fetched", "the model's config.json did not come back: " + excerpt(trim(o.err), 200),
                             plan.cell, {}, {}, "set roofline_sweep.model_config_path to the config.json in the telemetry pod", {}});
  }
  std::filesystem::path cell_dir = c.cell_dir(plan.cell);
  if (res.points_ok == 0) {
    res.status = "failed";
    return;
  }
  RooflineImportRequest req;
  req.campaign = c.id;
  req.bundle = cell_dir / "raw" / plan.bundle_dir;
  req.label = plan.cell;
  req.identity = to_json(identity);
  try {
    json r = import_roofline_sweep(c.dir.parent_path(), req, warnings);
    json cells = json::array();
    for (const auto& cell : r["cells"]) cells.push_back(cell["cell"]);
    atomic_write(cell_dir / "roofline_cells.json",
                 json({{"run", plan.run}, {"bundle", "raw/" + plan.bundle_dir}, {"cells", cells}}).dump(2) + "\n");
    res.status = r["cells"].empty() ? "failed" : r["cells"][0]["status"].get<std::string>();
  } catch (const Error& e) {
    add_warning(warnings, {"roofline_import_failed", std::string("the sweep's bundle did not import: ") + e.what(), plan.cell,
                           req.bundle.string(), {}, "fix the bundle and run import_roofline_sweep on it", {}});
    res.status = "failed";
  }
}

// --telemetry prometheus: the point's query, with its node and bench window.
void run_after(const PointPlan& p, const PointOutcome& o, const std::optional<std::string>& node, StepRunner& run,
               const std::string& cell, Warnings& warnings) {
  if (p.after.empty()) return;
  auto start = parse_timestamp(o.bench_start_utc), end = parse_timestamp(o.bench_end_utc);
  if (!node || !start || !end) {
    add_warning(warnings, {"telemetry_not_queried", !node ? "the node is unknown, so the Prometheus query cannot name it"
                                                          : "the point's bench window is unknown",
                           cell, {}, {}, {}, p.concurrency});
    return;
  }
  for (Step s : p.after) {
    for (auto& a : s.argv) {
      if (a == kNodeWord) a = *node;
      else if (a == kStartWord) a = fmt::format("{:.3f}", start->seconds);
      else if (a == kEndWord) a = fmt::format("{:.3f}", end->seconds);
    }
    auto r = run.run(s, p.concurrency, false);
    if (r.process.exit_code != 0) {
      add_warning(warnings, {"telemetry_query_failed", why_failed(s, r), cell, {}, {}, {}, p.concurrency});
      return;
    }
  }
}

// --telemetry: every point's capture against the cell's points (their windows
// come from this run's log), as dcgm_correlate would do by hand.
void correlate_run(const Campaign& c, const RunPlan& plan, const std::optional<std::string>& node, ExecuteResult& res,
                   Warnings& warnings) {
  std::filesystem::path dir = c.cell_dir(plan.cell) / "raw" / plan.telemetry_dir;
  if (!std::filesystem::exists(dir)) {
    add_warning(warnings, {"telemetry_missing", "no telemetry capture came back; no dcgm_correlation.json", plan.cell, {}, {}, {}, {}});
    return;
  }
  CorrelateRequest req;
  req.campaign = c.id;
  req.cell = plan.cell;
  req.file = dir;
  req.kind = plan.telemetry == "dcgmi" ? "dcgmi-dmon" : plan.telemetry;
  req.node = node;
  try {
    Warnings w;
    json r = dcgm_correlate(c.dir.parent_path(), req, w);
    for (auto& x : w) add_warning(warnings, std::move(x));
    res.correlation = r["written"].get<std::string>();
  } catch (const Error& e) {
    add_warning(warnings, {"telemetry_not_correlated", std::string("dcgm_correlate failed: ") + e.what(), plan.cell,
                           dir.string(), {}, "run dcgm_correlate on the capture by hand once fixed", {}});
  }
}

// Moves a fetched point from its landing folder into raw/ (one rename).
void move_landed(const std::filesystem::path& landing, const std::filesystem::path& landed) {
  std::error_code ec;
  if (!std::filesystem::exists(landing, ec)) return;
  std::filesystem::create_directories(landed.parent_path());
  std::filesystem::remove_all(landed, ec);
  std::filesystem::rename(landing, landed, ec);
  if (ec) throw_io(landed.string(), "cannot move the fetched result into place: " + ec.message());
}

// This run's landing folder (its pid inside) for the run's duration; on the
// way in, the folders of runs whose process is gone (killed mid-fetch) are
// removed; on the way out, its own.
class LandingFolder {
 public:
  LandingFolder(const std::filesystem::path& cell_dir, const std::string& run)
      : root_(cell_dir / ".landing"), mine_(root_ / "cell_run" / run) {
    std::error_code ec;
    for (auto& other : std::filesystem::directory_iterator(root_ / "cell_run", ec)) {
      long pid = 0;
      if (std::filesystem::exists(other.path() / ".pid", ec)) pid = std::atol(read_file(other.path() / ".pid").c_str());
      if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)) std::filesystem::remove_all(other.path(), ec);
    }
    atomic_write(mine_ / ".pid", std::to_string(::getpid()) + "\n");
  }
  ~LandingFolder() {
    std::error_code ec;
    std::filesystem::remove_all(mine_, ec);
    std::filesystem::remove(root_ / "cell_run", ec);  // only when empty
    std::filesystem::remove(root_, ec);
  }
  LandingFolder(const LandingFolder&) = delete;
  LandingFolder& operator=(const LandingFolder&) = delete;

 private:
  std::filesystem::path root_, mine_;
};

}  // namespace

ExecuteResult execute_plan(const Campaign& c, const RunPlan& plan, const std::filesystem::path& cmd_dir,
                           const std::atomic<bool>* cancel, double poll_interval_s, Warnings& warnings,
                           const std::function<void(double, double, const std::string&)>& progress) {
  StepRunner run(cmd_dir, cancel);
  ExecuteResult res;
  // Preflight: a clear error before anything is submitted.
  for (const auto& s : plan.preflight) {
    auto o = run.run(s, 0);
    bool ok = o.process.exit_code == 0 && (s.expect.empty() || trim(o.out) == s.expect);
    if (!ok)
      throw_io("kubectl", fmt::format("preflight failed: {} ({}: {})", s.fails_with, shell_line(s.argv),
                                      excerpt(trim(o.out + " " + o.err), 300)));
  }
  std::optional<std::set<std::string>> standing_before;
  if (plan.standing) {
    auto o = run.run(*plan.standing, 0);
    if (o.process.exit_code == 0) standing_before = lines_of(o.out);
    else add_warning(warnings, {"standing_unchecked", "cannot list the namespace's standing objects; not compared after the run",
                                plan.cell, {}, {}, {}, {}});
  }
  auto transport = make_transport(plan, poll_interval_s);
  std::filesystem::path cell_dir = c.cell_dir(plan.cell);
  LandingFolder landing_folder(cell_dir, plan.run);
  const CellConfig* cc = c.config.find_cell(plan.cell);
  AtlasCell identity = cc->identity;
  identity.campaign = c.id;
  // --telemetry: the node the GPUs' pod runs on joins the cell's descriptor
  // (dcgm_correlate checks captures against it).
  if (plan.node) {
    auto o = run.run(*plan.node, 0);
    std::string node = trim(o.out);
    if (o.process.exit_code == 0 && k8s::valid_dns_subdomain(node)) {
      res.node = node;
      if (identity.node && *identity.node != node)
        add_warning(warnings, {"node_differs", fmt::format("the config names node {}, the pod runs on {}", *identity.node, node),
                               plan.cell, {}, {}, {}, {}});
      identity.node = node;
    } else {
      add_warning(warnings, {"node_unknown", "cannot read the node of the telemetry pod: " + excerpt(trim(o.out + " " + o.err), 200),
                             plan.cell, {}, {}, {}, {}});
    }
  }
  bool guard_unavailable = false;
  auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < plan.points.size(); ++i) {
    const PointPlan& p = plan.points[i];
    if (run.cancelled()) {
      res.cancelled = true;
      break;
    }
    // Nothing of an earlier point may still run: measurements never overlap.
    PointOutcome outcome;
    auto g = run.run(plan.guard, p.concurrency);
    bool busy = plan.mode == "exec" ? g.process.exit_code == 0 : (g.process.exit_code == 0 && !trim(g.out).empty());
    if (plan.mode == "exec" && g.process.exit_code > 1 && !guard_unavailable) {
      guard_unavailable = true;
      add_warning(warnings, {"overlap_unchecked",
                             "cannot check the pod for leftover benchmark processes (pgrep unavailable); the in-pod "
                             "timeout still bounds each point", plan.cell, {}, {}, {}, {}});
    }
    if (busy) {
      run.run(plan.stop, p.concurrency);
      auto again = run.run(plan.guard, p.concurrency);
      bool still = plan.mode == "exec" ? again.process.exit_code == 0 : !trim(again.out).empty();
      if (still) outcome.failure = "work of an earlier point still runs after it was stopped; refusing to overlap measurements";
    }
    std::filesystem::path landed = cell_dir / "raw" / p.local_dir;
    if (!outcome.failure) {
      if (plan.roofline) {
        outcome = transport->run_point(p, run, landed);  // a bundle: imported once, at the end
      } else {
        std::filesystem::path landing = cell_dir / landing_dir(p.local_dir);
        outcome = transport->run_point(p, run, landing);
        move_landed(landing, landed);
      }
    }
    if (!outcome.cancelled && !outcome.failure) run_after(p, outcome, res.node, run, plan.cell, warnings);
    if (outcome.cancelled) {
      std::filesystem::remove_all(landed);  // a cut measurement is no measurement
      res.cancelled = true;
      break;
    }
    if (plan.roofline) {
      // The bundle is imported once, at the end: a point is its files.
      if (!outcome.failure && (!std::filesystem::exists(landed) || std::filesystem::is_empty(landed)))
        outcome.failure = "no result files came back";
      std::string name = p.phase == "decode" ? fmt::format("c={}", p.concurrency) : fmt::format("ISL {}", p.isl.value_or(0));
      if (outcome.failure) {
        std::filesystem::remove_all(landed);
        add_warning(warnings, {"roofline_point_failed", fmt::format("{} {}: {}", p.phase, name, *outcome.failure), plan.cell, {}, {}, {},
                               p.concurrency});
      }
      (outcome.failure ? res.points_failed : res.points_ok) += 1;
      double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      progress_line(i + 1, plan.points.size(), p.concurrency, elapsed, outcome.failure ? "FAILED" : "ok");
      if (progress) progress(static_cast<double>(i + 1), static_cast<double>(plan.points.size()), p.phase + " " + name);
      continue;
    }
    {
      FileLock lock(c.dir, fmt::format("cell_run {} ingest c={}", plan.cell, p.concurrency), lock_wait_seconds());
      std::vector<std::pair<long, long>> missing;  // (concurrency, prompts) without a result
      if (p.concurrency > 0) {
        if (!outcome.failure && (!std::filesystem::exists(landed) || std::filesystem::is_empty(landed)))
          outcome.failure = "no result files came back";
        if (outcome.failure) missing.push_back({p.concurrency, p.num_prompts});
      } else {
        auto got = landed_concurrencies(landed);
        for (const auto& sp : p.sweep_points)
          if (!got.count(sp["max_concurrency"].get<long>()))
            missing.push_back({sp["max_concurrency"].get<long>(), sp["num_prompts"].get<long>()});
        if (outcome.failure && missing.empty())
          add_warning(warnings, {"sweep_failed_after_runs", "the sweep reported a failure after every concurrency had a "
                                                            "result: " + *outcome.failure, plan.cell, {}, {}, {}, {}});
      }
      if (p.concurrency > 0 && outcome.failure) std::filesystem::remove_all(landed);
      for (auto [conc, prompts] : missing)
        write_failure(cell_dir / "raw" / fmt::format("cell_run/{}/c{}.failure.json", plan.run, conc), conc, prompts,
                      outcome.failure.value_or("no result came back from the sweep"), "CellRunFailure");
      try {
        rebuild_cell(c, identity, warnings);
      } catch (const Error& e) {
        // A result we cannot read is a failed point, not a crashed sweep.
        std::filesystem::remove_all(landed);
        for (const auto& sp : p.concurrency > 0 ? std::vector<json>{{{"max_concurrency", p.concurrency}, {"num_prompts", p.num_prompts}}}
                                                : p.sweep_points)
          write_failure(cell_dir / "raw" / fmt::format("cell_run/{}/c{}.failure.json", plan.run, sp["max_concurrency"].get<long>()),
                        sp["max_concurrency"], sp["num_prompts"], e.what(), "UnreadableResult");
        outcome.failure = e.what();
        rebuild_cell(c, identity, warnings);
      }
      atomic_write(cell_dir / "cell.json", to_json(identity).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
    }
    // Measured against configured lengths, right away (also a methodology problem in the atlas).
    if (!outcome.failure && p.concurrency > 0) {
      AtlasCell now = cell_from_json(parse_json_lenient(read_file(cell_dir / "normalized.json"), "normalized.json"), "normalized.json");
      for (const auto& pt : now.points) {
        if (pt.concurrency != p.concurrency || pt.status == "failed") continue;
        for (auto [name, want, got] : {std::tuple{"ISL", identity.isl, pt.mean_input_tokens}, {"OSL", identity.osl, pt.mean_output_tokens}})
          if (want && got && *want > 0 && std::fabs(*got - *want) > 0.10 * *want)
            add_warning(warnings, {"declared_vs_measured",
                                   fmt::format("measured mean {} {:.0f} differs from the configured {} by more than 10%", name, *got, *want),
                                   plan.cell, {}, {}, {}, p.concurrency});
      }
    }
    (outcome.failure ? res.points_failed : res.points_ok) += p.concurrency > 0 ? 1 : static_cast<int>(p.sweep_points.size());
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress_line(i + 1, plan.points.size(), p.concurrency, elapsed, outcome.failure ? "FAILED" : "ok");
    if (progress) progress(static_cast<double>(i + 1), static_cast<double>(plan.points.size()), fmt::format("c={}", p.concurrency));
  }
  if (plan.roofline && !res.cancelled) finish_roofline(c, plan, identity, run, res, warnings);
  if (!plan.telemetry.empty() && !res.cancelled && res.points_ok > 0) correlate_run(c, plan, res.node, res, warnings);
  // Teardown by label, always (also after a cancellation); then nothing of the
  // run may be left, and no standing object may have vanished.
  for (const auto& s : plan.teardown) run.run(s, 0, false);
  auto left = run.run(plan.leftovers, 0, false);
  bool leftovers = plan.mode == "exec" ? left.process.exit_code == 0 : (left.process.exit_code == 0 && !trim(left.out).empty());
  if (leftovers)
    add_warning(warnings, {"leftovers_after_teardown",
                           "still present after teardown: " + excerpt(trim(left.out), 300),
                           plan.cell, {}, {}, "remove them by hand: " + shell_line(plan.teardown.front().argv), {}});
  if (standing_before) {
    auto o = run.run(*plan.standing, 0, false);
    if (o.process.exit_code == 0) {
      auto after = lines_of(o.out);
      for (const auto& obj : *standing_before)
        if (!after.count(obj))
          add_warning(warnings, {"standing_object_vanished", obj + " existed before the run and is gone after it",
                                 plan.cell, {}, {}, "check the namespace: cell_run deletes only objects of its own run", {}});
    }
  }
  if (res.cancelled)
    atomic_write(cmd_dir / "cancelled.json", json({{"cancelled_utc", utc_iso_now()},
                                                   {"points_done", res.points_ok + res.points_failed}})
                                                 .dump(2) + "\n");
  std::error_code ec;
  if (!plan.roofline)
    res.status = std::filesystem::exists(cell_dir / "status.txt", ec) ? trim(read_file(cell_dir / "status.txt")) : "failed";
  else if (res.status.empty())
    res.status = "failed";
  return res;
}

}  // namespace ptr
