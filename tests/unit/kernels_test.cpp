// Kernel evidence: Nsight Compute CSV (the H100 decode captures of
// fixtures/gpu and the four RTX 5090 export shapes of acceptance/telemetry/ncu,
// plus the raw page with and without its units row), the Nsight Systems
// kernel summary, the category rules and kernels.json validation.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "analysis/kernel_category.hpp"
#include "ingest/discover.hpp"
#include "model/kernels.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace ptr::test {
namespace {

KernelProfile one_profile(const fs::path& p, const std::string& format) {
  IngestBatch b = ingest_paths({p}, "auto");
  EXPECT_EQ(b.files.size(), 1u);
  if (!b.files.empty()) {
    EXPECT_EQ(b.files[0].format, format);
  }
  EXPECT_EQ(b.kernel_profiles.size(), 1u);
  return b.kernel_profiles.empty() ? KernelProfile{} : b.kernel_profiles[0];
}

fs::path write(const TempDir& d, const std::string& name, const std::string& text) {
  fs::path p = d.path / name;
  std::ofstream(p) << text;
  return p;
}

const KernelRecord* with_id(const KernelProfile& p, long id) {
  for (const auto& k : p.kernels)
    if (k.id == id) return &k;
  return nullptr;
}

TEST(Ncu, TheH100DecodeCaptureAtBatch1) {
  KernelProfile p = one_profile(fixtures_dir() / "gpu/ncu-speedoflight-b1.csv", "ncu-csv");
  EXPECT_EQ(p.tool, "ncu");
  EXPECT_EQ(p.layout, "ncu-csv-long");
  ASSERT_EQ(p.kernels.size(), 24u);  // --launch-count 24; the ==PROF== lines before the header are skipped
  const KernelRecord* gemm = with_id(p, 8);
  ASSERT_NE(gemm, nullptr);
  EXPECT_EQ(gemm->name, "nvjet_sm90_tst_64x8_64x16_4x1_v_bz_splitK_NNT");
  EXPECT_DOUBLE_EQ(*gemm->duration_us, 22.08);  // "22,080" ns
  EXPECT_DOUBLE_EQ(*gemm->dram_pct, 71.46);
  EXPECT_DOUBLE_EQ(*gemm->sm_pct, 8.91);
  EXPECT_EQ(gemm->nvtx, "decode");
  EXPECT_EQ(kernel_category(gemm->name), "gemm");
  double total = 0;
  for (const auto& k : p.kernels) total += *k.duration_us;
  EXPECT_NEAR(total, 127.648, 1e-9);
}

TEST(Ncu, TheFourExportShapesOfTheRtx5090Captures) {
  fs::path dir = acceptance_dir() / "telemetry/ncu";
  KernelProfile details = one_profile(dir / "dsocr-rtx5090-k0013-flash_fwd_splitkv-ncu.details.csv", "ncu-csv");
  ASSERT_EQ(details.kernels.size(), 1u);
  const KernelRecord& fa = details.kernels[0];
  EXPECT_DOUBLE_EQ(*fa.duration_us, 10.34);
  EXPECT_DOUBLE_EQ(*fa.dram_pct, 26.00);
  EXPECT_DOUBLE_EQ(*fa.memory_pct, 26.00);  // the SOL row in %, not Memory Workload Analysis' 458.30 Gbyte/s
  EXPECT_DOUBLE_EQ(*fa.sm_pct, 8.77);
  EXPECT_DOUBLE_EQ(*fa.dram_bytes, 4.74e6);  // 4.74 Mbyte read + 0 byte written
  EXPECT_FALSE(fa.flop_count.has_value());   // flop_count_hp/sp.sum are n/a
  EXPECT_EQ(kernel_category(fa.name), "attention");

  KernelProfile gemm = one_profile(dir / "dsocr-rtx5090-k0005-cutlass-bf16-gemm-ncu.section_SpeedOfLight.csv", "ncu-csv");
  ASSERT_EQ(gemm.kernels.size(), 1u);
  EXPECT_DOUBLE_EQ(*gemm.kernels[0].duration_us, 111.81);
  EXPECT_DOUBLE_EQ(*gemm.kernels[0].dram_pct, 8.87);
  EXPECT_DOUBLE_EQ(*gemm.kernels[0].memory_pct, 27.74);
  EXPECT_DOUBLE_EQ(*gemm.kernels[0].sm_pct, 32.10);
  EXPECT_EQ(kernel_category(gemm.kernels[0].name), "gemm");

  KernelProfile fmha = one_profile(dir / "dsocr-rtx5090-k0009-fmha-cutlass-ncu.section_SpeedOfLight.csv", "ncu-csv");
  EXPECT_DOUBLE_EQ(*fmha.kernels.at(0).duration_us, 160.74);
  EXPECT_DOUBLE_EQ(*fmha.kernels.at(0).sm_pct, 36.75);
  EXPECT_EQ(kernel_category(fmha.kernels.at(0).name), "attention");  // fmha_cutlassF: attention before the GEMM rule

  KernelProfile gemv = one_profile(dir / "dsocr-rtx5090-k0001-cublas-gemv-ncu.metrics.csv", "ncu-csv");
  const KernelRecord& g = gemv.kernels.at(0);
  EXPECT_DOUBLE_EQ(*g.duration_us, 6.75);
  EXPECT_DOUBLE_EQ(*g.dram_pct, 19.66);
  EXPECT_DOUBLE_EQ(*g.sm_pct, 9.15);
  EXPECT_FALSE(g.memory_pct.has_value());
  EXPECT_DOUBLE_EQ(*g.dram_bytes, 2.33e6);
  EXPECT_EQ(kernel_category(g.name), "gemm");
}

TEST(Ncu, RawPageWithAndWithoutItsUnitsRow) {
  TempDir d;
  std::string head =
      "\"ID\",\"Process ID\",\"Kernel Name\",\"Grid Size\",\"gpu__time_duration.sum\",\"dram__throughput.avg.pct_of_peak_sustained_elapsed\","
      "\"sm__throughput.avg.pct_of_peak_sustained_elapsed\",\"dram__bytes_read.sum\",\"dram__bytes_write.sum\",\"flop_count_sp.sum\"\n";
  std::string units = "\"\",\"\",\"\",\"\",\"usecond\",\"%\",\"%\",\"Kbyte\",\"byte\",\"\"\n";
  std::string rows = "\"0\",\"77\",\"void gemv_kernel<float>(int, float*)\",\"(4, 1, 1)\",\"1,234.5\",\"81.2\",\"12.5\",\"2,048\",\"512\",\"1,000,000\"\n"
                     "\"1\",\"77\",\"ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevComm*)\",\"(1, 1, 1)\",\"3.5\",\"n/a\",\"2\",\"0\",\"0\",\"n/a\"\n";
  KernelProfile with = one_profile(write(d, "with-units.csv", head + units + rows), "ncu-csv");
  EXPECT_EQ(with.layout, "ncu-csv-raw");
  ASSERT_EQ(with.kernels.size(), 2u);
  EXPECT_DOUBLE_EQ(*with.kernels[0].duration_us, 1234.5);
  EXPECT_DOUBLE_EQ(*with.kernels[0].dram_pct, 81.2);
  EXPECT_DOUBLE_EQ(*with.kernels[0].dram_bytes, 2048e3 + 512);
  EXPECT_DOUBLE_EQ(*with.kernels[0].flop_count, 1e6);
  EXPECT_FALSE(with.kernels[1].dram_pct.has_value());  // n/a is no value, never 0
  EXPECT_EQ(kernel_category(with.kernels[1].name), "communication");
  // Without the units row values are in ncu's base units (ns, byte).
  KernelProfile without = one_profile(write(d, "no-units.csv", head + rows), "ncu-csv");
  ASSERT_EQ(without.kernels.size(), 2u);
  EXPECT_DOUBLE_EQ(*without.kernels[0].duration_us, 1.2345);
  EXPECT_DOUBLE_EQ(*without.kernels[0].dram_bytes, 2048 + 512);
}

TEST(Ncu, ABadValueNamesTheMetricAndAHeaderWithoutLaunchesIsAnError) {
  TempDir d;
  std::string head = "\"ID\",\"Kernel Name\",\"Section Name\",\"Metric Name\",\"Metric Unit\",\"Metric Value\"\n";
  try {
    ingest_paths({write(d, "bad.csv", head + "\"0\",\"k\",\"GPU Speed Of Light Throughput\",\"Duration\",\"us\",\"fast\"\n")}, "auto");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.key, "Duration");
    EXPECT_NE(std::string(e.what()).find("'fast' is not a number"), std::string::npos) << e.what();
  }
  try {
    ingest_paths({write(d, "empty.csv", head)}, "auto");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no kernel launches after the header"), std::string::npos) << e.what();
  }
}

TEST(Nsys, KernelSummaryBothHeaderSpellingsAndTheNotesAround) {
  TempDir d;
  std::string body =
      "\"Time (%)\",\"Total Time (ns)\",\"Instances\",\"Avg (ns)\",\"Med (ns)\",\"Min (ns)\",\"Max (ns)\",\"StdDev (ns)\",\"Name\"\n"
      "41.5,\"4,150,000\",200,20750.0,20700.0,20000,22000,300.0,\"void cutlass::Kernel2<cutlass_80_tensorop_bf16_s16816gemm_relu_bf16_256x128_32x3_tn_align8>(T1::Params)\"\n"
      "30.0,3000000,100,30000.0,30000.0,29000,31000,200.0,\"void fused_moe_kernel<__nv_bfloat16, 8>(int, float, bool)\"\n"
      "15.0,1500000,100,15000.0,15000.0,14000,16000,100.0,\"void flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4>, 0>(Flash_fwd_params)\"\n"
      "8.0,800000,50,16000.0,16000.0,15000,17000,100.0,\"ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevComm *, unsigned long, ncclWork *)\"\n"
      "4.0,400000,400,1000.0,1000.0,900,1100,10.0,\"void vllm::rms_norm_kernel<c10::BFloat16>(c10::BFloat16 *, const c10::BFloat16 *, float, int, int)\"\n"
      "1.5,150000,10,15000.0,15000.0,15000,15000,0.0,\"my_custom_thing\"\n";
  std::string text = "Generating SQLite file report.sqlite from report.nsys-rep\n"
                     "Processing [report.sqlite] with [/opt/nvidia/nsight-systems/reports/cuda_gpu_kern_sum.py]... \n\n" + body;
  KernelProfile p = one_profile(write(d, "kern_sum.csv", text), "nsys-cuda-gpu-kern-sum-csv");
  ASSERT_EQ(p.kernels.size(), 6u);
  EXPECT_DOUBLE_EQ(*p.kernels[0].total_time_ms, 4.15);
  EXPECT_EQ(*p.kernels[0].instances, 200);
  for (auto& k : p.kernels) k.category = kernel_category(k.name);
  KernelBreakdown b = breakdown_of(p.kernels);
  EXPECT_DOUBLE_EQ(b.category_ms.at("gemm"), 4.15);
  EXPECT_DOUBLE_EQ(b.category_ms.at("moe"), 3.0);
  EXPECT_DOUBLE_EQ(b.category_ms.at("attention"), 1.5);
  EXPECT_DOUBLE_EQ(b.category_ms.at("communication"), 0.8);
  EXPECT_DOUBLE_EQ(b.category_ms.at("elementwise"), 0.4);
  EXPECT_DOUBLE_EQ(b.category_ms.at("other"), 0.15);
  EXPECT_DOUBLE_EQ(b.total_ms(), 10.0);
  EXPECT_DOUBLE_EQ(b.share_pct("gemm"), 41.5);
  ASSERT_FALSE(b.top_kernels.empty());
  EXPECT_EQ(b.top_kernels[0].category, "gemm");
  // The older spelling (Time(%), Average, ...).
  std::string old = "\"Time(%)\",\"Total Time (ns)\",\"Instances\",\"Average\",\"Minimum\",\"Maximum\",\"Name\"\n"
                    "100.0,2500,5,500.0,400,600,\"gemv2T_kernel\"\n";
  KernelProfile o = one_profile(write(d, "old.csv", old), "nsys-cuda-gpu-kern-sum-csv");
  ASSERT_EQ(o.kernels.size(), 1u);
  EXPECT_DOUBLE_EQ(*o.kernels[0].total_time_ms, 0.0025);
}

TEST(KernelCategory, OrderedRules) {
  const std::pair<const char*, const char*> cases[] = {
      {"ncclDevKernel_AllGather_RING_LL(ncclDevComm*)", "communication"},
      {"void vllm::cross_device_reduce_2stage<__nv_bfloat16, 8>(...)", "communication"},
      {"void fused_moe_kernel(...)", "moe"},
      {"void cutlass::Kernel2<cutlass_sm90_grouped_gemm>(...)", "moe"},
      {"fmha_cutlassF_bf16_aligned_64x64_rf_sm80(AttentionKernel<...>)", "attention"},
      {"void flashinfer::BatchPrefillWithPagedKVCacheKernel<...>", "attention"},
      {"void vllm::reshape_and_cache_flash_kernel<...>", "attention"},
      {"sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64", "gemm"},
      {"nvjet_sm90_tst_64x8_64x16_4x1_v_bz_NNT", "gemm"},
      {"void at::native::vectorized_elementwise_kernel<4, ...>", "elementwise"},
      {"void vllm::fused_add_rms_norm_kernel<...>", "elementwise"},
      {"triton_poi_fused_add_mul_0", "elementwise"},
      {"void cudnn::lean_reduction_kernel<0, 0, 0>(...)", "elementwise"},
      {"my_custom_thing", "other"},
  };
  for (const auto& [name, cat] : cases) EXPECT_EQ(kernel_category(name), cat) << name;
}

TEST(KernelsJson, MalformedFilesNameTheKeyAndTheReason) {
  using nlohmann::json;
  const std::pair<json, const char*> cases[] = {
      {json::array(), "KernelsJsonMalformed: (top level): expected a JSON object"},
      {json{{"categories_ms", {{"gemm", 1}}}}, "KernelsJsonMalformed: schema_version: missing"},
      {json{{"schema_version", "kernels_v2"}, {"categories_ms", {{"gemm", 1}}}}, "KernelsJsonMalformed: schema_version: 'kernels_v2' is not kernels_v1"},
      {json{{"schema_version", "kernels_v1"}}, "KernelsJsonMalformed: categories_ms: missing"},
      {json{{"schema_version", "kernels_v1"}, {"categories_ms", {{"matmul", 1}}}}, "KernelsJsonMalformed: categories_ms.matmul: not a category"},
      {json{{"schema_version", "kernels_v1"}, {"categories_ms", {{"gemm", -1}}}}, "KernelsJsonMalformed: categories_ms.gemm: expected a finite number"},
      {json{{"schema_version", "kernels_v1"}, {"categories_ms", {{"gemm", "12"}}}}, "KernelsJsonMalformed: categories_ms.gemm: expected a finite number"},
      {json{{"schema_version", "kernels_v1"}, {"categories_ms", {{"gemm", 0}}}}, "KernelsJsonMalformed: categories_ms: no GPU time"},
      {json{{"schema_version", "kernels_v1"}, {"categories_ms", {{"gemm", 1}}}, {"top_kernels", {{{"name", "k"}, {"category", "x"}}}}},
       "KernelsJsonMalformed: top_kernels[0].category: 'x' is not one of"},
  };
  for (const auto& [j, want] : cases) {
    try {
      kernel_breakdown_from_json(j, "kernels.json");
      ADD_FAILURE() << "accepted " << j.dump();
    } catch (const Error& e) {
      EXPECT_EQ(e.message.rfind(want, 0), 0u) << e.message;
      EXPECT_EQ(e.file, "kernels.json");
      EXPECT_EQ(e.kind, ErrorKind::input);
    }
  }
  KernelBreakdown ok = kernel_breakdown_from_json(json{{"schema_version", "kernels_v1"}, {"categories_ms", {{"gemm", 3}, {"moe", 1}}}}, "k");
  EXPECT_DOUBLE_EQ(ok.share_pct("gemm"), 75);
  EXPECT_DOUBLE_EQ(ok.category_ms.at("other"), 0);  // absent categories are 0 ms, listed
  EXPECT_EQ(kernel_breakdown_from_json(kernel_breakdown_to_json(ok), "k").category_ms, ok.category_ms);
}

TEST(KernelNames, ShortLabels) {
  EXPECT_EQ(short_kernel_name("void at::vectorized_elementwise_kernel<4, at::FillFunctor<float>>(int, T2)"), "at::vectorized_elementwise_kernel");
  EXPECT_EQ(short_kernel_name("void cutlass::Kernel2<cutlass_80_tensorop_bf16_s16816gemm_relu_bf16_256x128_32x3_tn_align8>(T1::Params)"),
            "cutlass::Kernel2<cutlass_80_tensorop_bf16_s16816gemm_relu_bf16_256x128_32x...>");
  EXPECT_EQ(short_kernel_name("nvjet_sm90_tst_64x8_64x16_4x1_v_bz_NNT"), "nvjet_sm90_tst_64x8_64x16_4x1_v_bz_NNT");
}

}  // namespace
}  // namespace ptr::test
