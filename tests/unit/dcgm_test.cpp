// DCGM telemetry parsers (dcgmi dmon, dcgm-exporter exposition in or out of
// Markdown, Prometheus API JSON, dcgm_frozen_v1) on the real scrapes in
// acceptance/telemetry and the reference's samples (roofline-dcgm.md §4);
// the bandwidth formula against the reference's H100 numbers.
#include <gtest/gtest.h>

#include <fstream>

#include "analysis/dcgm_correlation.hpp"
#include "ingest/discover.hpp"
#include "model/telemetry_names.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ptr::test {
namespace {

using namespace telemetry;

IngestBatch read_one(const fs::path& p) { return ingest_paths({p}, "auto"); }

fs::path write(const TempDir& d, const std::string& name, const std::string& text) {
  fs::path p = d.path / name;
  std::ofstream(p) << text;
  return p;
}

TEST(Dcgm, ExporterScrapeInsideMarkdownWithoutHelpLines) {
  IngestBatch b = read_one(acceptance_dir() / "telemetry/dcgm-exporter/ericsson-ccd-t4-accelerator_metrics.md");
  ASSERT_EQ(b.telemetry.size(), 1u);
  const auto& s = b.telemetry[0];
  EXPECT_EQ(s.format, "dcgm-exporter-prometheus");
  EXPECT_EQ(s.clock, "none");  // a scrape carries no timestamps
  EXPECT_EQ(s.node, "cp-bm14r7");
  ASSERT_EQ(s.samples.size(), 1u);
  const auto& m = s.samples[0].metric;
  EXPECT_DOUBLE_EQ(m.at(kDramActivePct), 9.2781);   // 0.092781, a ratio
  EXPECT_DOUBLE_EQ(m.at(kGrActivePct), 15.6205);
  EXPECT_DOUBLE_EQ(m.at(kTensorActivePct), 0.5822);
  EXPECT_DOUBLE_EQ(m.at(kPowerW), 68.244);
  EXPECT_DOUBLE_EQ(m.at(kSmClockMhz), 660);
  EXPECT_DOUBLE_EQ(m.at(kGpuUtilPct), 91);
}

TEST(Dcgm, ExporterScrapeWithHelpLinesAndTheApiResponse) {
  IngestBatch b = read_one(acceptance_dir() / "telemetry/dcgm-exporter/upcloud-uks-l40s-accelerator-metrics.md");
  ASSERT_EQ(b.telemetry.size(), 1u);
  EXPECT_EQ(b.telemetry[0].node, "gpu1-wl8sg");
  EXPECT_DOUBLE_EQ(b.telemetry[0].samples[0].metric.at(kPowerW), 35.686);
  EXPECT_DOUBLE_EQ(b.telemetry[0].samples[0].metric.at(kSmClockMhz), 210);
  IngestBatch api = read_one(acceptance_dir() / "telemetry/dcgm-exporter/upcloud-uks-l40s-ai-service-metrics.md");
  ASSERT_EQ(api.telemetry.size(), 1u);
  EXPECT_EQ(api.telemetry[0].format, "prometheus-api-json");
  EXPECT_EQ(api.telemetry[0].clock, "utc");
  EXPECT_NEAR(*api.telemetry[0].samples[0].t_s, 1775721747.082, 1e-6);
  EXPECT_DOUBLE_EQ(api.telemetry[0].samples[0].metric.at(kGpuTempC), 32);
}

TEST(Dcgm, ConcatenatedScrapesLowercaseLabelsAndQueryRange) {
  TempDir d;
  std::string scrape;
  for (double dram : {0.5, 0.7})
    for (int gpu : {0, 1})
      scrape += "DCGM_FI_PROF_DRAM_ACTIVE{gpu=\"" + std::to_string(gpu) + "\",uuid=\"GPU-x\",hostname=\"node-7\"} " +
                std::to_string(dram + gpu * 0.1) + "\nDCGM_FI_DEV_POWER_USAGE{gpu=\"" + std::to_string(gpu) +
                "\",uuid=\"GPU-x\",hostname=\"node-7\"} 500.000000\n";
  IngestBatch b = read_one(write(d, "metrics.txt", scrape));
  ASSERT_EQ(b.telemetry.size(), 1u);
  EXPECT_EQ(b.telemetry[0].node, "node-7");
  EXPECT_EQ(b.telemetry[0].samples.size(), 4u);  // two scrapes of two GPUs
  std::string range = R"({"status":"success","data":{"resultType":"matrix","result":[
    {"metric":{"__name__":"DCGM_FI_PROF_DRAM_ACTIVE","gpu":"0","Hostname":"node-7"},"values":[[1764264752,"0.6"],[1764264753,"0.62"]]},
    {"metric":{"__name__":"DCGM_FI_DEV_POWER_USAGE","gpu":"0","Hostname":"node-7"},"values":[[1764264752,"410.5"],[1764264753,"NaN"]]}]}})";
  IngestBatch r = read_one(write(d, "range.json", range));
  ASSERT_EQ(r.telemetry.size(), 1u);
  const auto& s = r.telemetry[0];
  ASSERT_EQ(s.samples.size(), 2u);
  EXPECT_DOUBLE_EQ(s.samples[0].metric.at(kDramActivePct), 60);
  EXPECT_DOUBLE_EQ(s.samples[0].metric.at(kPowerW), 410.5);
  EXPECT_EQ(s.samples[1].metric.count(kPowerW), 0u);  // NaN is no value
  EXPECT_EQ(s.sample_period_s, 1);
}

// The reference's dmon sample (§4.2), with N/A, a repeated header, a link row
// and the stop line.
TEST(Dcgm, DcgmiDmonByWhitespace) {
  TempDir d;
  std::string text =
      "#Entity    SMACT        SMOCC        TENSO        DRAMA        POWER             NVLTX             \n"
      "ID                                                              W                                   \n"
      "GPU 0      0.812        0.301        0.402        0.655        512.345           123456789         \n"
      "GPU 1      N/A          0.301        0.402        0.700        498.000           123456789         \n"
      "GPU 0 LINK 3  0.1 0.1 0.1 0.1 0.1 0.1\n"
      "#Entity    SMACT        SMOCC        TENSO        DRAMA        POWER             NVLTX             \n"
      "ID                                                              W                                   \n"
      "GPU 0      0.800        0.300        0.400        0.645        510.000           100000000         \n"
      "\n\ndmon was stopped due to receiving a signal\n";
  IngestBatch b = read_one(write(d, "dmon.txt", text));
  ASSERT_EQ(b.telemetry.size(), 1u);
  const auto& s = b.telemetry[0];
  EXPECT_EQ(s.format, "dcgmi-dmon");
  EXPECT_EQ(s.clock, "none");
  ASSERT_EQ(s.samples.size(), 3u);
  EXPECT_DOUBLE_EQ(s.samples[0].metric.at(kSmActivePct), 81.2);
  EXPECT_DOUBLE_EQ(s.samples[0].metric.at(kDramActivePct), 65.5);
  EXPECT_DOUBLE_EQ(s.samples[0].metric.at(kPowerW), 512.345);
  EXPECT_DOUBLE_EQ(s.samples[0].metric.at(kNvlinkTxBytesS), 123456789);
  EXPECT_EQ(s.samples[1].gpu, 1);
  EXPECT_EQ(s.samples[1].metric.count(kSmActivePct), 0u);  // N/A
  try {
    read_one(write(d, "bad.txt", "#Entity SMACT DRAMA\nID\nGPU 0 0.5 lots\n"));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.line, 3);
    EXPECT_EQ(e.key, "DRAMA");
  }
}

TEST(Dcgm, HostileExpositionAndApiInput) {
  TempDir d;
  // NaN is Prometheus's "no value"; -Inf is an error naming the line and metric.
  IngestBatch b = read_one(write(d, "nan.txt", "DCGM_FI_PROF_DRAM_ACTIVE{gpu=\"0\"} NaN\nDCGM_FI_DEV_POWER_USAGE{gpu=\"0\"} 300\n"
                                               "DCGM_FI_PROF_SM_ACTIVE{gpu=\"0\"} 0.5\n"));
  ASSERT_EQ(b.telemetry.size(), 1u);
  EXPECT_EQ(b.telemetry[0].samples[0].metric.count(kDramActivePct), 0u);
  EXPECT_DOUBLE_EQ(b.telemetry[0].samples[0].metric.at(kPowerW), 300);
  try {
    read_one(write(d, "inf.txt", "DCGM_FI_PROF_DRAM_ACTIVE{gpu=\"0\"} 0.5\nDCGM_FI_DEV_POWER_USAGE{gpu=\"0\"} -Inf\n"));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.line, 2);
    EXPECT_EQ(e.key, "DCGM_FI_DEV_POWER_USAGE");
  }
  // A response cut before any closing brace, and one nested 100k deep.
  std::string cut = R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"DCGM_FI_PROF_DRAM_ACTIVE"})";
  cut.resize(cut.size() - 1);
  EXPECT_THROW(read_one(write(d, "cut.json", cut.substr(0, cut.rfind('}')))), Error);
  EXPECT_THROW(read_one(write(d, "deep.json", R"({"status":"success","resultType":"matrix","x":"DCGM_FI_","data":)" + std::string(100000, '[') + "}")), Error);
}

TEST(Dcgm, FrozenSnapshotNeedsItsWindowAndNode) {
  TempDir d;
  IngestBatch b = read_one(write(d, "frozen.yaml",
                                 "schema: dcgm_frozen_v1\nnode: gpu-node-3\n"
                                 "window: {start: 2026-11-27T17:32:32Z, end: 2026-11-27T17:35:00Z}\n"
                                 "gpus:\n  - gpu: 0\n    means: {DCGM_FI_PROF_DRAM_ACTIVE: 0.63, DCGM_FI_PROF_SM_ACTIVE: 0.59}\n"
                                 "  - gpu: 1\n    series:\n      - {t: 2026-11-27T17:33:00Z, DCGM_FI_PROF_DRAM_ACTIVE: 0.61}\n"
                                 "power_watts_per_gpu: 409\n"));
  ASSERT_EQ(b.telemetry.size(), 1u);
  const auto& s = b.telemetry[0];
  EXPECT_EQ(s.node, "gpu-node-3");
  ASSERT_TRUE(s.frozen_window);
  EXPECT_DOUBLE_EQ(s.samples[0].metric.at(kDramActivePct), 63);
  EXPECT_DOUBLE_EQ(s.samples[1].metric.at(kPowerW), 409);
  for (const auto& [text, key] : std::vector<std::pair<std::string, std::string>>{
           {"schema: dcgm_frozen_v1\nwindow: {start: 2026-11-27T17:32:32Z, end: 2026-11-27T17:35:00Z}\ngpus: [{gpu: 0, means: {}}]\n",
            "node"},
           {"schema: dcgm_frozen_v1\nnode: gpu-node-9\ngpus: [{gpu: 0, means: {}}]\n", "window"},
           {"schema: dcgm_frozen_v1\nnode: gpu-node-9\nwindow: {start: 2026-11-27 17:32:32, end: 2026-11-27T17:35:00Z}\ngpus: []\n",
            "window.start"},
           {"schema: dcgm_frozen_v1\nnode: gpu-node-9\nwindow: {start: 2026-11-27T17:32:32Z, end: 2026-11-27T17:35:00Z}\n"
            "gpus: [{gpu: 0, means: {DCGM_FI_MADE_UP: 1}}]\n",
            "gpus[0].means.DCGM_FI_MADE_UP"},
           {"schema: dcgm_frozen_v1\nnode: gpu-node-9\nwindow: {start: [1, 2\n", ""}}) {
    try {
      read_one(write(d, "bad.yaml", text));
      FAIL() << text;
    } catch (const Error& e) {
      if (!key.empty()) { EXPECT_EQ(e.key, key) << e.what(); }
    }
  }
}

// Reference §4.4: a 4 GiB copy at 90 % DRAM_ACTIVE on H100 (3,352.3 GB/s
// theoretical) is ~3,017 GB/s.
TEST(Dcgm, BandwidthFromDramActive) { EXPECT_NEAR(dcgm_bandwidth_tb_s(90, 3.3523), 3.017, 0.0005); }

TEST(Dcgm, TruncatedQueryLogKeepsItsCompleteRows) {
  IngestBatch b = read_one(acceptance_dir() / "telemetry/nvidia-smi/energy-inference-llama2-13b-swing-a100-nvidia-smi.csv");
  ASSERT_EQ(b.telemetry.size(), 1u);
  EXPECT_EQ(b.telemetry[0].samples.size(), 2710u);
  EXPECT_TRUE(b.telemetry[0].truncated);
  bool warned = false;
  for (const auto& w : b.warnings) warned = warned || w.kind == "truncated_capture";
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace ptr::test
