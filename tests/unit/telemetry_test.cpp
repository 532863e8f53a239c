// Typed ingest products: nvidia-smi dmon / query CSV, AIPerf GPU telemetry,
// config.json and the roofline table, and the alignment of samples to a
// point's UTC window (the H100 capture in fixtures/gpu).
#include <gtest/gtest.h>

#include <fstream>

#include "analysis/telemetry_window.hpp"
#include "ingest/discover.hpp"
#include "model/telemetry_names.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/timestamp.hpp"

namespace ptr::test {
namespace {

IngestBatch read_one(const fs::path& p) { return ingest_paths({p}, "auto"); }

double utc(const std::string& s) { return parse_timestamp(s)->seconds; }

const TelemetrySeries& dmon_series() {
  static IngestBatch b = read_one(fixtures_dir() / "gpu" / "nvidia-smi-dmon.txt");
  return b.telemetry.at(0);
}

TEST(Telemetry, DmonIsASeriesOnTheHostClockWithGpmColumnsLagged) {
  IngestBatch b = read_one(fixtures_dir() / "gpu" / "nvidia-smi-dmon.txt");
  ASSERT_EQ(b.files.size(), 1u);
  EXPECT_EQ(b.files[0].format, "nvidia-smi-dmon");
  EXPECT_TRUE(b.results.empty());
  ASSERT_EQ(b.telemetry.size(), 1u);
  const auto& s = b.telemetry[0];
  EXPECT_EQ(s.clock, "host-local");
  EXPECT_EQ(s.sample_period_s, 1.0);
  EXPECT_EQ(s.samples.size(), 74u);  // the header repeats once
  // '-' in the first two GPM samples is missing, not 0.
  EXPECT_EQ(s.samples[0].metric.count(telemetry::kDramActivePct), 0u);
  EXPECT_EQ(s.samples[0].metric.at(telemetry::kPowerW), 74);
  EXPECT_EQ(s.samples[2].metric.at(telemetry::kDramActivePct), 0);
  EXPECT_EQ(*s.samples[0].t_s, utc("2026-11-27T17:32:23Z"));
  EXPECT_TRUE(s.lagged_metrics.count(telemetry::kDramActivePct));
  EXPECT_TRUE(s.lagged_metrics.count(telemetry::kTensorActivePct));
  EXPECT_FALSE(s.lagged_metrics.count(telemetry::kPowerW));
  EXPECT_FALSE(s.lagged_metrics.count(telemetry::kSmClockMhz));
}

TEST(Telemetry, QueryCsvStripsUnitsAndKeepsTheQuarterSecondPeriod) {
  IngestBatch b = read_one(fixtures_dir() / "gpu" / "nvidia-smi-query.csv");
  ASSERT_EQ(b.telemetry.size(), 1u);
  const auto& s = b.telemetry[0];
  EXPECT_EQ(s.format, "nvidia-smi-query-csv");
  EXPECT_EQ(s.clock, "host-local");
  EXPECT_NEAR(s.sample_period_s, 0.25, 0.01);
  EXPECT_EQ(s.samples[0].metric.at(telemetry::kPowerW), 74.16);
  EXPECT_EQ(s.samples[0].metric.at(telemetry::kPowerInstantW), 74.14);
  EXPECT_EQ(s.samples[0].metric.at(telemetry::kSmClockMhz), 345);
  EXPECT_EQ(s.samples[0].metric.at(telemetry::kMemClockMhz), 2619);
  EXPECT_NEAR(*s.samples[0].t_s, utc("2026-11-27T17:32:23.788Z"), 1e-6);
}

// Values computed by hand from the capture (see the edge rule in telemetry_window.hpp).
TEST(Telemetry, WindowOfBatchOneDecodeDropsEdgesAndShiftsGpmColumns) {
  const auto& s = dmon_series();
  auto w = window_telemetry(s, utc("2026-11-27T17:32:32.026579Z"), utc("2026-11-27T17:32:35.166413Z"));
  ASSERT_TRUE(w);
  EXPECT_EQ(w->samples_in_window, 3u);  // 17:32:33, :34, :35
  EXPECT_EQ(w->samples_used, 1u);
  EXPECT_TRUE(w->edges_dropped);
  EXPECT_EQ(w->mean.at(telemetry::kPowerW), 409);
  EXPECT_EQ(w->mean.at(telemetry::kDramActivePct), 63);  // :34, :35, :36 -> :35
  EXPECT_EQ(w->mean.at(telemetry::kSmClockMhz), 1980);
  // Decode at batch 32: unshifted the middle GPM sample reads 15 % (the
  // previous point's tail); shifted it reads the point itself.
  auto w32 = window_telemetry(s, utc("2026-11-27T17:32:54.751940Z"), utc("2026-11-27T17:32:57.914431Z"));
  EXPECT_EQ(w32->mean.at(telemetry::kDramActivePct), 63);
  EXPECT_EQ(w32->mean.at(telemetry::kPowerW), 432);
  // Prefill ISL 2048: tensor pipes 59 % busy at a 1725 MHz SM clock.
  auto wp = window_telemetry(s, utc("2026-11-27T17:33:21.615821Z"), utc("2026-11-27T17:33:24.669002Z"));
  EXPECT_EQ(wp->mean.at(telemetry::kTensorActivePct), 59);
  EXPECT_EQ(wp->mean.at(telemetry::kSmClockMhz), 1725);
  // A clock offset moves the window: an hour off finds nothing.
  EXPECT_FALSE(window_telemetry(s, utc("2026-11-27T17:32:32Z"), utc("2026-11-27T17:32:35Z"), 3600));
}

TEST(Telemetry, ShortWindowsKeepEverySample) {
  TelemetrySeries s;
  for (int i = 0; i < 4; ++i) s.samples.push_back({100.0 + i, 0, {{"power_w", 100.0 + 10 * i}}});
  s.samples.push_back({101.0, 1, {{"power_w", 300.0}}});
  auto w = window_telemetry(s, 100.5, 102.0);  // samples at 101 and 102
  ASSERT_TRUE(w);
  EXPECT_FALSE(w->edges_dropped);
  EXPECT_EQ(w->per_gpu_mean.at(0).at("power_w"), 115);
  EXPECT_EQ(w->per_gpu_mean.at(1).at("power_w"), 300);
  EXPECT_EQ(w->mean.at("power_w"), 207.5);  // the mean of the per-GPU means
}

TEST(Telemetry, AiperfGpuTelemetryIsUtcPerGpu) {
  IngestBatch b = read_one(acceptance_dir() / "aiperf" / "qwen_concurrency2" / "gpu_telemetry_export.jsonl");
  ASSERT_EQ(b.telemetry.size(), 1u);
  const auto& s = b.telemetry[0];
  EXPECT_EQ(s.clock, "utc");
  EXPECT_EQ(s.samples.size(), 20u);
  EXPECT_NEAR(*s.samples[0].t_s, 1762551797.419301869, 1e-6);
  EXPECT_EQ(s.samples[0].metric.at(telemetry::kPowerW), 52.293);
  EXPECT_EQ(s.samples[0].metric.at(telemetry::kSmClockMhz), 255);
}

TEST(Telemetry, RooflineTableRows) {
  IngestBatch b = read_one(fixtures_dir() / "gpu" / "decode_prefill_sweep.csv");
  ASSERT_EQ(b.roofline_tables.size(), 1u);
  const auto& t = b.roofline_tables[0];
  ASSERT_EQ(t.rows.size(), 14u);
  EXPECT_EQ(t.rows[0].phase, "decode");
  EXPECT_EQ(t.rows[0].batch, 1);
  EXPECT_EQ(*t.rows[0].context, 1024);
  EXPECT_FALSE(t.rows[0].isl);
  EXPECT_EQ(t.rows[0].step_ms, 7.13525);
  EXPECT_EQ(t.rows[0].tok_s, 140.149);
  EXPECT_NEAR(t.rows[0].start_utc_s, utc("2026-11-27T17:32:32.026579Z"), 1e-6);
  EXPECT_EQ(t.rows[11].phase, "prefill");
  EXPECT_EQ(*t.rows[11].isl, 2048);
  EXPECT_EQ(t.rows[11].tok_s, 34213.28);
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

TEST(Telemetry, BadInputNamesFileLineAndColumn) {
  TempDir d;
  auto dmon = d.path / "dmon.txt";
  write(dmon, "#gpu    pwr  dram\n#Idx      W  GPM:%\n    0     74    12\n    0   abc    13\n");
  try {
    read_one(dmon);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(e.message.find("expected a number >= 0 or '-', got 'abc'"), std::string::npos) << e.message;
    EXPECT_EQ(e.line, 4);
    EXPECT_EQ(e.key, "pwr");
  }
  auto table = d.path / "sweep.csv";
  write(table, "phase,batch,context,isl,steps,step_ms,tok_s,window_start_utc,window_end_utc\n"
               "decode,1,1024,,440,7.1,140,2026-11-27 17:32:32,2026-11-27T17:32:35Z\n");
  try {
    read_one(table);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(e.message.find("expected a UTC time"), std::string::npos) << e.message;
    EXPECT_EQ(e.key, "window_start_utc");
  }
  auto config = d.path / "config.json";
  write(config, R"({"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32)");
  EXPECT_THROW(read_one(config), Error);
}

}  // namespace
}  // namespace ptr::test
