// Per-request data end to end: import writes cells/<id>/requests.csv beside
// normalized.json (AIPerf records folded into their aggregate's point), the
// report draws the latency distribution page from it in PDF and HTML, and a
// campaign without per-request data records the page as omitted.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

const std::string kFlags = " --model Qwen3-0.6B --hardware H100 --quant BF16 --tensor-parallel 1 --parallel-strategy TP --no-mtp";

std::string init(const TempDir& root) {
  fs::path cfg = root.path / "c.yaml";
  std::ofstream(cfg) << "name: rq\ncells: []\n";
  auto r = run_cli("--json campaign_init --config " + quote(cfg.string()), root.path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.envelope()["result"]["campaign"];
}

std::string pdf_text(const fs::path& pdf) {
  std::string out;
  if (FILE* p = popen(("pdftotext -layout " + quote(pdf.string()) + " - 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    pclose(p);
  }
  return out;
}

TEST(RequestTableE2e, ImportWritesTheTableAndTheReportDrawsTheDistributions) {
  TempDir root;
  std::string id = init(root);
  auto imp = run_cli("import_perf_bench --campaign rq --cell qwen --isl 100 --osl 200 --path " +
                         quote((fixtures_dir() / "aiperf/v0.2x-qwen-c1__profile_export_aiperf.json").string()) + " --path " +
                         quote((fixtures_dir() / "aiperf/v0.2x-qwen-c1__profile_export.jsonl").string()) + kFlags,
                     root.path);
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  fs::path cell = root.path / id / "cells/qwen";
  std::string table = read_file(cell / "requests.csv");
  EXPECT_EQ(table.rfind("point,trial,ttft_ms,tpot_ms,e2el_ms,output_tokens\n0,0,31.742933999999998,18.153352603015076,3644.2601019999997,200\n", 0), 0u)
      << table.substr(0, 200);
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 11);  // header + the 10 recorded requests
  json norm = load_json(cell / "normalized.json");
  ASSERT_EQ(norm["points"].size(), 1u);
  const json& pr = norm["points"][0]["extra"]["per_request"];
  EXPECT_EQ(pr["requests"], 10);
  EXPECT_EQ(pr["table"], "requests.csv");
  EXPECT_EQ(pr["from"], json::array({"raw/v0.2x-qwen-c1__profile_export.jsonl"}));
  EXPECT_EQ(norm["points"][0]["completed"], 64);  // the aggregate's count: the records hold only part of the run

  ASSERT_EQ(run_cli("atlas_aggregate --campaign rq", root.path).exit_code, 0);
  auto render = run_cli("report_render --campaign rq --format both --pages latency_distribution", root.path);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  std::string text = pdf_text(root.path / id / "report.pdf");
  EXPECT_NE(text.find("Latency distributions per request"), std::string::npos) << text;
  // p50 / p90 / p99 of the 10 records (numpy linear): TTFT 31.43 / 32.71 / 32.82 ms,
  // TPOT 18.13 / 18.19 / 18.23 ms, E2E 3638 / 3651 / 3659 ms; 10 of the 64 completed requests.
  for (const char* want : {"31.43", "32.71", "32.82", "18.13", "18.19", "18.23", "3638", "3651", "3659", "10 of 64", "c=1 (SLA point)"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  std::string html = read_file(root.path / id / "report.html");
  EXPECT_NE(html.find("data-page-id=\"latency_distribution\""), std::string::npos);
  EXPECT_NE(html.find("\"table\":\"cells/qwen/requests.csv\""), std::string::npos);  // the tooltip's link to the table

  // A damaged table stops the render, naming the file and line; nothing is replaced.
  std::string before = read_file(root.path / id / "report.pdf");
  std::ofstream(cell / "requests.csv", std::ios::app) << "0,0,abc,1,2,3\n";
  auto bad = run_cli("report_render --campaign rq --pages latency_distribution", root.path);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find((cell / "requests.csv").string() + ":12"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("ttft_ms must be a finite number"), std::string::npos) << bad.err;
  EXPECT_EQ(read_file(root.path / id / "report.pdf"), before);
}

TEST(RequestTableE2e, WithoutPerRequestDataThePageIsARecordedOmission) {
  TempDir root;
  std::string id = init(root);
  auto imp = run_cli("import_perf_bench --campaign rq --cell qwen --path " +
                         quote((fixtures_dir() / "aiperf/v0.2x-qwen-c1__profile_export_aiperf.json").string()) + kFlags,
                     root.path);
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_FALSE(fs::exists(root.path / id / "cells/qwen/requests.csv"));
  ASSERT_EQ(run_cli("atlas_aggregate --campaign rq", root.path).exit_code, 0);
  auto render = run_cli("--json report_render --campaign rq", root.path);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  json status = load_json(root.path / id / "report_status.json");
  bool omitted = false;
  for (const auto& o : status["omitted_pages"])
    if (o["page"] == "latency_distribution") {
      omitted = true;
      EXPECT_NE(o["reason"].get<std::string>().find("per-request data"), std::string::npos) << o;
      EXPECT_NE(o["how_to_fix"].get<std::string>().find("--save-detailed"), std::string::npos) << o;
    }
  EXPECT_TRUE(omitted) << status["omitted_pages"];
}

}  // namespace
}  // namespace ptr::test
