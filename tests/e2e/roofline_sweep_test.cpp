// import_roofline_sweep end to end: the real H100 capture (fixtures/gpu), a
// bundle of real-format bench outputs with telemetry, pages 4 and 7.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>

#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

std::string run_text(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

struct Campaign {
  TempDir root;
  std::string id;
  Campaign() {
    fs::path cfg = root.path / "c.yaml";
    std::ofstream(cfg) << "name: roofline\n";
    auto init = run_cli("--json campaign_init --config " + quote(cfg.string()), root.path);
    EXPECT_EQ(init.exit_code, 0) << init.err;
    id = init.envelope()["result"]["campaign"];
  }
  fs::path dir() const { return root.path / id; }
  json cell(const std::string& cell_id) const { return load_json(dir() / "cells" / cell_id / "normalized.json"); }
};

// (Keep the cell alive while using the point.)
const json& point_at(const json& cell, long c, std::optional<long> isl = std::nullopt) {
  for (const auto& p : cell["points"])
    if (p["concurrency"] == c && (!isl || p["isl"] == *isl)) return p;
  throw std::runtime_error("no point");
}

TEST(RooflineSweep, TheH100CaptureImportsWithItsNumbers) {
  Campaign c;
  auto r = run_cli("--json import_roofline_sweep --campaign roofline --bundle " + quote((fixtures_dir() / "gpu").string()) +
                       " --hardware H100 --tensor-parallel 1 --quant BF16 --cache-mode cold --model Llama-3.1-8B --label h100-llama8b",
                   c.root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json res = r.envelope()["result"];
  EXPECT_EQ(res["cells"].size(), 2u);
  EXPECT_EQ(res["model_shape_from"], "builtin:Llama-3.1-8B");
  EXPECT_EQ(res["defaults_applied"], json::array({"parallel_strategy=TP", "mtp=false"}));
  json decode = c.cell("h100-llama8b-decode"), prefill = c.cell("h100-llama8b-prefill");
  EXPECT_EQ(decode["sweep_kind"], "decode");
  EXPECT_EQ(decode["points"].size(), 9u);
  EXPECT_EQ(prefill["points"].size(), 5u);
  // Batch-1 decode: ~15.1 GB per 7.135 ms step = ~2.12 TB/s, ~63 % of 3.35 TB/s;
  // the GPM dram reading over the same window agrees (63 %).
  const json& b1 = point_at(decode, 1);
  double tb_s = b1["extra"]["roofline"]["delivered_hbm_tb_s_per_gpu"].get<double>();
  EXPECT_NEAR(tb_s, 2.12, 2.12 * 0.05);
  EXPECT_NEAR(tb_s / 3.35, 0.63, 0.63 * 0.05);
  EXPECT_EQ(b1["extra"]["telemetry"]["dram_active_pct"], 63);
  EXPECT_EQ(b1["output_tok_s"], 140.149);
  EXPECT_EQ(b1["extra"]["step_ms"], 7.13525);
  EXPECT_EQ(b1["extra"]["window_utc"]["start"], "2026-11-27T17:32:32.027Z");
  // Prefill at ISL 2048: 50 % of dense BF16 with causal halving (52 % without).
  const json& p2048 = point_at(prefill, 1, 2048);
  EXPECT_EQ(p2048["isl"], 2048);
  EXPECT_EQ(p2048["extra"]["roofline"]["causal_halving"], true);
  EXPECT_NEAR(p2048["extra"]["roofline"]["achieved_tflops_per_gpu"].get<double>() / 989, 0.50, 0.50 * 0.05);
  EXPECT_EQ(p2048["extra"]["telemetry"]["tensor_active_pct"], 59);
  // The sweep record embeds the shape; the atlas keeps the cells out of coverage.
  json sweep = load_json(c.dir() / "cells/h100-llama8b-decode/roofline_sweep.json");
  EXPECT_EQ(sweep["schema"], "roofline_sweep_v1");
  EXPECT_EQ(sweep["model_shape"]["hidden_size"], 4096);
  EXPECT_EQ(sweep["telemetry"].size(), 2u);
  auto agg = run_cli("--json atlas_aggregate --campaign roofline", c.root.path);
  ASSERT_EQ(agg.exit_code, 0) << agg.err;
  EXPECT_EQ(agg.envelope()["result"]["coverage"]["atlas_cells"], 0);
  // Page 7 draws the sweep; report_status says it is grounded by telemetry.
  auto render = run_cli("--json report_render --campaign roofline --pages page7", c.root.path);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  json st = load_json(c.dir() / "report_status.json");
  EXPECT_TRUE(st["sol_complete"].get<bool>());
  EXPECT_EQ(st["sol_rigor"], "L3");
  EXPECT_TRUE(st["dcgm_grounded"].get<bool>());
  std::string text = run_text("pdftotext -layout " + quote((c.dir() / "report.pdf").string()) + " - 2>/dev/null");
  EXPECT_NE(text.find("decode delivers at most 67 % of datasheet HBM"), std::string::npos) << text;
  EXPECT_NE(text.find("prefill ISL 8192, 521 TFLOP/s/GPU = 53 %"), std::string::npos);
  // In report.html every roofline mark and table row stands for its cell at
  // its batch, and the cell's data links its normalized.json (the tooltip).
  auto html = run_cli("report_render --campaign roofline --pages page7,next_lever --format html --force", c.root.path);
  ASSERT_EQ(html.exit_code, 0) << html.err;
  std::string page = read_file(c.dir() / "report.html");
  EXPECT_NE(page.find("data-role=\"data\" data-id=\"h100-llama8b-decode\" data-c=\"1\""), std::string::npos);
  EXPECT_NE(page.find("data-role=\"data\" data-id=\"h100-llama8b-prefill\""), std::string::npos);
  const std::string open = "id=\"report-data\">";
  size_t at = page.find(open) + open.size();
  json data = json::parse(page.substr(at, page.find("</script>", at) - at));
  EXPECT_EQ(data["cells"]["h100-llama8b-decode"]["normalized"], "cells/h100-llama8b-decode/normalized.json");
  EXPECT_EQ(data["cells"]["h100-llama8b-decode"]["points"]["1"]["metrics"]["output tok/s"], 140.149);
  // Next-lever rows name the lever and what it rests on.
  ASSERT_FALSE(data["levers"].empty());
  for (const auto& [id, lever] : data["levers"].items()) {
    EXPECT_NE(page.find("data-id=\"lever/" + id + "\""), std::string::npos) << id;
    EXPECT_TRUE(lever["file"] == "atlas.jsonl" || lever["file"] == "config.yaml") << lever;
  }
  // Re-importing the same bundle changes nothing.
  auto again = run_cli("--json import_roofline_sweep --campaign roofline --bundle " + quote((fixtures_dir() / "gpu").string()) +
                           " --hardware H100 --tensor-parallel 1 --quant BF16 --cache-mode cold --model Llama-3.1-8B --label h100-llama8b",
                       c.root.path);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(c.cell("h100-llama8b-decode")["points"], decode["points"]);
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// One `nvidia-smi dmon -o DT --gpm-metrics` line at second-of-day t on 2026-04-28.
std::string dmon_line(int t, bool busy) {
  char buf[160];
  std::snprintf(buf, sizeof buf, " 20260428    %02d:%02d:%02d       0    %3d    %3d   2619   1980   %5s  %5s\n", t / 3600, t / 60 % 60,
                t % 60, busy ? 300 : 70, busy ? 100 : 0, busy ? "12" : "0", busy ? "40" : "0");
  return buf;
}

// A serving-style bundle: real vLLM bench serve JSON under decode/ and
// prefill/, an nvidia-smi dmon capture covering its window, no model config.
fs::path serving_bundle(const fs::path& at) {
  fs::path src = fixtures_dir() / "vllm/bench-serve/tm-l40sx2_qwen27b_in4096_out128_p50_c1_d48e1d.json";
  fs::create_directories(at / "decode/c1");
  fs::create_directories(at / "prefill/isl4096");
  fs::copy_file(src, at / "decode/c1/result.json");
  // The same run saved ten minutes later stands in for the prefill point (a
  // byte-identical copy would be the same run, counted once).
  std::string text;
  {
    std::ifstream in(src);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  text.replace(text.find("20260428-081917"), 15, "20260428-082917");
  write(at / "prefill/isl4096/result.json", text);
  // The run's window: its date 2026-04-28 08:19:17 (no zone: read as UTC) less its 293.3 s.
  std::string dmon = "#Date        Time         gpu    pwr     sm   mclk   pclk  mmaact   dram\n"
                     "#YYYYMMDD    HH:MM:SS     Idx      W      %    MHz    MHz   GPM:%  GPM:%\n";
  int start = 8 * 3600 + 14 * 60 + 24, end = 8 * 3600 + 19 * 60 + 17;
  for (int t = start - 30; t < end + 600 + 30; ++t) dmon += dmon_line(t, (t > start && t <= end + 1) || (t > start + 600 && t <= end + 601));
  write(at / "telemetry/nvidia-smi-dmon.txt", dmon);
  return at;
}

TEST(RooflineSweep, ABundleOfRealFormatFilesImportsAndFallsBackToTheProxy) {
  Campaign c;
  fs::path bundle = serving_bundle(c.root.path / "bundle");
  auto r = run_cli("--json import_roofline_sweep --campaign roofline --bundle " + quote(bundle.string()) +
                       " --hardware L40S --tensor-parallel 2 --quant BF16 --cache-mode cold",
                   c.root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json env = r.envelope();
  EXPECT_EQ(env["result"]["label"], "l40s-tp2-bf16-roofline");
  EXPECT_EQ(env["result"]["model"], "Qwen/Qwen3.6-27B");  // from the data
  EXPECT_TRUE(env["result"]["model_shape_from"].is_null());
  bool warned = false;
  for (const auto& w : env["warnings"]) warned = warned || w["kind"] == "no_model_shape";
  EXPECT_TRUE(warned);
  json decode = c.cell("l40s-tp2-bf16-roofline-decode"), prefill = c.cell("l40s-tp2-bf16-roofline-prefill");
  const json& p = point_at(decode, 1);
  EXPECT_EQ(p["extra"]["telemetry"]["dram_active_pct"], 40);
  EXPECT_EQ(p["extra"]["telemetry"]["power_w"], 300);
  EXPECT_FALSE(p["extra"].contains("roofline"));
  EXPECT_EQ(p["steady_window_undercount"], false);
  EXPECT_EQ(point_at(prefill, 1)["isl"], 4096);
  ASSERT_EQ(run_cli("atlas_aggregate --campaign roofline", c.root.path).exit_code, 0);
  auto render = run_cli("report_render --campaign roofline --pages page7", c.root.path);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  std::string text = run_text("pdftotext " + quote((c.dir() / "report.pdf").string()) + " - 2>/dev/null");
  EXPECT_NE(text.find("Proxy roofline"), std::string::npos) << text;

  // With the model's config.json the same bundle gets analytical coordinates.
  write(c.root.path / "config.json",
        R"({"model_type": "qwen3", "architectures": ["Qwen3ForCausalLM"], "hidden_size": 5120, "num_hidden_layers": 64,
            "num_attention_heads": 64, "num_key_value_heads": 8, "head_dim": 128, "intermediate_size": 25600,
            "vocab_size": 151936, "tie_word_embeddings": false, "torch_dtype": "bfloat16"})");
  auto with_config = run_cli("--json import_roofline_sweep --campaign roofline --bundle " + quote(bundle.string()) +
                                 " --hardware L40S --tensor-parallel 2 --quant BF16 --cache-mode cold --model-config " +
                                 quote((c.root.path / "config.json").string()),
                             c.root.path);
  ASSERT_EQ(with_config.exit_code, 0) << with_config.err;
  json decode2 = c.cell("l40s-tp2-bf16-roofline-decode");
  const json& q = point_at(decode2, 1);
  ASSERT_TRUE(q["extra"].contains("roofline"));
  // Context = mean ISL + half the mean OSL of the run (4096 + 128 / 2).
  EXPECT_EQ(q["extra"]["roofline"]["context"], 4096 + 64);
  EXPECT_GT(q["extra"]["roofline"]["delivered_hbm_tb_s_per_gpu"].get<double>(), 0);
}

TEST(RooflineSweep, BadBundlesAreClearErrors) {
  Campaign c;
  fs::path stray = c.root.path / "stray";
  fs::create_directories(stray);
  fs::copy_file(fixtures_dir() / "vllm/bench-serve/tm-l40sx2_qwen27b_in4096_out128_p50_c1_d48e1d.json", stray / "run.json");
  auto r = run_cli("import_roofline_sweep --campaign roofline --bundle " + quote(stray.string()) +
                       " --hardware H100 --tensor-parallel 1 --quant BF16",
                   c.root.path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("a bench output outside decode/ and prefill/"), std::string::npos) << r.err;
  fs::path empty = c.root.path / "empty";
  write(empty / "notes.txt", "nothing here\n");
  r = run_cli("import_roofline_sweep --campaign roofline --bundle " + quote(empty.string()) + " --hardware H100 --tensor-parallel 1 "
              "--quant BF16 --model Llama-3.1-8B",
              c.root.path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no decode or prefill points"), std::string::npos) << r.err;
  r = run_cli("import_roofline_sweep --campaign roofline --bundle " + quote((fixtures_dir() / "gpu").string()) +
                  " --hardware H100 --tensor-parallel 1 --quant BF16 --model Llama-3.1-8B --label " + std::string(60, 'a'),
              c.root.path);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("at most 55 characters"), std::string::npos) << r.err;
}

// dcgm_correlate on the H100 capture: the GPM dram reading over the batch-1
// window implies the bandwidth the model's bytes give (page 7) within 2 %:
// the reading is one whole-percent sample (±0.5 % of 3.35 TB/s) and DRAM
// activity also counts the step's small non-model traffic.
TEST(DcgmCorrelate, TheH100CaptureAgreesWithTheByteGroundedFigure) {
  Campaign c;
  ASSERT_EQ(run_cli("import_roofline_sweep --campaign roofline --bundle " + quote((fixtures_dir() / "gpu").string()) +
                        " --hardware H100 --tensor-parallel 1 --quant BF16 --model Llama-3.1-8B --label h100",
                    c.root.path).exit_code, 0);
  std::string dmon = quote((fixtures_dir() / "gpu/nvidia-smi-dmon.txt").string());
  auto r = run_cli("--json dcgm_correlate --campaign roofline --cell-id h100-decode --nvidia-smi " + dmon +
                       " --window 2026-11-27T17:32:32.026579Z..2026-11-27T17:32:35.166413Z",
                   c.root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json res = r.envelope()["result"];
  EXPECT_EQ(res["mean"]["dram_active_pct"], 63);
  EXPECT_EQ(res["mean"]["power_w"], 409);
  EXPECT_NEAR(res["dcgm_bandwidth_tb_s"].get<double>(), 0.63 * 3.3523, 1e-9);
  json decode = c.cell("h100-decode");
  double bytes_grounded = point_at(decode, 1)["extra"]["roofline"]["delivered_hbm_tb_s_per_gpu"].get<double>();
  EXPECT_NEAR(res["dcgm_bandwidth_tb_s"].get<double>() / bytes_grounded, 1.0, 0.02);
  EXPECT_NEAR(res["tokens_per_watt"].get<double>(), 140.149 / 409, 1e-9);
  // Per point: the sweep's own windows.
  EXPECT_EQ(res["points"].size(), 9u);
  EXPECT_EQ(res["points"][0]["mean"]["dram_active_pct"], 63);
  json written = load_json(c.dir() / "cells/h100-decode/dcgm_correlation.json");
  EXPECT_EQ(written["schema"], "dcgm_correlation_v1");
  EXPECT_EQ(written["window"]["source"], "--window");
  // Without --window the points' windows span the cell.
  auto whole = run_cli("--json dcgm_correlate --campaign roofline --cell h100-decode --nvidia-smi " + dmon, c.root.path);
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(whole.envelope()["result"]["window"]["source"], "the points' windows");
  // Pages 6 and 6b carry the sweep cell: its whole window, then a row per decode batch.
  ASSERT_EQ(run_cli("atlas_aggregate --campaign roofline", c.root.path).exit_code, 0);
  auto render = run_cli("report_render --campaign roofline --pages page6,page6b", c.root.path);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  std::string text = run_text("pdftotext -layout " + quote((c.dir() / "report.pdf").string()) + " - 2>/dev/null");
  EXPECT_NE(text.find("h100-decode · whole window"), std::string::npos) << text;
  // c=1: SM 59 %, DRAM 63 %, GR 99 %, 140.1 tok/s/GPU (the capture's batch-1 window).
  std::smatch m;
  EXPECT_TRUE(std::regex_search(text, m, std::regex(R"(c=1\s+59\.0\s+8\.0\s+1\.0\s+63\.0\s+99\.0\s+1980\s+140\.1)"))) << text;
  EXPECT_NE(text.find("c=192"), std::string::npos);
}

TEST(DcgmCorrelate, EmptyWindowWrongNodeAndWrongKindAreErrors) {
  Campaign c;
  ASSERT_EQ(run_cli("import_roofline_sweep --campaign roofline --bundle " + quote((fixtures_dir() / "gpu").string()) +
                        " --hardware H100 --tensor-parallel 1 --quant BF16 --model Llama-3.1-8B --label h100",
                    c.root.path).exit_code, 0);
  std::string dmon = quote((fixtures_dir() / "gpu/nvidia-smi-dmon.txt").string());
  auto empty = run_cli("dcgm_correlate --campaign roofline --cell h100-decode --nvidia-smi " + dmon +
                           " --window 2026-11-28T00:00:00Z..2026-11-28T00:01:00Z",
                       c.root.path);
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("no telemetry sample in the window 2026-11-28T00:00:00.000Z..2026-11-28T00:01:00.000Z (the capture covers "
                           "2026-11-27T17:32:23.000Z..2026-11-27T17:33:37.000Z)"),
            std::string::npos)
      << empty.err;
  write(c.root.path / "frozen.yaml", "schema: dcgm_frozen_v1\nnode: gpu-node-3\n"
                                     "window: {start: 2026-11-27T17:32:32Z, end: 2026-11-27T17:35:00Z}\n"
                                     "gpus:\n  - gpu: 0\n    means: {DCGM_FI_PROF_DRAM_ACTIVE: 0.63}\n");
  auto node = run_cli("dcgm_correlate --campaign roofline --cell h100-decode --node gpu-node-4 --frozen-yaml " +
                          quote((c.root.path / "frozen.yaml").string()),
                      c.root.path);
  EXPECT_EQ(node.exit_code, 1);
  EXPECT_NE(node.err.find("the capture comes from node gpu-node-3, not gpu-node-4"), std::string::npos) << node.err;
  auto kind = run_cli("dcgm_correlate --campaign roofline --cell h100-decode --prometheus " + dmon, c.root.path);
  EXPECT_EQ(kind.exit_code, 2);
  EXPECT_NE(kind.err.find("detected as nvidia-smi-dmon, which --prometheus does not take"), std::string::npos) << kind.err;
  auto two = run_cli("dcgm_correlate --campaign roofline --cell h100-decode --nvidia-smi " + dmon + " --dcgmi-dmon " + dmon, c.root.path);
  EXPECT_EQ(two.exit_code, 2);
}

// A serving cell with a frozen DCGM snapshot: atlas_aggregate joins the
// correlation to the cell (sol_rigor L3) and pages 6 and 6b draw it.
TEST(DcgmCorrelate, AServingCellGetsPages6And6b) {
  Campaign c;
  auto imp = run_cli("import_perf_bench --campaign roofline --cell h100-qwen --path " +
                         quote((fixtures_dir() / "vllm/bench-serve/run_1_TP8_DP1_CTX1024_C100_P100_O128.json").string()) +
                         " --model qwen3-32b --hardware H100 --quant BF16 --tensor-parallel 8 --parallel-strategy TP --no-mtp",
                     c.root.path);
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  write(c.root.path / "frozen.yaml", "schema: dcgm_frozen_v1\nnode: gpu-node-3\n"
                                     "window: {start: 2026-01-29T00:24:48Z, end: 2026-01-29T00:24:51Z}\n"
                                     "gpus:\n  - gpu: 0\n    means: {DCGM_FI_PROF_DRAM_ACTIVE: 0.5, DCGM_FI_PROF_SM_ACTIVE: 0.8, DCGM_FI_DEV_POWER_USAGE: 600}\n"
                                     "  - gpu: 1\n    means: {DCGM_FI_PROF_DRAM_ACTIVE: 0.7, DCGM_FI_PROF_SM_ACTIVE: 0.6, DCGM_FI_DEV_POWER_USAGE: 640}\n");
  auto r = run_cli("--json dcgm_correlate --campaign roofline --cell h100-qwen --frozen-yaml " + quote((c.root.path / "frozen.yaml").string()),
                   c.root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json res = r.envelope()["result"];
  EXPECT_EQ(res["window"]["source"], "the snapshot's window");
  EXPECT_EQ(res["node"], "gpu-node-3");
  EXPECT_DOUBLE_EQ(res["mean"]["dram_active_pct"].get<double>(), 60);
  EXPECT_DOUBLE_EQ(res["power_watts_per_gpu"].get<double>(), 620);
  EXPECT_NEAR(res["tokens_per_watt"].get<double>(), 5368.234273466431 / 8 / 620, 1e-9);
  auto agg = run_cli("--json atlas_aggregate --campaign roofline", c.root.path);
  ASSERT_EQ(agg.exit_code, 0) << agg.err;
  std::string atlas = run_text("cat " + quote((c.dir() / "atlas.jsonl").string()));
  EXPECT_NE(atlas.find("\"sol_rigor\":\"L3\""), std::string::npos);
  EXPECT_NE(atlas.find("\"dcgm_correlation\""), std::string::npos);
  auto render = run_cli("report_render --campaign roofline --pages page6,page6b", c.root.path);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  std::string text = run_text("pdftotext -layout " + quote((c.dir() / "report.pdf").string()) + " - 2>/dev/null");
  EXPECT_NE(text.find("DCGM correlation: GPU activity per cell"), std::string::npos);
  EXPECT_NE(text.find("tokens per watt"), std::string::npos);
  EXPECT_NE(text.find(" 620 "), std::string::npos) << text;  // W/GPU, whole watts
  json st = load_json(c.dir() / "report_status.json");
  EXPECT_TRUE(st["dcgm_grounded"].get<bool>());
  EXPECT_EQ(st["sol_rigor"], "L3");
  // tpm_summary carries the power and tokens/W (the cell's window mean: its one point has no own window).
  auto tpm = run_cli("--json tpm_summary --campaign roofline", c.root.path);
  ASSERT_EQ(tpm.exit_code, 0) << tpm.err;
  json env = tpm.envelope();
  const json& peak = env["result"]["rows"][0];
  EXPECT_EQ(peak["point"], "peak");
  EXPECT_DOUBLE_EQ(peak["power_watts_per_gpu"].get<double>(), 620);
  EXPECT_NEAR(peak["tokens_per_watt"].get<double>(), 5368.234273466431 / 8 / 620, 1e-9);
  EXPECT_EQ(peak["power_basis"], "cell window mean");
}

}  // namespace
}  // namespace ptr::test
