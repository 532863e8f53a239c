// Issue 9, silent corruption: --out never replaces a file this tool did not
// write (unless --force), and Markdown written from config strings keeps
// each string inside its line or table cell.
#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

std::string campaign_with_a_point(const TempDir& root) {
  fs::path cfg = root.path / "c.yaml";
  std::ofstream(cfg) << "name: out\ncells: []\n";
  auto init = run_cli("--json campaign_init --config " + quote(cfg.string()), root.path);
  EXPECT_EQ(init.exit_code, 0) << init.err;
  auto imp = run_cli("import_perf_bench --campaign out --cell qwen --path " +
                         quote((fixtures_dir() / "aiperf/v0.2x-qwen-c1__profile_export_aiperf.json").string()) +
                         " --model Qwen3-0.6B --hardware H100 --quant BF16 --tensor-parallel 1 --parallel-strategy TP --no-mtp",
                     root.path);
  EXPECT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_EQ(run_cli("atlas_aggregate --campaign out", root.path).exit_code, 0);
  return init.envelope()["result"]["campaign"];
}

TEST(OutputSafety, OutRefusesAFileThisToolDidNotWriteUnlessForced) {
  TempDir root;
  campaign_with_a_point(root);
  fs::path mine = root.path / "docs" / "thesis.pdf";
  fs::create_directories(mine.parent_path());
  std::ofstream(mine) << "%PDF-1.7\nsomeone's thesis\n";
  auto r = run_cli("report_render --campaign out --pages page1 --out " + quote(mine.string()), root.path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(mine.string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("exists and was not written by perftunereport; nothing was written"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(mine), "%PDF-1.7\nsomeone's thesis\n");
  EXPECT_FALSE(fs::exists(mine.parent_path() / "report_status.json"));  // nothing beside it either

  // With --force it is replaced; a second render replaces its own PDF without being asked.
  ASSERT_EQ(run_cli("report_render --campaign out --pages page1 --force --out " + quote(mine.string()), root.path).exit_code, 0);
  EXPECT_EQ(read_file(mine).rfind("%PDF-", 0), 0u);
  auto again = run_cli("report_render --campaign out --pages page1 --out " + quote(mine.string()), root.path);
  EXPECT_EQ(again.exit_code, 0) << again.err;

  // A foreign report_status.json beside --out, and a foreign HTML file, are refused the same way.
  fs::path other = root.path / "elsewhere" / "r.pdf";
  fs::create_directories(other.parent_path());
  std::ofstream(other.parent_path() / "report_status.json") << "{\"mine\": true}\n";
  auto status = run_cli("report_render --campaign out --pages page1 --out " + quote(other.string()), root.path);
  EXPECT_EQ(status.exit_code, 1);
  EXPECT_NE(status.err.find("report_status.json"), std::string::npos) << status.err;
  EXPECT_NE(status.err.find("exists and was not written by perftunereport"), std::string::npos) << status.err;
  EXPECT_FALSE(fs::exists(other));
  fs::path page = root.path / "index.html";
  std::ofstream(page) << "<!DOCTYPE html>\n<title>my page</title>\n";
  auto html = run_cli("report_render --campaign out --pages page1 --format html --out " + quote(page.string()), root.path);
  EXPECT_EQ(html.exit_code, 1);
  EXPECT_EQ(read_file(page), "<!DOCTYPE html>\n<title>my page</title>\n");
  // A folder at --out is never a report.
  auto dir = run_cli("report_render --campaign out --pages page1 --force --out " + quote((root.path / "docs").string()), root.path);
  EXPECT_EQ(dir.exit_code, 1);
}

// Every verb writes through atomic_write: a killed writer's temp file of the
// same target is removed by the next write (pid gone), a live writer's kept.
TEST(OutputSafety, StaleTempFilesOfKilledWritersAreRemovedByTheNextWrite) {
  TempDir root;
  std::string id = campaign_with_a_point(root);
  fs::path dir = root.path / id;
  fs::path dead = dir / ".atlas.jsonl.tmp.2147483000.0", live = dir / (".atlas.jsonl.tmp." + std::to_string(getpid()) + ".0");
  fs::path other = dir / ".summary.md.tmp.2147483000.0";
  for (const auto& f : {dead, live, other}) std::ofstream(f) << "partial";
  ASSERT_EQ(run_cli("atlas_aggregate --campaign out", root.path).exit_code, 0);
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(live));   // this test process still runs
  EXPECT_TRUE(fs::exists(other));  // a temp of a file this verb did not write
}

TEST(OutputSafety, MarkdownFromConfigStringsStaysInItsCellAndLine) {
  TempDir root;
  fs::path cfg = root.path / "c.yaml";
  std::ofstream(cfg) << "name: \"pipes | and\\nnewlines\"\ndescription: \"line one\\n# not a heading\"\n"
                        "cells:\n  - {cell_id: c1, model: \"a|b\", hardware: H100, quant: FP8, tensor_parallel: 8,"
                        " parallel_strategy: TP, mtp: false, max_num_batched_tokens: 8192, concurrencies: [1]}\n";
  auto init = run_cli("--json campaign_init --config " + quote(cfg.string()), root.path);
  ASSERT_EQ(init.exit_code, 0) << init.err;
  std::string md = read_file(root.path / init.envelope()["result"]["campaign"].get<std::string>() / "summary.md");
  EXPECT_EQ(md.rfind("# pipes \\| and<br>newlines\n", 0), 0u) << md;
  EXPECT_NE(md.find("\nline one<br># not a heading\n"), std::string::npos) << md;
  EXPECT_EQ(md.find("\n# not a heading"), std::string::npos) << md;
  EXPECT_NE(md.find("| c1 | a\\|b | H100 |"), std::string::npos) << md;
}

}  // namespace
}  // namespace ptr::test
