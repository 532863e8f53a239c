// Crash safety (issue 9): every writing verb is killed with SIGKILL at many
// points of its run. After each kill every file of the campaign is its old
// version, its new version or another complete version (JSON parses, a PDF
// ends with %%EOF, text ends with its newline, a raw copy equals its input),
// an import never leaves raw copies its normalized.json does not come from,
// the lake holds the old or the new rows, and the next run of the same verb
// succeeds and leaves no temp file or staging folder behind.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include "test_support.hpp"
#include "util/fs.hpp"

extern char** environ;

namespace ptr::test {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Starts the CLI with `args` (whitespace-separated, no quoting needed here)
// and the campaigns root (plus `env`) in its environment; output discarded,
// or its stderr written to `err` (outside the campaigns root: snapshots never see it).
pid_t spawn_cli(const std::string& args, const fs::path& root, const std::vector<std::string>& env, const fs::path& err = "/dev/null") {
  std::vector<std::string> argv = {PTR_CLI};
  for (auto& w : words(args)) argv.push_back(w);
  std::vector<std::string> envs = {"PERFREPORT_CAMPAIGNS_DIR=" + root.string()};
  for (auto e : env) {
    for (auto at = e.find("{ROOT}"); at != std::string::npos; at = e.find("{ROOT}")) e.replace(at, 6, root.string());
    envs.push_back(e);
  }
  for (char** e = environ; *e; ++e) {
    std::string s = *e;
    bool overridden = false;
    for (auto& o : envs) overridden = overridden || s.substr(0, s.find('=') + 1) == o.substr(0, o.find('=') + 1);
    if (!overridden) envs.push_back(s);
  }
  std::vector<char*> av, ev;
  for (auto& a : argv) av.push_back(a.data());
  av.push_back(nullptr);
  for (auto& e : envs) ev.push_back(e.data());
  ev.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, PTR_CLI, &fa, nullptr, av.data(), ev.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error(std::string("posix_spawn of the CLI failed: ") + std::strerror(rc));
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool is_leftover(const fs::path& p) {
  std::string n = p.filename().string();
  bool staging = n.find(".staging.") != std::string::npos;  // campaign_init's ".<id>.staging.<pid>"
  return n.find(".tmp.") != std::string::npos || n.rfind(".txn-", 0) == 0 || staging || n == ".landing";
}

// Every file under `dir` (hidden ones too) by relative path, with its bytes;
// leftovers (temp files, staging folders) apart.
struct Tree {
  std::map<std::string, std::string> files;
  std::vector<std::string> leftovers;
};

Tree snapshot(const fs::path& dir) {
  Tree t;
  if (!fs::exists(dir)) return t;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    std::string rel = fs::relative(it->path(), dir).generic_string();
    if (rel == "pod") {  // the stand-in cluster's pod (cell_run), not the tool's files
      it.disable_recursion_pending();
      continue;
    }
    if (is_leftover(it->path())) {
      t.leftovers.push_back(rel);
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) t.files[rel] = read_file(it->path());
  }
  return t;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Why `text` (at `rel`) is not a complete file of its kind, or "".
std::string incomplete(const std::string& rel, const std::string& text) {
  auto ext = fs::path(rel).extension().string();
  if (fs::path(rel).filename() == ".lock") return "";
  if (ext == ".json") return json::accept(text) ? "" : "not a complete JSON document";
  if (ext == ".jsonl") {
    if (!text.empty() && text.back() != '\n') return "last line cut short";
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
      if (!l.empty() && !json::accept(l)) return "a line is not complete JSON";
    return "";
  }
  if (ext == ".pdf") return text.rfind("%%EOF") != std::string::npos && text.rfind("%%EOF") + 16 > text.size() ? "" : "no %%EOF";
  if (ext == ".html") return ends_with(text, "</html>\n") ? "" : "no closing </html>";
  if (rel.find(".sqlite") != std::string::npos) return "";  // the lake: checked by its rows
  if (ext == ".stdout" || ext == ".stderr") return "";     // a command's own bytes, as it wrote them
  return text.empty() || text.back() == '\n' ? "" : "text without its final newline";
}

struct KillCase {
  std::string args;                          // the verb under test
  std::vector<std::string> env;              // extra environment ({ROOT}: the run's own folder)
  std::function<void(const fs::path&)> setup;  // builds the state before it
  fs::path inputs;                           // raw copies must equal a file under here
  std::function<std::string(const fs::path&)> invariant;  // extra check: "" when it holds
  // A raw file its normalized.json does not name is allowed (cell_run: a
  // second copy of a point the resumed run measured again is deduplicated).
  bool rolls_forward = false;
};

// Each raw copy under cells/*/raw equals the input file it was copied from,
// and appears in its cell's normalized.json (no orphan beside an old one).
std::string raw_copies_consistent(const fs::path& root, const fs::path& inputs, bool unnamed_ok) {
  for (auto& campaign : fs::directory_iterator(root)) {
    if (!fs::is_directory(campaign.path() / "cells")) continue;
    for (auto& cell : fs::directory_iterator(campaign.path() / "cells")) {
      fs::path raw = cell.path() / "raw";
      if (!fs::exists(raw)) continue;
      std::string norm = fs::exists(cell.path() / "normalized.json") ? read_file(cell.path() / "normalized.json") : "";
      for (auto& f : fs::recursive_directory_iterator(raw)) {
        if (!f.is_regular_file() || is_leftover(f.path())) continue;
        std::string rel = fs::relative(f.path(), raw).generic_string();
        if (!inputs.empty() && fs::exists(inputs / rel) && !files_equal(inputs / rel, f.path()))
          return "raw/" + rel + " differs from its input";
        if (auto why = incomplete(rel, read_file(f.path())); !why.empty()) return "raw/" + rel + ": " + why;
        if (!unnamed_ok && norm.find("raw/" + rel) == std::string::npos) return "raw/" + rel + " is not in normalized.json";
      }
    }
  }
  return "";
}

// A copy of the starting state with its modification times: verbs compare
// them (publish refuses a report older than its atlas), and a plain copy
// stamps files in directory order.
void copy_tree(const fs::path& from, const fs::path& to) {
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(from))
    fs::last_write_time(to / fs::relative(e.path(), from), fs::last_write_time(e.path(), ec), ec);
}

// Runs the verb once whole (its duration and outputs), then `kills` times,
// each from the same starting state, killed at evenly spread moments of that
// duration; checks every file after each kill and after the rerun.
void kill_sweep(const KillCase& k, int kills = 10) {
  TempDir start;
  k.setup(start.path);
  Tree old_state = snapshot(start.path);

  TempDir whole;
  copy_tree(start.path, whole.path);
  auto t0 = Clock::now();
  TempDir log;
  ASSERT_EQ(wait_exit(spawn_cli(k.args, whole.path, k.env, log.path / "stderr")), 0) << k.args << ": " << read_file(log.path / "stderr");
  double duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  Tree new_state = snapshot(whole.path);

  int killed_midway = 0;
  for (int i = 1; i <= kills; ++i) {
    SCOPED_TRACE(k.args + " killed at " + std::to_string(i) + "/" + std::to_string(kills + 1));
    TempDir run;
    copy_tree(start.path, run.path);
    pid_t pid = spawn_cli(k.args, run.path, k.env);
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<long>(duration_ms * 1000 * i / (kills + 1))));
    kill(pid, SIGKILL);
    if (wait_exit(pid) == 128 + SIGKILL) ++killed_midway;
    Tree after = snapshot(run.path);
    for (auto& [rel, text] : after.files) {
      auto o = old_state.files.find(rel);
      auto n = new_state.files.find(rel);
      if ((o != old_state.files.end() && o->second == text) || (n != new_state.files.end() && n->second == text)) continue;
      EXPECT_EQ(incomplete(rel, text), "") << rel;
    }
    EXPECT_EQ(raw_copies_consistent(run.path, k.inputs, k.rolls_forward), "");
    if (k.invariant) {
      EXPECT_EQ(k.invariant(run.path), "");
    }
    // The next run of the same verb succeeds and cleans up after the dead one.
    TempDir log;
    EXPECT_EQ(wait_exit(spawn_cli(k.args, run.path, k.env, log.path / "stderr")), 0) << read_file(log.path / "stderr");
    Tree rerun = snapshot(run.path);
    EXPECT_TRUE(rerun.leftovers.empty()) << rerun.leftovers.front();
    for (auto& [rel, text] : rerun.files) EXPECT_EQ(incomplete(rel, text), "") << rel;
    EXPECT_EQ(raw_copies_consistent(run.path, k.inputs, k.rolls_forward), "");
  }
  // Kills must land while the verb runs, or this tested nothing (a third at
  // least: the whole run was timed once, and load changes later runs' pace).
  EXPECT_GE(killed_midway, kills / 3) << "the verb took " << duration_ms << " ms";
}

const std::string kIdentity = " --model M --hardware H100 --quant FP8 --tensor-parallel 8 --parallel-strategy TP --no-mtp --mbt 8192";

void init_campaign(const fs::path& root) {
  fs::path cfg = root / "kc.yaml";
  std::ofstream(cfg) << "name: kc\ncells: []\n";
  ASSERT_EQ(run_cli("campaign_init --config " + quote(cfg.string()), root).exit_code, 0);
  fs::remove(cfg);
}

// AIPerf records inflated to ~24 MB (so an import lasts long enough to be
// killed at many points) beside their aggregate, in `dir`.
fs::path big_aiperf_input(const fs::path& dir) {
  fs::create_directories(dir / "big");
  fs::copy_file(fixtures_dir() / "aiperf/v0.2x-qwen-c1__profile_export_aiperf.json", dir / "big/profile_export_aiperf.json");
  std::string one = read_file(fixtures_dir() / "aiperf/v0.2x-qwen-c1__profile_export.jsonl");
  std::ofstream o(dir / "big/profile_export.jsonl", std::ios::binary);
  for (int i = 0; i < 640; ++i) o << one;
  return dir;
}

void imported_campaign(const fs::path& root) {
  init_campaign(root);
  auto r = run_cli("import_perf_bench --campaign kc --cell a --path " + quote((fixtures_dir() / "vllm/sweep-serve").string()) + kIdentity, root);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_cli("import_perf_bench --campaign kc --cell b --backend vllm --path " +
                  quote((fixtures_dir() / "vllm/bench-serve/tm-l40sx2_qwen27b_in4096_out128_p50_c1_d48e1d.json").string()) + kIdentity,
              root);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

void aggregated_campaign(const fs::path& root) {
  imported_campaign(root);
  ASSERT_EQ(run_cli("atlas_aggregate --campaign kc", root).exit_code, 0);
}

TEST(KillNine, CampaignInit) {
  KillCase k;
  fs::path cfg = source_dir() / "configs/campaigns/example.yaml";
  k.args = "campaign_init --config " + cfg.string();
  // The staging folder a killed init left (its pid is past any pid_max): the
  // next init removes it.
  k.setup = [](const fs::path& root) {
    fs::create_directories(root / ".20200101T000000Z-old.staging.2147483646/cells");
    std::ofstream(root / ".20200101T000000Z-old.staging.2147483646/SOURCE.md") << "# Source\n";
  };
  // A campaign folder is there whole (its frozen config written last) or not at all.
  k.invariant = [](const fs::path& root) -> std::string {
    for (auto& e : fs::directory_iterator(root))
      if (e.is_directory() && !is_leftover(e.path()) && !fs::exists(e.path() / "config.yaml"))
        return e.path().filename().string() + " has no config.yaml";
    return "";
  };
  kill_sweep(k);
}

TEST(KillNine, ImportIsAllOrNothing) {
  TempDir inputs;
  big_aiperf_input(inputs.path);
  KillCase k;
  k.args = "import_perf_bench --campaign kc --cell a --path " + (inputs.path / "big").string() + kIdentity;
  k.setup = [&](const fs::path& root) {
    init_campaign(root);
    auto r = run_cli("import_perf_bench --campaign kc --cell a --path " +
                         quote((fixtures_dir() / "aiperf/v0.2x-qwen-c1__profile_export_aiperf.json").string()) + kIdentity,
                     root);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  k.inputs = inputs.path;
  kill_sweep(k);
}

TEST(KillNine, AtlasAggregate) {
  KillCase k;
  k.args = "atlas_aggregate --campaign kc";
  k.setup = [](const fs::path& root) { imported_campaign(root); };
  kill_sweep(k);
}

TEST(KillNine, ReportRenderBothFormats) {
  KillCase k;
  k.args = "report_render --campaign kc --format both";
  k.setup = [](const fs::path& root) {
    aggregated_campaign(root);
    ASSERT_EQ(run_cli("report_render --campaign kc", root).exit_code, 0);  // an old report to keep or replace
  };
  kill_sweep(k);
}

TEST(KillNine, TpmSummary) {
  KillCase k;
  k.args = "tpm_summary --campaign kc";
  k.setup = [](const fs::path& root) { aggregated_campaign(root); };
  kill_sweep(k);
}

// Rows of atlas_v1 in <root>/perf-lake.sqlite (the lake's default place), read
// in place: a killed writer's rollback journal beside it must be honoured.
long lake_rows(const fs::path& root) {
  fs::path sql = root / "count.sql";
  std::ofstream(sql) << "SELECT COUNT(*) AS n FROM atlas_v1";
  auto r = run_cli("--json lake_query --sql " + quote(sql.string()) + " --format json", root);
  fs::remove(sql);
  if (r.exit_code != 0) return -1;
  return r.envelope()["result"]["rows"][0]["n"].get<long>();
}

void published_campaign_with_a_new_cell(const fs::path& root) {
  aggregated_campaign(root);
  ASSERT_EQ(run_cli("report_render --campaign kc", root).exit_code, 0);
  ASSERT_EQ(run_cli("publish_to_lake --campaign kc", root).exit_code, 0);
  // The republish carries one more cell's rows.
  auto r = run_cli("import_perf_bench --campaign kc --cell c --path " +
                       quote((fixtures_dir() / "aiperf/v0.2x-qwen-c1__profile_export_aiperf.json").string()) + kIdentity,
                   root);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(run_cli("atlas_aggregate --campaign kc", root).exit_code, 0);
  ASSERT_EQ(run_cli("report_render --campaign kc", root).exit_code, 0);  // a publish needs the report of its atlas
}

TEST(KillNine, PublishToLakeKeepsOldOrNewRows) {
  TempDir probe;
  published_campaign_with_a_new_cell(probe.path);
  long old_rows = lake_rows(probe.path);
  ASSERT_EQ(run_cli("publish_to_lake --campaign kc", probe.path).exit_code, 0);
  long new_rows = lake_rows(probe.path);
  ASSERT_GT(old_rows, 0);
  ASSERT_GT(new_rows, old_rows);
  KillCase k;
  k.args = "publish_to_lake --campaign kc";
  k.setup = published_campaign_with_a_new_cell;
  k.invariant = [=](const fs::path& root) -> std::string {
    long n = lake_rows(root);
    return n == old_rows || n == new_rows ? "" : "atlas_v1 holds " + std::to_string(n) + " rows";
  };
  kill_sweep(k);
}

TEST(KillNine, CellRunResumes) {
  KillCase k;
  k.args = "cell_run --campaign cellrun --cell vllm-cell --backend vllm-sweep --bench-pod bench-0 --namespace bench "
           "--i-understand-this-submits-jobs";
  const char* path = std::getenv("PATH");
  k.env = {"PATH=" + (source_dir() / "tests/data/fake-kubectl").string() + ":" + (path ? path : "/usr/bin:/bin"),
           "FAKE_KUBECTL_LOG={ROOT}/pod/kubectl.log", "FAKE_POD_ROOT={ROOT}/pod", "FAKE_FIXTURES=" + fixtures_dir().string()};
  // Each run its own pod: work a killed run left in it never meets another run.
  k.setup = [](const fs::path& root) {
    fs::create_directories(root / "pod");
    ASSERT_EQ(run_cli("campaign_init --config " + quote((source_dir() / "tests/data/cell-run-campaign.yaml").string()), root).exit_code, 0);
  };
  k.rolls_forward = true;
  kill_sweep(k, 6);
}

}  // namespace
}  // namespace ptr::test
