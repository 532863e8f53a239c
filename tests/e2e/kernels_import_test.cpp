// import_kernels and import_ncu end to end: a serving cell gets kernels.json
// from an nsys summary and two ncu captures of the H100 decode step; pages 3
// and 5 render; sol_rigor follows the evidence; a malformed kernels.json
// aborts the render without touching the previous report.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "test_support.hpp"

namespace ptr::test {
namespace {

std::string pdf_text(const fs::path& pdf) {
  std::string out;
  if (FILE* p = popen(("pdftotext -layout " + quote(pdf.string()) + " - 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

struct KernelCampaign {
  TempDir root;
  std::string id;
  KernelCampaign() {
    fs::path cfg = root.path / "c.yaml";
    std::ofstream(cfg) << "name: kernels\n";
    auto init = run_cli("--json campaign_init --config " + quote(cfg.string()), root.path);
    EXPECT_EQ(init.exit_code, 0) << init.err;
    id = init.envelope()["result"]["campaign"];
    auto imp = run_cli("import_perf_bench --campaign kernels --cell h100-qwen --path " +
                           quote((fixtures_dir() / "vllm/bench-serve/run_1_TP8_DP1_CTX1024_C100_P100_O128.json").string()) +
                           " --model qwen3-32b --hardware H100 --quant BF16 --tensor-parallel 8 --parallel-strategy TP --no-mtp",
                       root.path);
    EXPECT_EQ(imp.exit_code, 0) << imp.err;
  }
  fs::path cell_dir() const { return root.path / id / "cells" / "h100-qwen"; }
  fs::path write(const std::string& name, const std::string& text) const {
    fs::path p = root.path / name;
    std::ofstream(p) << text;
    return p;
  }
};

const char* kNsys =
    "\"Time (%)\",\"Total Time (ns)\",\"Instances\",\"Avg (ns)\",\"Med (ns)\",\"Min (ns)\",\"Max (ns)\",\"StdDev (ns)\",\"Name\"\n"
    "60.0,6000000,100,60000.0,60000.0,59000,61000,10.0,\"sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64\"\n"
    "25.0,2500000,100,25000.0,25000.0,24000,26000,10.0,\"void flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128>>(Flash_fwd_params)\"\n"
    "10.0,1000000,50,20000.0,20000.0,19000,21000,10.0,\"ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevComm *)\"\n"
    "5.0,500000,400,1250.0,1250.0,1200,1300,10.0,\"void vllm::rms_norm_kernel<c10::BFloat16>(int)\"\n";

TEST(ImportKernels, AnNsysSummaryBecomesKernelsJsonAndPage3) {
  KernelCampaign c;
  fs::path csv = c.write("kern_sum.csv", kNsys);
  auto r = run_cli("--json import_kernels --campaign kernels --cell h100-qwen --file " + quote(csv.string()) + " --scope " +
                       quote("decode, c=100"),
                   c.root.path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json k = load_json(c.cell_dir() / "kernels.json");
  EXPECT_EQ(k["schema_version"], "kernels_v1");
  EXPECT_DOUBLE_EQ(k["categories_ms"]["gemm"].get<double>(), 6.0);
  EXPECT_DOUBLE_EQ(k["categories_ms"]["attention"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(k["categories_ms"]["communication"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(k["categories_ms"]["elementwise"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(k["categories_ms"]["moe"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(k["total_ms"].get<double>(), 10.0);
  EXPECT_EQ(k["scope"], "decode, c=100");
  EXPECT_EQ(k["source"]["file"], "raw/kernels/kern_sum.csv");
  EXPECT_TRUE(fs::exists(c.cell_dir() / "raw/kernels/kern_sum.csv"));
  EXPECT_DOUBLE_EQ(r.envelope()["result"]["share_pct"]["gemm"].get<double>(), 60.0);
  ASSERT_EQ(run_cli("atlas_aggregate --campaign kernels", c.root.path).exit_code, 0);
  auto render = run_cli("report_render --campaign kernels --pages page3", c.root.path);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  fs::path pdf = c.root.path / c.id / "report.pdf";
  std::string text = pdf_text(pdf);
  EXPECT_NE(text.find("Kernel time by category"), std::string::npos);
  EXPECT_NE(text.find("6.00"), std::string::npos) << text;  // gemm ms in the table
  EXPECT_NE(text.find("60%"), std::string::npos) << text;   // its share on the bar
  json st = load_json(c.root.path / c.id / "report_status.json");
  EXPECT_EQ(st["sol_rigor"], "L1");
  // An ncu capture also gives categories (one profiled step's launch
  // durations), with a warning saying what they are: the H100 batch-1 decode
  // step's 24 launches, 127.648 us in total.
  auto ncu = run_cli("--json import_kernels --campaign kernels --cell h100-qwen --file " +
                         quote((fixtures_dir() / "gpu/ncu-speedoflight-b1.csv").string()),
                     c.root.path);
  ASSERT_EQ(ncu.exit_code, 0) << ncu.err;
  json nj = ncu.envelope();
  EXPECT_EQ(nj["result"]["format"], "ncu-csv-long");
  EXPECT_NEAR(nj["result"]["total_ms"].get<double>(), 0.127648, 1e-12);
  EXPECT_NE(nj["warnings"].dump().find("kernels_from_ncu"), std::string::npos);
}

TEST(ImportKernels, AMalformedKernelsJsonIsRefusedAndAbortsTheRender) {
  KernelCampaign c;
  fs::path bad = c.write("bad.json", R"({"schema_version": "kernels_v1", "categories_ms": {"gemm": "lots"}})");
  auto r = run_cli("import_kernels --campaign kernels --cell h100-qwen --file " + quote(bad.string()), c.root.path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("KernelsJsonMalformed: categories_ms.gemm: expected a finite number"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(c.cell_dir() / "kernels.json"));
  // A good render first, then a hand-edited kernels.json breaks the next one.
  ASSERT_EQ(run_cli("atlas_aggregate --campaign kernels", c.root.path).exit_code, 0);
  ASSERT_EQ(run_cli("report_render --campaign kernels --pages page1", c.root.path).exit_code, 0);
  fs::path pdf = c.root.path / c.id / "report.pdf";
  auto before = fs::last_write_time(pdf);
  auto size = fs::file_size(pdf);
  std::ofstream(c.cell_dir() / "kernels.json") << R"({"schema_version": "kernels_v1", "categories_ms": {"tensor": 3}})";
  auto render = run_cli("report_render --campaign kernels --pages page1", c.root.path);
  EXPECT_EQ(render.exit_code, 1);
  EXPECT_NE(render.err.find("KernelsJsonMalformed: categories_ms.tensor: not a category"), std::string::npos) << render.err;
  EXPECT_NE(render.err.find("kernels.json"), std::string::npos);
  EXPECT_EQ(fs::last_write_time(pdf), before);
  EXPECT_EQ(fs::file_size(pdf), size);
}

TEST(ImportNcu, TwoCapturesOfTheH100DecodeStepMakePage5AndL4) {
  KernelCampaign c;
  for (const char* b : {"b1", "b64"}) {
    auto r = run_cli("--json import_ncu --campaign kernels --cell h100-qwen --label " + std::string(b) + " --csv " +
                         quote((fixtures_dir() / ("gpu/ncu-speedoflight-" + std::string(b) + ".csv")).string()),
                     c.root.path);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.envelope()["result"]["launches"], 24);
  }
  json n = load_json(c.cell_dir() / "ncu.json");
  EXPECT_EQ(n["schema_version"], "ncu_v1");
  ASSERT_EQ(n["captures"].size(), 2u);
  EXPECT_EQ(n["captures"][0]["label"], "b1");
  EXPECT_EQ(n["captures"][0]["file"], "raw/ncu/b1.csv");
  EXPECT_TRUE(fs::exists(c.cell_dir() / "raw/ncu/b64.csv"));
  const json& k8 = n["captures"][0]["kernels"][8];
  EXPECT_EQ(k8["name"], "nvjet_sm90_tst_64x8_64x16_4x1_v_bz_splitK_NNT");
  EXPECT_EQ(k8["category"], "gemm");
  EXPECT_DOUBLE_EQ(k8["duration_us"].get<double>(), 22.08);
  EXPECT_DOUBLE_EQ(k8["dram_pct"].get<double>(), 71.46);
  // Re-importing a label replaces it.
  auto again = run_cli("--json import_ncu --campaign kernels --cell h100-qwen --label b1 --csv " +
                           quote((fixtures_dir() / "gpu/ncu-speedoflight-b1.csv").string()),
                       c.root.path);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(again.envelope()["result"]["replaced"].get<bool>());
  EXPECT_EQ(load_json(c.cell_dir() / "ncu.json")["captures"].size(), 2u);
  ASSERT_EQ(run_cli("atlas_aggregate --campaign kernels", c.root.path).exit_code, 0);
  std::ifstream atlas(c.root.path / c.id / "atlas.jsonl");
  std::string line((std::istreambuf_iterator<char>(atlas)), {});
  EXPECT_NE(line.find("\"sol_rigor\":\"L4\""), std::string::npos);
  auto render = run_cli("report_render --campaign kernels --pages page5", c.root.path);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  std::string text = pdf_text(c.root.path / c.id / "report.pdf");
  EXPECT_NE(text.find("Kernels against the hardware peak (ncu)"), std::string::npos);
  EXPECT_NE(text.find("capture b1 (24 launches"), std::string::npos) << text;
  EXPECT_NE(text.find("nvjet_sm90_tst_64x8_64x16_4x1_v_bz_splitK_NNT"), std::string::npos) << text;
  EXPECT_NE(text.find("71%"), std::string::npos) << text;  // its DRAM % of peak
  json st = load_json(c.root.path / c.id / "report_status.json");
  EXPECT_EQ(st["sol_rigor"], "L4");
  EXPECT_TRUE(st["sol_complete"].get<bool>());
  // Not an ncu export: one clear error, nothing written.
  auto bad = run_cli("import_ncu --campaign kernels --cell h100-qwen --label x --csv " + quote(c.write("x.csv", kNsys).string()),
                     c.root.path);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("import it with import_kernels"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(c.cell_dir() / "raw/ncu/x.csv"));
}

}  // namespace
}  // namespace ptr::test
