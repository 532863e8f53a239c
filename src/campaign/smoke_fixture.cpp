#include "campaign/smoke_fixture.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <future>

#include "analysis/kernel_category.hpp"
#include "analysis/roofline/model_shape.hpp"
#include "analysis/roofline/sweep_point.hpp"
#include "campaign/champion_select.hpp"
#include "campaign/operations.hpp"
#include "model/atlas_writer.hpp"
#include "util/fs.hpp"
#include "util/stats.hpp"
#include "util/time_utc.hpp"

namespace ptr {

namespace {

struct VariantSpec {
  const char* hardware;
  const char* quant;
  long tp;
  const char* strategy;
  bool mtp;
  double speed;  // relative decode/prefill speed per replica
};

const VariantSpec kVariants[] = {
    {"H100", "FP8", 8, "TP", false, 1.0},   {"H100", "FP8", 8, "EP", true, 1.0},
    {"H200", "FP8", 8, "TP", false, 1.3},   {"H200", "FP8", 8, "EP", true, 1.3},
    {"B200", "NVFP4", 4, "TP", false, 2.4}, {"B200", "NVFP4", 4, "EP", true, 2.4},
    {"GB300", "NVFP4", 4, "TP", false, 3.1}, {"GB300", "NVFP4", 4, "EP", true, 3.1},
};
const long kMbt[] = {1024, 2048, 4096, 8192, 16384};
const long kConc[] = {1, 8, 16, 32, 64, 128};
constexpr long kIsl = 1024, kOsl = 256;

std::string cell_id(const VariantSpec& v, long mbt) {
  std::string hw = v.hardware, q = v.quant, st = v.strategy;
  for (auto* s : {&hw, &q, &st})
    for (auto& ch : *s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return fmt::format("{}-{}-tp{}-{}{}-mbt{}", hw, q, v.tp, st, v.mtp ? "-mtp" : "", mbt);
}

// An A/B study beside the sweep: one H100 FP8 TP8 deployment (mbt 8192)
// served four ways, 3 trials per point. Effects are synthetic: async
// scheduling trims TPOT ~7 %, the FlashInfer sampler ~1.5 % (inside the
// noise), SGLang wins from c=32 up and loses below.
struct ArmSpec {
  const char* cell_id;
  const char* arm;
  const char* engine;
  const char* engine_version;
  const char* knob;
  double tpot_below_32, tpot_from_32, ttft;  // factors on the baseline's model
};
const ArmSpec kArms[] = {
    {"ab-h100-vllm-baseline", "baseline", "vllm", "0.11.2", "none (vLLM defaults)", 1, 1, 1},
    {"ab-h100-vllm-async-sched", "async-sched", "vllm", "0.11.2", "--async-scheduling", 0.93, 0.93, 1},
    {"ab-h100-vllm-fi-sampler", "fi-sampler", "vllm", "0.11.2", "VLLM_USE_FLASHINFER_SAMPLER=1", 0.985, 0.985, 1},
    {"ab-h100-sglang", "sglang", "sglang", "0.5.5", "engine: sglang", 1.04, 0.90, 0.95},
};
constexpr long kArmMbt = 8192;
constexpr long kArmTrials = 3;

// Requests per point (per trial for the A/B arms): 8 per concurrent slot.
long prompts_per_trial(long c) { return std::max(16L, 8 * c); }

constexpr const char* kName = "smoke-glm-5.1";
constexpr const char* kConfigFile = "smoke-config.yaml";

std::string config_yaml() {
  std::string y =
      fmt::format("name: {}\n", kName) +
      "description: SYNTHETIC report_smoke fixture mirroring a GLM-5.1 study (not measured data).\n"
      "provenance:\n  engine: vllm\n  engine_version: 0.11.2 (synthetic)\n  image: vllm/vllm-openai:v0.11.2\n"
      "  delivery: kubernetes (synthetic)\n"
      "defaults:\n  model: GLM-5.1\n  engine: vllm\n  kv_cache_dtype: fp8\n  dataset: random\n"
      "  isl: 1024\n  osl: 256\n  cache_mode: warm\n  concurrencies: [1, 8, 16, 32, 64, 128]\n"
      "  engine_version: 0.11.2\n  max_num_seqs: 256\n  gpu_memory_utilization: 0.9\n  max_model_len: 8192\n"
      "  cuda_graphs: true\n  prefix_caching: false\n"
      "tpm:\n  ttft_sla_ms: 2000\n  tpot_sla_ms: 25\n"
      "frontier:\n  levers:\n"
      "    - {name: \"EAGLE-3 draft head instead of MTP\", expected_unlock: \"+10-15 % tok/s/user at c <= 16\", cost: 2,\n"
      "       gate: \"TPOT at c=8 below the MTP cell's with acceptance >= 0.6\", value: 0.3}\n"
      "    - {name: \"max_num_seqs 512\", expected_unlock: \"a larger decode batch at c=128\", cost: 1,\n"
      "       gate: \"output tok/s/GPU at c=128 up by more than 5 %\", status: refuted,\n"
      "       why: \"the MTP cells already evict KV blocks from c=64 (preemptions): a larger batch only preempts more\"}\n"
      "cells:\n";
  for (const auto& v : kVariants)
    for (long mbt : kMbt)
      y += fmt::format(
          "  - {{cell_id: {}, hardware: {}, quant: {}, tensor_parallel: {}, parallel_strategy: {}, mtp: {}, "
          "max_num_batched_tokens: {}{}}}\n",
          cell_id(v, mbt), v.hardware, v.quant, v.tp, v.strategy, v.mtp ? "true" : "false", mbt,
          std::string(v.strategy) == "EP" ? fmt::format(", expert_parallel: {}", v.tp) : "");
  for (const auto& a : kArms)
    y += fmt::format(
        "  - {{cell_id: {}, hardware: H100, quant: FP8, tensor_parallel: 8, parallel_strategy: TP, mtp: false, "
        "max_num_batched_tokens: {}, arm: {}, engine: {}, engine_version: \"{}\", knob: \"{}\"{}}}\n",
        a.cell_id, kArmMbt, a.arm, a.engine, a.engine_version, a.knob, a.arm == std::string("async-sched") ? ", async_scheduling: true" : "");
  return y;
}

Point model_point(const VariantSpec& v, long mbt, long c, long gpus, double tpot_scale = 1, double ttft_scale = 1) {
  double s = v.speed;
  double jitter = 1 + 0.015 * std::sin(c * 1.7 + mbt * 0.001 + s * 3.1);
  double tpot = (12.0 / s) * (1 + std::pow(c / (40.0 * s), 1.1)) * (v.mtp ? 0.62 : 1.0) * tpot_scale;
  if (std::string(v.strategy) == "EP") tpot *= c >= 32 ? 0.9 : 1.06;
  tpot *= jitter;
  double ttft = (180.0 / s) * (1 + c * (2048.0 / mbt) * 0.05 + std::pow(c / (60.0 * s), 1.5)) / jitter;
  // EP pays an all-to-all at low load and wins at high load; MTP drafts add a little to prefill.
  if (std::string(v.strategy) == "EP") ttft *= c >= 32 ? 0.93 : 1.08;
  if (v.mtp) ttft *= 1.05;
  ttft *= ttft_scale;
  double e2el = ttft + tpot * (kOsl - 1);
  double rps = c / (e2el / 1000.0);
  Point p;
  p.concurrency = c;
  p.request_rate = INFINITY;
  p.num_prompts = prompts_per_trial(c);
  p.completed = p.num_prompts;
  p.failed = 0;
  p.duration_s = *p.completed / rps;
  p.request_throughput_rps = rps;
  p.output_tok_s = rps * kOsl;
  p.total_tok_s = rps * (kIsl + kOsl);
  p.output_tok_s_per_gpu = *p.output_tok_s / gpus;
  p.tok_s_per_user = *p.output_tok_s / c;
  p.interactivity_tok_s = 1000.0 / tpot;
  p.ttft_ms = {ttft, ttft * 0.97, ttft * 1.5, ttft * 2.1, ttft * 0.4};
  p.tpot_ms = {tpot, tpot * 0.99, tpot * 1.15, tpot * 1.3, tpot * 0.08};
  p.itl_ms = {tpot, tpot * 0.9, tpot * 1.4, tpot * 2.5, tpot * 0.5};
  p.e2el_ms = {e2el, e2el * 0.98, e2el * 1.2, e2el * 1.45, e2el * 0.15};
  p.mean_input_tokens = kIsl;
  p.mean_output_tokens = kOsl;
  p.spread = {{"n", 1}};
  if (v.mtp) p.preemptions = c >= 64 ? (c / 16) * (mbt <= 2048 ? 3 : 1) : 0;
  p.source.push_back({"synthetic", "report-smoke-fixture", "v1", std::nullopt, std::nullopt});
  return p;
}

// An arm's point: the mean of 3 synthetic trials with a 1.5-2.5 % spread.
Point arm_point(const ArmSpec& a, long c, long gpus, size_t k) {
  Point p = model_point(kVariants[0], kArmMbt, c, gpus, c >= 32 ? a.tpot_from_32 : a.tpot_below_32, a.ttft);
  double cv = 0.015 + 0.01 * std::abs(std::sin(c * 0.7 + static_cast<double>(k) * 1.3));
  p.trials = kArmTrials;
  p.num_prompts = *p.num_prompts * p.trials;  // counts add up over trials
  p.completed = p.num_prompts;
  p.spread = {{"n", kArmTrials},
              {"output_tok_s", cv * *p.output_tok_s},
              {"request_throughput_rps", cv * *p.request_throughput_rps},
              {"ttft_ms_mean", 1.5 * cv * *p.ttft_ms.mean},
              {"tpot_ms_mean", cv * *p.tpot_ms.mean},
              {"e2el_ms_mean", cv * *p.e2el_ms.mean}};
  return p;
}

Point failed_point(long c, const std::string& why) {
  Point p;
  p.concurrency = c;
  p.request_rate = INFINITY;
  p.num_prompts = prompts_per_trial(c);
  p.completed = 0;
  p.failed = p.num_prompts;
  p.status = "failed";
  p.error = why;
  p.source.push_back({"synthetic", "report-smoke-fixture", "v1", std::nullopt, std::nullopt});
  return p;
}

// What dcgm_correlate would have joined to the cell: activity rising with the
// GPU's speed, power near its class, tokens/W from the cell's own throughput.
void add_synthetic_telemetry(AtlasCell& cell, const VariantSpec& v) {
  double tok = 0, dur = 0;
  for (const auto& p : cell.points)
    if (plot_ready(p) && p.output_tok_s_per_gpu && p.duration_s) {
      tok += *p.output_tok_s_per_gpu * *p.duration_s;
      dur += *p.duration_s;
    }
  double power = v.speed < 1.5 ? 610 : 880, dram = 48 + 6 * v.speed, tbs = v.speed < 1.5 ? (v.speed < 1.2 ? 3.35 : 4.8) : 7.7;
  json corr = {{"window", {{"start", "2026-01-01T00:00:00.000Z"}, {"end", "2026-01-01T06:00:00.000Z"}, {"source", "synthetic"}}},
               {"samples_used", 120},
               {"mean", {{"sm_active_pct", 55 + 5 * v.speed}, {"sm_occupancy_pct", 18 + 2 * v.speed}, {"tensor_active_pct", 20 + 4 * v.speed},
                         {"dram_active_pct", dram}, {"gr_active_pct", 90}, {"sm_clock_mhz", 1755}, {"nvlink_tx_bytes_s", 4.2e10 * (v.mtp ? 1.1 : 1)}}},
               {"dcgm_bandwidth_tb_s", dram / 100 * tbs},
               {"dcgm_bandwidth_pct_of_datasheet", dram},
               {"tensor_tflops_per_gpu", (20 + 4 * v.speed) / 100 * (v.speed < 1.5 ? 1979 : 4500) * 1755 / 1830},
               {"power_watts_per_gpu", power},
               {"format", "report-smoke-fixture"}};
  if (dur > 0) corr["tokens_per_watt"] = tok / dur / power;
  cell.extra["dcgm_correlation"] = corr;
}

// A synthetic roofline sweep of the smoke model on B200 (NVFP4, TP4): decode
// delivers 55-80 % of the HBM ceiling as the batch grows, prefill ~40 % of
// the FP4 roof. The GLM-4.5 shape (built-in registry) stands in for GLM-5.1.
std::vector<AtlasCell> roofline_cells(const std::string& campaign_id) {
  ModelShape shape = *builtin_shape("GLM-4.5");
  shape.name = "GLM-5.1";
  shape.source = "builtin:GLM-4.5 (synthetic stand-in for GLM-5.1)";
  set_weight_dtype(shape, "nvfp4");
  set_kv_dtype(shape, "fp8");
  const double kHbmTbS = 7.7, kFp4Tflops = 9000;  // B200, as in configs/sol-ceilings.yaml
  const long gpus = 4;
  std::vector<AtlasCell> out;
  for (const char* phase : {"decode", "prefill"}) {
    AtlasCell cell;
    cell.campaign = campaign_id;
    cell.cell_id = std::string("b200-nvfp4-tp4-roofline-") + phase;
    cell.sweep_kind = phase;
    cell.model = "GLM-5.1";
    cell.hardware = "B200";
    cell.quant = "NVFP4";
    cell.kv_cache_dtype = "fp8";
    cell.tensor_parallel = gpus;
    cell.gpus = gpus;
    cell.parallel_strategy = "TP";
    cell.mtp = false;
    cell.engine = "vllm";
    cell.cache_mode = "cold";
    cell.backend = "roofline-sweep";
    cell.extra["roofline_sweep"] = {{"label", "b200-nvfp4-tp4-roofline"}, {"model_shape_from", shape.source},
                                    {"model_shape", to_json(shape)}, {"prefill_causal_halving", true}};
    std::vector<long> xs = std::string(phase) == "decode" ? std::vector<long>{1, 2, 4, 8, 16, 32, 64, 128, 256}
                                                          : std::vector<long>{512, 1024, 2048, 4096, 8192};
    for (long x : xs) {
      Point p;
      SweepCoordinates sc;
      double frac;
      if (std::string(phase) == "decode") {
        frac = 0.55 + 0.25 * (1 - std::exp(-static_cast<double>(x) / 32));
        sc = decode_coordinates(shape, static_cast<double>(x), kIsl + kOsl / 2.0, std::nullopt, gpus, 1);
        double tok_s = x * frac * kHbmTbS * 1e12 * gpus / sc.bytes_per_step;
        sc = decode_coordinates(shape, static_cast<double>(x), kIsl + kOsl / 2.0, tok_s, gpus, 1);
        p.concurrency = x;
        p.output_tok_s = tok_s;
        p.output_tok_s_per_gpu = tok_s / gpus;
      } else {
        frac = 0.30 + 0.12 * std::log2(static_cast<double>(x) / 512) / 4;
        sc = prefill_coordinates(shape, 1, static_cast<double>(x), std::nullopt, gpus, 1);
        double tok_s = frac * kFp4Tflops * 1e12 * gpus / sc.flops_per_token;
        sc = prefill_coordinates(shape, 1, static_cast<double>(x), tok_s, gpus, 1);
        p.concurrency = 1;
        p.isl = x;
        p.total_tok_s = tok_s;
      }
      p.duration_s = 3;
      p.extra["roofline"] = to_json(sc);
      p.extra["telemetry"] = {{"dram_active_pct", std::min(95.0, frac * 100 + 3)},
                              {"tensor_active_pct", std::string(phase) == "decode" ? 4 + 20 * frac * x / 256 : frac * 140},
                              {"power_w", 600 + 300 * frac}};
      p.source.push_back({"synthetic", "report-smoke-fixture", "v1", std::nullopt, std::nullopt});
      cell.points.push_back(std::move(p));
    }
    cell.status = cell_status(cell.points, {});
    out.push_back(std::move(cell));
  }
  return out;
}

const ArmSpec* arm_of(const std::string& cell) {
  for (const auto& a : kArms)
    if (cell == a.cell_id) return &a;
  return nullptr;
}

// Per-request rows of an arm's point, as --save-detailed would give them:
// every completed request of each trial, TTFT and TPOT log-normal around the
// point's model (SGLang with a heavier TTFT tail), output lengths 200-256.
// The point's latency statistics are then computed from these rows, as an
// import computes them from a file's arrays, so page 1 and the
// distribution page agree.
void add_synthetic_requests(Point& p, long point_index, size_t arm, std::vector<RequestRow>& rows) {
  uint64_t state = 0x9e3779b97f4a7c15ULL ^ (static_cast<uint64_t>(*p.concurrency) << 8) ^ arm;
  auto uniform = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((state >> 11) + 0.5) / 9007199254740992.0;
  };
  auto normal = [&] { return std::sqrt(-2 * std::log(uniform())) * std::cos(2 * M_PI * uniform()); };
  const double ttft_sigma = arm == 3 ? 0.55 : 0.3, tpot_sigma = arm == 1 ? 0.06 : 0.12;
  const double ttft_mean = *p.ttft_ms.mean, tpot_mean = *p.tpot_ms.mean;
  std::vector<double> ttft, tpot, e2el;
  size_t n = static_cast<size_t>(std::max(0L, *p.completed / std::max(1L, p.trials) * p.trials));
  ttft.reserve(n);
  tpot.reserve(n);
  e2el.reserve(n);
  for (long trial = 0; trial < p.trials; ++trial)
    for (long i = 0; i < *p.completed / p.trials; ++i) {
      RequestSample r;
      r.ttft_ms = ttft_mean * std::exp(ttft_sigma * normal() - ttft_sigma * ttft_sigma / 2);
      r.tpot_ms = tpot_mean * std::exp(tpot_sigma * normal() - tpot_sigma * tpot_sigma / 2);
      r.output_tokens = std::floor(200 + 57 * uniform());
      r.e2el_ms = r.ttft_ms + r.tpot_ms * (r.output_tokens - 1);
      rows.push_back({point_index, trial, r});
      ttft.push_back(r.ttft_ms);
      tpot.push_back(r.tpot_ms);
      e2el.push_back(r.e2el_ms);
    }
  // distribution_of's percentiles, by selection rather than a sort of every row.
  auto stat = [](std::vector<double> v) {
    auto mean = stats::mean(v);
    auto sd = stats::population_stdev(v, mean);
    auto p50 = stats::percentile_select(v, 50), p90 = stats::percentile_select(v, 90), p99 = stats::percentile_select(v, 99);
    return LatencyStat{mean, p50, p90, p99, sd};
  };

  p.ttft_ms = stat(std::move(ttft));
  p.tpot_ms = stat(std::move(tpot));
  p.e2el_ms = stat(std::move(e2el));
  p.extra["per_request"] = {{"table", kRequestTableFile},
                            {"requests", n},
                            {"trials_with_requests", p.trials},
                            {"from", {"synthetic"}}};
}

AtlasCell arm_cell(const AtlasCell& identity, const ArmSpec& a, const std::string& campaign_id, std::vector<RequestRow>& requests) {
  AtlasCell cell = identity;
  cell.campaign = campaign_id;
  cell.backend = a.engine == std::string("vllm") ? "vllm-sweep" : "sglang";
  cell.hf_path = "zai-org/GLM-5.1 (synthetic)";
  const size_t arm = static_cast<size_t>(&a - kArms);
  size_t rows = 0;
  for (long conc : kConc) rows += static_cast<size_t>(prompts_per_trial(conc) * kArmTrials);
  requests.reserve(requests.size() + rows);
  for (long conc : kConc) {
    cell.points.push_back(arm_point(a, conc, *cell.gpus, arm));
    add_synthetic_requests(cell.points.back(), static_cast<long>(cell.points.size() - 1), arm, requests);
  }
  cell.status = cell_status(cell.points, cell.concurrencies_requested);
  add_synthetic_telemetry(cell, kVariants[0]);
  cell.sol_rigor = sol_rigor_of(cell, false, false);
  cell.extra["missing_concurrencies"] = json::array();
  cell.extra["bench_timestamps"] = {{"stamps", {"2026-01-01T06:00:00Z", "2026-01-01T08:00:00Z"}}, {"note", "synthetic"}};
  return cell;
}

}  // namespace

std::vector<AtlasCell> synthetic_scale_cells(const std::string& campaign_id, size_t variants) {
  std::vector<AtlasCell> cells;
  for (size_t i = 0; i < variants; ++i) {
    const VariantSpec& v = kVariants[i % 8];
    for (long mbt : kMbt) {
      AtlasCell cell;
      cell.campaign = campaign_id;
      cell.cell_id = fmt::format("v{:05}-{}", i, cell_id(v, mbt));
      cell.model = "GLM-5.1";
      cell.hardware = v.hardware;
      cell.quant = fmt::format("{}-r{}", v.quant, i / 8);
      cell.tensor_parallel = v.tp;
      cell.parallel_strategy = v.strategy;
      cell.mtp = v.mtp;
      cell.max_num_batched_tokens = mbt;
      cell.gpus = v.tp;
      cell.backend = "vllm-sweep";
      cell.concurrencies_requested.assign(std::begin(kConc), std::end(kConc));
      for (long conc : kConc) cell.points.push_back(model_point(v, mbt, conc, v.tp));
      cell.status = cell_status(cell.points, cell.concurrencies_requested);
      cells.push_back(std::move(cell));
    }
  }
  return cells;
}

// Kernel categories as an nsys summary of a decode-heavy window would give
// them: an MoE model, so expert GEMMs dominate; EP moves time into all-to-all,
// TP into all-reduce; NVFP4 shortens the GEMMs; MTP adds attention (drafts).
KernelBreakdown synthetic_kernels(const VariantSpec& v) {
  KernelBreakdown k;
  double gemm_speed = std::string(v.quant) == "NVFP4" ? 1.6 : 1.0;
  bool ep = std::string(v.strategy) == "EP";
  k.category_ms = {{"gemm", 310 / gemm_speed},          {"attention", v.mtp ? 260.0 : 190.0},
                   {"moe", (ep ? 420.0 : 480.0) / gemm_speed}, {"communication", ep ? 210.0 : 150.0},
                   {"elementwise", 95.0},               {"other", 25.0}};
  k.source_file = "synthetic (report-smoke-fixture)";
  k.source_format = "kernels_v1";
  k.scope = "decode steady state, c=64 (synthetic)";
  KernelRecord top;
  top.name = ep ? "void fused_moe_kernel<__nv_bfloat16>(...)" : "void cutlass::Kernel2<cutlass_sm100_moe_gemm>(...)";
  top.category = "moe";
  top.total_time_ms = k.category_ms["moe"] * 0.7;
  k.top_kernels.push_back(top);
  return k;
}

// Two ncu captures of the sweep's decode step (batch 1 and 64): the GEMMs
// move toward the DRAM roof as the batch grows, attention and norms do not.
std::vector<NcuCapture> synthetic_ncu() {
  struct K {
    const char* name;
    double us1, dram1, sm1, us64, dram64, sm64;
    long launches;
  };
  const K ks[] = {
      {"void cutlass::Kernel2<cutlass_sm100_moe_gemm_nvfp4>(Params)", 41, 58, 12, 96, 81, 34, 4},
      {"nvjet_sm100_tst_128x64_64x6_2x1_v_bz_NNT", 22, 63, 9, 48, 84, 29, 4},
      {"void flashinfer::BatchDecodeWithPagedKVCacheKernel<128, 8>(Params)", 9, 21, 6, 71, 77, 18, 2},
      {"void vllm::cross_device_reduce_1stage<__nv_bfloat16, 4>(RankData*)", 14, 3, 2, 19, 5, 3, 2},
      {"void vllm::fused_add_rms_norm_kernel<__nv_bfloat16, 8>(Params)", 4, 19, 7, 9, 46, 11, 4},
      {"void vllm::act_and_mul_kernel<__nv_bfloat16, silu>(Params)", 3, 12, 5, 8, 52, 14, 2},
      {"void vllm::moe::topkGatingSoftmax<8, 256>(Params)", 3, 2, 4, 5, 6, 9, 2},
      {"void at::native::vectorized_elementwise_kernel<4, FillFunctor<float>>(int)", 2, 1, 1, 2, 1, 1, 2},
  };
  std::vector<NcuCapture> out;
  for (int b = 0; b < 2; ++b) {
    NcuCapture cap;
    cap.label = b == 0 ? "b1" : "b64";
    cap.file = "raw/ncu/" + cap.label + ".csv (synthetic)";
    cap.layout = "ncu-csv-long";
    long id = 0;
    for (const auto& k : ks)
      for (long i = 0; i < k.launches; ++i) {
        KernelRecord r;
        r.id = id++;
        r.name = k.name;
        r.category = kernel_category(r.name);
        r.duration_us = (b == 0 ? k.us1 : k.us64) / static_cast<double>(k.launches);
        r.dram_pct = b == 0 ? k.dram1 : k.dram64;
        r.sm_pct = b == 0 ? k.sm1 : k.sm64;
        r.nvtx = "decode";
        cap.kernels.push_back(r);
      }
    out.push_back(std::move(cap));
  }
  return out;
}

SmokeCampaign smoke_campaign(const std::string& id) {
  Campaign c;
  c.config = parse_campaign_config(config_yaml(), kConfigFile);
  c.id = id.empty() ? utc_compact_now() + "-" + c.config.slug : id;
  SmokeCampaign out;
  out.id = c.id;
  // The A/B arms (their 24,000 request rows are most of the work) are made
  // on their own threads while this one makes the sweep. (On an exception,
  // std::async's futures wait for their threads, before `c` they read is gone.)
  struct Arm {
    AtlasCell cell;
    std::vector<RequestRow> requests;
  };
  std::vector<std::future<Arm>> arms;
  for (const auto& cc : c.config.cells)
    if (const ArmSpec* a = arm_of(cc.identity.cell_id))
      arms.push_back(std::async(std::launch::async, [&cc, a, &id = c.id] {
        Arm out;
        out.cell = arm_cell(cc.identity, *a, id, out.requests);
        return out;
      }));
  for (const auto& cc : c.config.cells) {
    if (arm_of(cc.identity.cell_id)) continue;
    const VariantSpec* v = nullptr;
    long mbt = *cc.identity.max_num_batched_tokens;
    for (const auto& vs : kVariants)
      if (cell_id(vs, mbt) == cc.identity.cell_id) v = &vs;
    AtlasCell cell = cc.identity;
    cell.campaign = c.id;
    cell.backend = "vllm-sweep";
    cell.engine_version = "0.11.2";
    cell.hf_path = "zai-org/GLM-5.1 (synthetic)";
    bool failed_cell = std::string(v->hardware) == "H200" && !v->mtp && mbt == 1024;
    bool partial_cell = std::string(v->hardware) == "GB300" && v->mtp && mbt == 16384;
    for (long conc : kConc) {
      if (failed_cell) cell.points.push_back(failed_point(conc, "server never became ready: engine core failed to start (synthetic)"));
      else if (partial_cell && conc >= 64) cell.points.push_back(failed_point(conc, "CUDA out of memory during decode (synthetic)"));
      else cell.points.push_back(model_point(*v, mbt, conc, *cell.gpus));
      // KV-cache pressure shows up as evictions just before the OOM.
      if (partial_cell && conc == 32) cell.points.back().preemptions = 12;
    }
    cell.status = cell_status(cell.points, cell.concurrencies_requested);
    if (!failed_cell) add_synthetic_telemetry(cell, *v);
    if (!failed_cell && mbt == 8192) out.evidence.kernels[cell.cell_id] = synthetic_kernels(*v);
    cell.sol_rigor = sol_rigor_of(cell, false, out.evidence.kernels.count(cell.cell_id) > 0);
    cell.extra["missing_concurrencies"] = json::array();
    cell.extra["bench_timestamps"] = {{"stamps", {"2026-01-01T00:00:00Z", "2026-01-01T06:00:00Z"}}, {"note", "synthetic"}};
    bool preempted = false;
    for (const auto& p : cell.points) preempted = preempted || (p.preemptions && *p.preemptions > 0);
    if (preempted && cell.mtp.value_or(false)) ++out.mtp_cells_with_preemptions;
    out.cells.push_back(std::move(cell));
  }
  for (auto& f : arms) {
    Arm made = f.get();
    out.evidence.requests[made.cell.cell_id] = std::move(made.requests);
    out.cells.push_back(std::move(made.cell));
  }
  for (const auto& cell : out.cells) add_to_coverage(out.coverage, cell);
  // A roofline sweep of the same model (pages 4 and 7); outside coverage.
  for (auto& cell : roofline_cells(c.id)) {
    if (cell.sweep_kind == "decode") out.evidence.ncu[cell.cell_id] = synthetic_ncu();
    cell.sol_rigor = sol_rigor_of(cell, out.evidence.ncu.count(cell.cell_id) > 0, false);
    out.cells.push_back(std::move(cell));
  }
  std::sort(out.cells.begin(), out.cells.end(), [](const AtlasCell& a, const AtlasCell& b) { return a.cell_id < b.cell_id; });
  Warnings ignored;  // the fixture's DRAFT gates are the point of page 8, not warnings
  ChampionRequest champion;
  champion.campaign = c.id;
  ChampionDocument doc = champion_document(c, out.cells, champion, ignored);
  out.evidence.champion = std::move(doc.json);
  out.evidence.champion_markdown = std::move(doc.markdown);
  out.campaign = std::move(c);
  return out;
}

SmokeCampaign build_smoke_campaign(const fs::path& root) {
  SmokeCampaign out = smoke_campaign(free_campaign_id(root, slugify(kName)));
  Campaign& c = out.campaign;
  std::string text = config_yaml();
  fs::path cfg_path = root / kConfigFile;
  atomic_write(cfg_path, text, false);
  c.dir = out.dir = create_campaign(root, text, cfg_path, c.config, c.id).dir;
  atomic_write(c.dir / "champion_select.json", out.evidence.champion.dump(2) + "\n", false);
  atomic_write(c.dir / "CHAMPION.md", out.evidence.champion_markdown, false);
  // Each cell is serialized once, for its normalized.json and its atlas line.
  std::string atlas;
  for (const auto& cell : out.cells) {
    std::string line;
    append_atlas_line(cell, line);
    fs::path dir = c.cell_dir(cell.cell_id);
    atomic_write(dir / "normalized.json", line, false);
    atomic_write(dir / "status.txt", cell.status + "\n", false);
    if (auto k = out.evidence.kernels.find(cell.cell_id); k != out.evidence.kernels.end())
      atomic_write(dir / "kernels.json", kernel_breakdown_to_json(k->second).dump(2) + "\n", false);
    if (auto n = out.evidence.ncu.find(cell.cell_id); n != out.evidence.ncu.end())
      atomic_write(dir / "ncu.json", ncu_captures_to_json(n->second).dump(2) + "\n", false);
    if (auto r = out.evidence.requests.find(cell.cell_id); r != out.evidence.requests.end())
      atomic_write(dir / kRequestTableFile, request_table_csv(r->second), false);
    atlas += line;
  }
  atomic_write(c.dir / "atlas.jsonl", atlas, false);
  return out;
}

}  // namespace ptr
