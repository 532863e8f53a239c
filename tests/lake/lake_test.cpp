// The perf lake on both backends: an SQLite file and the private PostgreSQL
// server the pg_lake fixture started (each test in its own database). The
// rows are the campaign's numbers, publishing is idempotent and atomic (a
// kill -9 mid-publish leaves the previous rows), --strict refuses and writes
// nothing, names with quotes and unicode survive, two publishers at once
// leave one copy, and every preset gives the same answer on both backends.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <random>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign/operations.hpp"
#include "campaign/smoke_fixture.hpp"
#include "lake/lake_db.hpp"
#include "lake/presets.hpp"
#include "lake/publish.hpp"
#include "util/error.hpp"
#include "model/atlas_writer.hpp"
#include "test_support.hpp"
#include "util/fs.hpp"
#include "util/sha256.hpp"

namespace ptr::test {
namespace {

std::string pg_server_url() {
  std::ifstream in(fs::path(PTR_PG_STATE) / "url");
  std::string url;
  std::getline(in, url);
  if (url.empty()) throw std::runtime_error("no PostgreSQL test server: the pg_lake fixture (lake_pg_start) did not run");
  return url;
}

// A fresh lake per test: an SQLite file in `dir`, or a new database on the server.
std::string fresh_lake(const std::string& backend, const TempDir& dir) {
  if (backend == "sqlite") return "sqlite://" + (dir.path / "perf-lake.sqlite").string();
  std::random_device rd;
  std::string db = "t" + std::to_string(rd()) + std::to_string(rd());
  std::string server = pg_server_url();
  open_lake(parse_lake_url(server))->exec("CREATE DATABASE " + db);
  auto at = server.find("/postgres?");
  return server.substr(0, at) + "/" + db + server.substr(at + 9);
}

SqlResult ask(const std::string& url, const std::string& sql, const std::vector<SqlValue>& params = {}) {
  return open_lake(parse_lake_url(url))->query(sql, params);
}
long long count(const std::string& url, const std::string& table) { return std::get<long long>(ask(url, "SELECT COUNT(*) FROM " + table).rows[0][0]); }

struct Smoke {
  TempDir root;
  SmokeCampaign c;
  explicit Smoke(bool render = true) : c(build_smoke_campaign(root.path)) {
    if (render) {
      EXPECT_EQ(run_cli("report_render --campaign " + c.id, root.path).exit_code, 0);
    }
  }
  CliResult publish(const std::string& url, const std::string& extra = "", const std::string& env = "") const {
    return run_cli("--json publish_to_lake --campaign " + c.id + " --lake " + quote(url) + " " + extra, root.path, env);
  }
};

class Lake : public ::testing::TestWithParam<std::string> {};

TEST_P(Lake, PublishedRowsAreTheCampaignsNumbersAndRepublishReplacesThem) {
  Smoke s;
  TempDir dir;
  std::string url = fresh_lake(GetParam(), dir);
  auto r = s.publish(url);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json res = r.envelope()["result"];
  EXPECT_EQ(res["backend"], GetParam());
  EXPECT_EQ(res["rows"], (json{{"atlas_v1", 264}, {"campaign_v1", 1}, {"champion_v1", 4}, {"cost_v1", 24}, {"roofline_v1", 14}, {"tpm_v1", 24}}));
  EXPECT_EQ(res["gaps"], json::array());  // the smoke campaign has page 7, DCGM, no methodology problem
  // A point, exactly as the atlas has it.
  const AtlasCell* sg = nullptr;
  for (const auto& cell : s.c.cells)
    if (cell.cell_id == "ab-h100-sglang") sg = &cell;
  ASSERT_NE(sg, nullptr);
  auto p = ask(url, "SELECT output_tok_s_per_gpu, ttft_ms_p99, trials, engine, cell_status, status FROM atlas_v1 WHERE cell_id = ? AND concurrency = ?",
               {std::string("ab-h100-sglang"), 64LL});
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(std::get<double>(p.rows[0][0]), *sg->points[4].output_tok_s_per_gpu);
  EXPECT_EQ(std::get<double>(p.rows[0][1]), *sg->points[4].ttft_ms.p99);
  EXPECT_EQ(std::get<long long>(p.rows[0][2]), 3);
  EXPECT_EQ(std::get<std::string>(p.rows[0][3]), "sglang");
  EXPECT_EQ(std::get<std::string>(p.rows[0][4]), "full");
  // TPM rows: the numbers tpm_summary computes from the same config.
  ASSERT_EQ(run_cli("tpm_summary --campaign " + s.c.id, s.root.path).exit_code, 0);
  json tpm = load_json(s.c.dir / "tpm_summary.json");
  for (const auto& row : tpm["rows"]) {
    if (row["point"] != "sla" || row["output_tpm_per_gpu"].is_null()) continue;
    auto t = ask(url, "SELECT output_tpm_per_gpu, usd_per_1m_output_tokens FROM tpm_v1 WHERE group_key = ? AND point_kind = 'sla'",
                 {row["group"].get<std::string>()});
    ASSERT_EQ(t.rows.size(), 1u) << row["group"];
    EXPECT_EQ(std::get<double>(t.rows[0][0]), row["output_tpm_per_gpu"].get<double>());
  }
  // The champion as page 8 shows it; the report's digest as published.
  json ch = load_json(s.c.dir / "champion_select.json");
  auto champ = ask(url, "SELECT cell_id, score, is_champion FROM champion_v1 WHERE rank = 1");
  EXPECT_EQ(std::get<std::string>(champ.rows[0][0]), ch["champion"].get<std::string>());
  EXPECT_EQ(std::get<double>(champ.rows[0][1]), ch["ranked"][0]["score"].get<double>());
  EXPECT_TRUE(std::get<bool>(champ.rows[0][2]));
  auto camp = ask(url, "SELECT report_sha256, sol_rigor, dcgm_grounded, verdict_tier, recommended_cell, atlas_cells FROM campaign_v1");
  EXPECT_EQ(std::get<std::string>(camp.rows[0][0]), sha256_file_hex(s.c.dir / "report.pdf"));
  EXPECT_EQ(std::get<std::string>(camp.rows[0][1]), "L4");
  EXPECT_TRUE(std::get<bool>(camp.rows[0][2]));
  EXPECT_EQ(std::get<std::string>(camp.rows[0][3]), "draft");
  EXPECT_EQ(std::get<std::string>(camp.rows[0][4]), "ab-h100-sglang");
  EXPECT_EQ(std::get<long long>(camp.rows[0][5]), 44);
  auto roof = ask(url, "SELECT delivered_hbm_pct FROM roofline_v1 WHERE phase = 'decode' AND concurrency = 1");
  ASSERT_EQ(roof.rows.size(), 1u);
  EXPECT_GT(std::get<double>(roof.rows[0][0]), 50);
  // Republished: the same rows, once; the migration recorded once.
  ASSERT_EQ(s.publish(url).exit_code, 0);
  EXPECT_EQ(count(url, "atlas_v1"), 264);
  EXPECT_EQ(count(url, "campaign_v1"), 1);
  auto mig = ask(url, "SELECT version FROM lake_migrations");
  ASSERT_EQ(mig.rows.size(), 1u);
  EXPECT_EQ(std::get<long long>(mig.rows[0][0]), 1);
}

TEST_P(Lake, StrictRefusesAGappedCampaignAndWritesNothing) {
  TempDir root, dir;
  std::string url = fresh_lake(GetParam(), dir);
  fs::path cfg = root.path / "c.yaml";
  std::ofstream(cfg) << "name: gapped\ncells: []\n";
  ASSERT_EQ(run_cli("campaign_init --config " + quote(cfg.string()), root.path).exit_code, 0);
  auto imp = run_cli("import_perf_bench --campaign gapped --cell h100-sweep --path " + quote((fixtures_dir() / "vllm/sweep-serve").string()) +
                         " --model GLM-4.7 --hardware H100 --quant FP8 --tensor-parallel 8 --parallel-strategy TP --no-mtp --mbt 8192",
                     root.path);
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  ASSERT_EQ(run_cli("atlas_aggregate --campaign gapped", root.path).exit_code, 0);
  auto early = run_cli("publish_to_lake --campaign gapped --lake " + quote(url), root.path);
  EXPECT_EQ(early.exit_code, 2);
  EXPECT_NE(early.err.find("report_render has not run"), std::string::npos) << early.err;
  ASSERT_EQ(run_cli("report_render --campaign gapped", root.path).exit_code, 0);
  auto strict = run_cli("publish_to_lake --campaign gapped --strict --lake " + quote(url), root.path);
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_NE(strict.err.find("nothing written"), std::string::npos) << strict.err;
  EXPECT_NE(strict.err.find("not DCGM-grounded"), std::string::npos) << strict.err;
  EXPECT_NE(strict.err.find("no roofline sweep page (page 7)"), std::string::npos) << strict.err;
  if (GetParam() == "sqlite") EXPECT_FALSE(fs::exists(dir.path / "perf-lake.sqlite"));
  else EXPECT_TRUE(ask(url, "SELECT tablename FROM pg_tables WHERE tablename = 'campaign_v1'").rows.empty());
  // Without --strict it publishes and records the gaps.
  auto loose = run_cli("--json publish_to_lake --campaign gapped --lake " + quote(url), root.path);
  ASSERT_EQ(loose.exit_code, 0) << loose.err;
  json gaps = json::parse(std::get<std::string>(ask(url, "SELECT gaps_json FROM campaign_v1").rows[0][0]));
  EXPECT_EQ(gaps, loose.envelope()["result"]["gaps"]);
  EXPECT_NE(gaps.dump().find("not DCGM-grounded"), std::string::npos);
}

TEST_P(Lake, AnUnsupportedVerdictClaimIsRecordedAsDraft) {
  Smoke s(false);
  TempDir dir;
  std::string url = fresh_lake(GetParam(), dir);
  { std::ofstream(s.c.dir / "config.yaml", std::ios::app) << "verdict_tier: verdict\n"; }
  ASSERT_EQ(run_cli("champion_select --campaign " + s.c.id, s.root.path).exit_code, 0);
  ASSERT_EQ(run_cli("report_render --campaign " + s.c.id, s.root.path).exit_code, 0);
  auto strict = s.publish(url, "--strict");
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_NE(strict.err.find("verdict claimed, recorded as draft"), std::string::npos) << strict.err;
  ASSERT_EQ(s.publish(url).exit_code, 0);
  auto r = ask(url, "SELECT verdict_tier_claimed, verdict_tier, downgrade_reason FROM campaign_v1");
  EXPECT_EQ(std::get<std::string>(r.rows[0][0]), "verdict");
  EXPECT_EQ(std::get<std::string>(r.rows[0][1]), "draft");
  EXPECT_NE(std::get<std::string>(r.rows[0][2]).find("the config claims verdict, but: "), std::string::npos);
}

TEST_P(Lake, APublishKilledMidwayLeavesThePreviousRows) {
  Smoke s;
  TempDir dir;
  std::string url = fresh_lake(GetParam(), dir);
  ASSERT_EQ(s.publish(url).exit_code, 0);
  std::string before = std::get<std::string>(ask(url, "SELECT published_at FROM campaign_v1").rows[0][0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a republish would carry a later stamp
  fs::path marker = dir.path / "paused";
  std::string cmd = "PERFREPORT_CAMPAIGNS_DIR=" + quote(s.root.path.string()) + " PERFTUNEREPORT_TEST_PUBLISH_PAUSE=" + quote(marker.string()) + " " +
                    quote(PTR_CLI) + " publish_to_lake --campaign " + s.c.id + " --lake " + quote(url) + " >/dev/null 2>&1 & echo $!";
  FILE* f = popen(cmd.c_str(), "r");
  long pid = 0;
  ASSERT_EQ(fscanf(f, "%ld", &pid), 1);
  pclose(f);
  for (int i = 0; i < 300 && !fs::exists(marker); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(fs::exists(marker)) << "the publisher never reached its pause";
  EXPECT_EQ(read_file(marker), "campaign_v1\n");  // mid-transaction: campaign_v1 deleted and rewritten, atlas_v1 deleted next
  ASSERT_EQ(kill(static_cast<pid_t>(pid), SIGKILL), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(std::get<std::string>(ask(url, "SELECT published_at FROM campaign_v1").rows[0][0]), before);
  EXPECT_EQ(count(url, "atlas_v1"), 264);
  EXPECT_EQ(count(url, "campaign_v1"), 1);
  ASSERT_EQ(s.publish(url).exit_code, 0);  // and the lake takes the next publish
  EXPECT_NE(std::get<std::string>(ask(url, "SELECT published_at FROM campaign_v1").rows[0][0]), before);
}

TEST_P(Lake, QuotesAndUnicodeInNamesSurvive) {
  TempDir root, dir;
  std::string url = fresh_lake(GetParam(), dir);
  std::string name = "Ünïcode 'β' \"q\"; DROP TABLE atlas_v1; --";
  std::string model = "Qwen 'β' \"q\" \\ tab\there";
  fs::path cfg = root.path / "c.yaml";
  std::ofstream(cfg) << "name: " << json(name).dump() << "\ncells: []\n";
  auto init = run_cli("--json campaign_init --config " + quote(cfg.string()), root.path);
  ASSERT_EQ(init.exit_code, 0) << init.err;
  std::string id = init.envelope()["result"]["campaign"];
  ASSERT_EQ(run_cli("import_perf_bench --campaign " + id + " --cell h100-sweep --path " + quote((fixtures_dir() / "vllm/sweep-serve").string()) +
                        " --model " + quote(model) + " --hardware H100 --quant FP8 --tensor-parallel 8 --parallel-strategy TP --no-mtp --mbt 8192",
                    root.path)
                .exit_code,
            0);
  ASSERT_EQ(run_cli("atlas_aggregate --campaign " + id, root.path).exit_code, 0);
  ASSERT_EQ(run_cli("report_render --campaign " + id, root.path).exit_code, 0);
  auto r = run_cli("publish_to_lake --campaign " + id + " --lake " + quote(url), root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::get<std::string>(ask(url, "SELECT name FROM campaign_v1").rows[0][0]), name);
  auto m = ask(url, "SELECT DISTINCT model FROM atlas_v1");
  ASSERT_EQ(m.rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(m.rows[0][0]), model);
  EXPECT_GT(count(url, "atlas_v1"), 0);
}

TEST_P(Lake, TwoPublishersAtOnceLeaveOneCopy) {
  Smoke s;
  TempDir other, dir;
  std::string url = fresh_lake(GetParam(), dir);
  fs::copy(s.root.path, other.path, fs::copy_options::recursive);  // the same campaign on a second machine
  fs::last_write_time(other.path / s.c.id / "report.pdf", fs::file_time_type::clock::now());  // the copy does not keep mtimes
  std::string a = "PERFREPORT_CAMPAIGNS_DIR=" + quote(s.root.path.string()) + " " + quote(PTR_CLI) + " publish_to_lake --campaign " + s.c.id +
                  " --lake " + quote(url) + " >/dev/null 2>" + quote((dir.path / "a.err").string());
  std::string b = "PERFREPORT_CAMPAIGNS_DIR=" + quote(other.path.string()) + " " + quote(PTR_CLI) + " publish_to_lake --campaign " + s.c.id +
                  " --lake " + quote(url) + " >/dev/null 2>" + quote((dir.path / "b.err").string());
  int ra = -1, rb = -1;
  std::thread ta([&] { ra = std::system(a.c_str()); }), tb([&] { rb = std::system(b.c_str()); });
  ta.join();
  tb.join();
  EXPECT_EQ(ra, 0) << read_file(dir.path / "a.err");
  EXPECT_EQ(rb, 0) << read_file(dir.path / "b.err");
  EXPECT_EQ(count(url, "campaign_v1"), 1);
  EXPECT_EQ(count(url, "atlas_v1"), 264);
  EXPECT_EQ(count(url, "champion_v1"), 4);
}

TEST_P(Lake, LakeQueryRunsReadOnlySql) {
  Smoke s;
  TempDir dir;
  std::string url = fresh_lake(GetParam(), dir);
  ASSERT_EQ(s.publish(url).exit_code, 0);
  fs::path sql = dir.path / "q.sql";
  std::ofstream(sql) << "SELECT COUNT(*) AS n FROM atlas_v1 WHERE engine = 'sglang'\n";
  auto r = run_cli("--json lake_query --sql " + quote(sql.string()) + " --lake " + quote(url));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.envelope()["result"]["rows"][0]["n"], 6);
  std::ofstream(sql) << "DELETE FROM atlas_v1";
  auto w = run_cli("lake_query --sql " + quote(sql.string()) + " --lake " + quote(url));
  EXPECT_NE(w.exit_code, 0);
  EXPECT_EQ(count(url, "atlas_v1"), 264);
}

// report_render --history: the trend page matches this campaign's
// configurations with the earlier published one and shows the change.
TEST_P(Lake, HistoryPageShowsEarlierPublishedCampaigns) {
  TempDir root, dir;
  std::string url = fresh_lake(GetParam(), dir);
  SmokeCampaign a = build_smoke_campaign(root.path), b = build_smoke_campaign(root.path);
  ASSERT_EQ(run_cli("report_render --campaign " + a.id, root.path).exit_code, 0);
  ASSERT_EQ(run_cli("publish_to_lake --campaign " + a.id + " --lake " + quote(url), root.path).exit_code, 0);
  Campaign cb = open_campaign(root.path, b.id);
  std::string atlas;
  for (auto& cell : read_atlas(cb)) {
    if (cell.cell_id == "ab-h100-sglang")
      for (auto& p : cell.points)
        if (p.output_tok_s_per_gpu) *p.output_tok_s_per_gpu *= 0.8;
    append_atlas_line(cell, atlas);
  }
  atomic_write(cb.dir / "atlas.jsonl", atlas);
  auto r = run_cli("--json report_render --campaign " + b.id + " --history --lake " + quote(url), root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json env = r.envelope();  // kept: a loop over a temporary's member would dangle
  bool drawn = false;
  for (const auto& p : env["result"]["pages"]) drawn = drawn || p["id"] == "history";
  EXPECT_TRUE(drawn) << env["result"]["pages"];
  FILE* f = popen(("pdftotext -layout " + quote((cb.dir / "report.pdf").string()) + " - 2>/dev/null").c_str(), "r");
  std::string text;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  pclose(f);
  EXPECT_NE(text.find("History: this campaign against the lake"), std::string::npos);
  EXPECT_NE(text.find("1 earlier published campaign(s)"), std::string::npos);
  EXPECT_NE(text.find(a.id.substr(0, 16)), std::string::npos);  // its stamp (a long line may wrap inside the id)
  // The SGLang arm's best point, 20 % lower: the only row that moved.
  size_t at = text.find("H100 FP8 TP8 sglang 0.5.5 no MTP · mbt 8192", text.find("Best output tok/s/GPU per configuration"));
  ASSERT_NE(at, std::string::npos) << text.substr(text.find("History: this"), 3000);
  std::string line = text.substr(at, text.find('\n', at) - at);
  EXPECT_NE(line.find("-20.0"), std::string::npos) << line;
  EXPECT_NE(text.find("0 configuration(s) of this campaign have no earlier match."), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, Lake, ::testing::Values("sqlite", "postgresql"));

// Two campaigns of one study, the second with one arm 20 % slower: every
// preset gives the same rows on both backends, and `regressions` finds the arm.
TEST(LakePresets, SameAnswersOnBothBackendsAndTheRegressionFound) {
  TempDir root, dir;
  SmokeCampaign a = build_smoke_campaign(root.path), b = build_smoke_campaign(root.path);
  Campaign cb = open_campaign(root.path, b.id);
  std::vector<AtlasCell> cells = read_atlas(cb);
  std::string atlas;
  for (auto& cell : cells) {
    if (cell.cell_id == "ab-h100-sglang")
      for (auto& p : cell.points) {
        if (p.output_tok_s_per_gpu) *p.output_tok_s_per_gpu *= 0.8;
        if (p.output_tok_s) *p.output_tok_s *= 0.8;
      }
    append_atlas_line(cell, atlas);
  }
  atomic_write(cb.dir / "atlas.jsonl", atlas);
  std::string sqlite = fresh_lake("sqlite", dir), pg = fresh_lake("postgresql", dir);
  for (const auto* id : {&a.id, &b.id}) {
    ASSERT_EQ(run_cli("report_render --campaign " + *id, root.path).exit_code, 0);
    for (const auto* url : {&sqlite, &pg}) {
      auto r = run_cli("publish_to_lake --campaign " + *id + " --lake " + quote(*url), root.path);
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  }
  for (const auto& preset : lake_presets()) {
    json rows[2];
    int i = 0;
    for (const auto* url : {&sqlite, &pg}) {
      auto r = run_cli("--json lake_query --preset " + preset.name + " --lake " + quote(*url));
      ASSERT_EQ(r.exit_code, 0) << preset.name << ": " << r.err;
      rows[i] = r.envelope()["result"]["rows"];
      for (auto& row : rows[i]) row.erase("published_at");  // each backend got its own publish stamp
      ++i;
    }
    EXPECT_FALSE(rows[0].empty()) << preset.name;
    EXPECT_EQ(rows[0], rows[1]) << preset.name;
    if (preset.name == "regressions") {
      ASSERT_EQ(rows[0].size(), 6u) << rows[0];
      for (const auto& r : rows[0]) {
        EXPECT_EQ(r["cell_id"], "ab-h100-sglang");
        EXPECT_EQ(r["campaign_id"], b.id);
        EXPECT_EQ(r["prev_campaign"], a.id);
        EXPECT_NEAR(r["delta_pct"].get<double>(), -20.0, 1e-9);
      }
    }
    if (preset.name == "champion_history") {
      EXPECT_EQ(rows[0].size(), 2u);
    }
  }
}

}  // namespace
}  // namespace ptr::test

namespace ptr::test {
namespace {

// A lake path that holds something other than a SQLite database (a truncated
// copy, another file): one error naming it, exit 1, the file left as it was.
TEST(SqliteLake, AFileThatIsNotADatabaseIsNamedAndLeftAlone) {
  Smoke s;
  TempDir dir;
  fs::path lake = dir.path / "perf-lake.sqlite";
  const std::string garbage = std::string("SQLite format 3") + std::string(40, '\xff') + "not a database\n";
  std::ofstream(lake, std::ios::binary) << garbage;
  auto r = s.publish("sqlite://" + lake.string());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(lake.string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not a database"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(lake), garbage);
}

// Two publishers that create a SQLite lake at once both switch it to WAL; SQLite
// refuses one of them at once (no busy wait) and the open must retry. Raced in
// two processes many times: the refusal came about once in 300 races.
TEST(SqliteLake, TwoFirstOpensAtOnceBothSucceed) {
  TempDir dir;
  int failures = 0;
  for (int i = 0; i < 400; ++i) {
    LakeUrl url = parse_lake_url("sqlite://" + (dir.path / ("lake-" + std::to_string(i) + ".sqlite")).string());
    pid_t kids[2];
    for (pid_t& kid : kids) {
      kid = fork();
      ASSERT_GE(kid, 0);
      if (kid == 0) {
        int code = 0;
        try {
          auto db = open_lake(url);
          LakeTransaction tx(*db);
          db->exec("CREATE TABLE IF NOT EXISTS t (x BIGINT)");
          tx.commit();
        } catch (const Error&) {
          code = 1;
        }
        _exit(code);
      }
    }
    for (pid_t kid : kids) {
      int status = 0;
      waitpid(kid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
    }
  }
  EXPECT_EQ(failures, 0);
}

// Over MCP a sqlite:// lake must lie under the campaigns root; URLs other than
// sqlite:// and postgresql:// are refused; a password never comes back.
TEST(LakeUrl, ConfinementFormsAndElidedPassword) {
  TempDir root;
  EXPECT_NO_THROW(default_lake_url(root.path, "", true));  // the default, under the root
  EXPECT_NO_THROW(default_lake_url(root.path, "sqlite://" + (root.path / "sub/lake.sqlite").string(), true));
  EXPECT_THROW(default_lake_url(root.path, "sqlite:///etc/lake.sqlite", true), Error);
  EXPECT_THROW(default_lake_url(root.path, "sqlite://../outside.sqlite", true), Error);
  EXPECT_NO_THROW(default_lake_url(root.path, "sqlite:///etc/lake.sqlite", false));  // the CLI takes it as given
  EXPECT_THROW(parse_lake_url("mysql://x"), Error);
  EXPECT_THROW(parse_lake_url("s3://perf-lake/prefix"), Error);
  EXPECT_EQ(parse_lake_url("postgresql://lake:s3cret@db.example:5432/perf").display, "postgresql://lake:***@db.example:5432/perf");
  EXPECT_EQ(parse_lake_url("postgresql:///perf?user=x&password=s3cret&sslmode=require").display,
            "postgresql:///perf?user=x&password=***&sslmode=require");
}

}  // namespace
}  // namespace ptr::test
