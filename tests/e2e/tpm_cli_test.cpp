// tpm_summary end to end on real imported fixtures: the JSON, CSV and
// Markdown agree with each other and with the report's TPM page.
#include <algorithm>

#include "campaign/smoke_fixture.hpp"
#include "test_support.hpp"
#include "util/csv.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

std::string fmt_format_0(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::string sh(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while (p && (n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (p) pclose(p);
  return out;
}

struct Imported {
  TempDir root;
  std::string id;
  Imported() {
    auto init = run_cli("--json campaign_init --config " + quote((source_dir() / "configs/campaigns/example.yaml").string()), root.path);
    id = init.envelope()["result"]["campaign"];
    EXPECT_EQ(run_cli("import_perf_bench --campaign example --cell h100-fp8-tp8-mbt8192 --path " +
                          quote((fixtures_dir() / "vllm/sweep-serve").string()), root.path).exit_code, 0);
    EXPECT_EQ(run_cli("import_perf_bench --campaign example --cell b200-nvfp4-tp4-mbt16384 --path " +
                          quote((fixtures_dir() / "sglang/tp8_dp1_Qwen3-8B_in1024_out128_p100_c100_38769a.jsonl").string()),
                      root.path).exit_code, 0);
    EXPECT_EQ(run_cli("atlas_aggregate --campaign example", root.path).exit_code, 0);
  }
};

TEST(TpmCli, JsonCsvMarkdownAndPdfAgree) {
  Imported c;
  auto r = run_cli("--json tpm_summary --campaign example --tpot-sla-ms 12.5", c.root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path dir = c.root.path / c.id;
  json doc = load_json(dir / "tpm_summary.json");
  EXPECT_EQ(doc["schema"], "tpm_summary/v1");
  EXPECT_DOUBLE_EQ(doc["config"]["tpot_sla_ms"].get<double>(), 12.5);
  EXPECT_DOUBLE_EQ(doc["config"]["ttft_sla_ms"].get<double>(), 2000);  // example.yaml tpm block
  EXPECT_DOUBLE_EQ(doc["config"]["cost_per_gpu_hour"]["H100"]["usd_per_gpu_hour"].get<double>(), 6.16);
  const json& rows = doc["rows"];
  ASSERT_EQ(rows.size(), 4u);  // 2 groups x (peak, sla)
  auto csv = parse_csv(read_file(dir / "tpm_summary.csv"), "tpm_summary.csv");
  ASSERT_EQ(csv.size(), rows.size() + 1);
  const auto& header = csv[0];
  std::string md = read_file(dir / "tpm_summary.md");
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t k = 0; k < header.size(); ++k) {
      const json& v = rows[i][header[k]];
      const std::string& cell = csv[i + 1][k];
      if (v.is_null()) {
        EXPECT_EQ(cell, "") << header[k];
      } else if (v.is_number_float()) {
        EXPECT_DOUBLE_EQ(std::stod(cell), v.get<double>()) << header[k];
      }
    }
    if (!rows[i]["output_tpm_per_gpu"].is_null()) {
      EXPECT_NE(md.find(fmt_format_0(rows[i]["output_tpm_per_gpu"].get<double>())), std::string::npos);
    }
  }
  // The H100 sweep crosses 12.5 ms TPOT inside the sweep: an interpolated SLA point.
  const json* sla = nullptr;
  for (const auto& row : rows)
    if (row["hardware"] == "H100" && row["point"] == "sla") sla = &row;
  ASSERT_NE(sla, nullptr);
  EXPECT_EQ((*sla)["sla_status"], "interpolated");
  EXPECT_EQ((*sla)["binding_constraint"], "tpot");
  // The PDF's TPM page shows the same numbers (rendered with the config's SLA, so re-run with matching limits).
  ASSERT_EQ(run_cli("tpm_summary --campaign example", c.root.path).exit_code, 0);
  json plain = load_json(dir / "tpm_summary.json");
  ASSERT_EQ(run_cli("report_render --campaign example", c.root.path).exit_code, 0);
  std::string text = sh("pdftotext -layout " + quote((dir / "report.pdf").string()) + " - 2>/dev/null");
  text.erase(std::remove(text.begin(), text.end(), ','), text.end());
  int found = 0;
  for (const auto& row : plain["rows"]) {
    for (const char* col : {"output_tpm_per_gpu", "output_tpm_per_replica", "output_tpm_per_node"}) {
      if (row[col].is_null()) continue;
      EXPECT_NE(text.find(fmt_format_0(row[col].get<double>())), std::string::npos) << col;
      ++found;
    }
    if (!row["usd_per_1m_output_tokens"].is_null()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3f", row["usd_per_1m_output_tokens"].get<double>());
      EXPECT_NE(text.find(buf), std::string::npos) << buf;
    }
  }
  EXPECT_GE(found, 6);
}

TEST(TpmCli, StrictRefusesOnMethodologyProblemsAndWritesNothing) {
  Imported c;
  auto r = run_cli("tpm_summary --campaign example --strict", c.root.path);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--strict:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown in"), std::string::npos) << r.err;  // e.g. engine_version unknown in 2 cell(s)
  EXPECT_FALSE(fs::exists(c.root.path / c.id / "tpm_summary.json"));
}

}  // namespace
}  // namespace ptr::test


namespace ptr::test {
namespace {

// The synthetic smoke campaign, kept on disk: tpm_summary and the report's
// TPM page agree number for number (the smoke config sets TPOT <= 25 ms).
TEST(TpmCli, SmokeCampaignTablesAgreeWithTheReportPage) {
  TempDir root;
  SmokeCampaign smoke = build_smoke_campaign(root.path);
  auto r = run_cli("--json tpm_summary --campaign " + smoke.id, root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = load_json(smoke.dir / "tpm_summary.json");
  EXPECT_EQ(doc["methodology_problems"].size(), 0u);
  EXPECT_DOUBLE_EQ(doc["config"]["tpot_sla_ms"].get<double>(), 25);
  ASSERT_EQ(doc["rows"].size(), 24u);  // (8 sweep variants + 4 A/B arms) x (peak, sla)
  int interpolated = 0;
  for (const auto& row : doc["rows"])
    if (row["sla_status"] == "interpolated") ++interpolated;
  EXPECT_GE(interpolated, 2);
  // champion_select's operating point is tpm_summary's SLA point, arm for arm.
  json champion = load_json(smoke.dir / "champion_select.json");
  ASSERT_EQ(champion["ranked"].size(), 4u);  // the A/B arms only, not the sweep cells beside them
  for (const auto& ranked : champion["ranked"]) {
    auto row = std::find_if(doc["rows"].begin(), doc["rows"].end(),
                            [&](const json& r) { return r["point"] == "sla" && r["cell_id"] == ranked["cell"]; });
    ASSERT_NE(row, doc["rows"].end()) << ranked["cell"];
    EXPECT_NEAR(ranked["score"].get<double>(), (*row)["output_tok_s_per_gpu"].get<double>(), 1e-9) << ranked["cell"];
    EXPECT_NEAR(ranked["at_concurrency"].get<double>(), (*row)["concurrency"].get<double>(), 1e-9) << ranked["cell"];
  }
  ASSERT_EQ(run_cli("report_render --campaign " + smoke.id, root.path).exit_code, 0);
  std::string text = sh("pdftotext -layout " + quote((smoke.dir / "report.pdf").string()) + " - 2>/dev/null");
  EXPECT_NE(text.find("DRAFT — RECOMMENDED FOR PRODUCTION: " + champion["champion"].get<std::string>()), std::string::npos);
  text.erase(std::remove(text.begin(), text.end(), ','), text.end());
  for (const auto& row : doc["rows"]) {
    if (row["output_tpm_per_gpu"].is_null()) continue;
    EXPECT_NE(text.find(fmt_format_0(row["output_tpm_per_gpu"].get<double>())), std::string::npos) << row["group"];
    EXPECT_NE(text.find(fmt_format_0(row["output_tpm_per_node"].get<double>())), std::string::npos) << row["group"];
  }
}

}  // namespace
}  // namespace ptr::test
