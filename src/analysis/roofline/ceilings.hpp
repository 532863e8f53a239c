#pragma once
// GPU ceilings (configs/sol-ceilings.yaml): dense tensor rates, HBM size and
// bandwidth, NVLink, power, each with its source, plus measured achievable
// ceilings. A malformed file is an input error starting "SoLCeilingsMalformed:".
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace ptr {

struct GpuCeiling {
  std::string key, name, source;
  std::optional<double> bf16_tflops, fp8_tflops, fp4_tflops;  // dense
  double hbm_gb = 0, hbm_tb_s = 0;
  std::optional<double> hbm_theoretical_tb_s;  // clock x bus: what DRAM_ACTIVE is relative to
  std::optional<double> nvlink_gb_s, tdp_w, boost_clock_mhz;
  std::optional<double> achievable_hbm_tb_s, achievable_bf16_tflops;
  std::string achievable_source;
  // The tensor roof for a weight format: NVFP4 on the FP4 roof, FP8 on FP8,
  // everything else (BF16, MXFP4 weights computed in BF16) on BF16. Returns
  // the roof and its name ("FP8").
  std::optional<std::pair<double, std::string>> compute_roof_tflops(const std::string& weight_dtype) const;
};

struct SolCeilings {
  std::filesystem::path file;
  std::map<std::string, std::string> hardware_to_key;
  std::map<std::string, GpuCeiling> gpus;
  const GpuCeiling* for_hardware(const std::string& hardware) const;  // nullptr when unmapped
};

// Parses the YAML text (file names the messages).
SolCeilings parse_sol_ceilings(const std::string& yaml_text, const std::string& file);
// SOL_CEILINGS_YAML, the campaign folder and its ancestors, then beside the
// binary; an input error when none exists.
SolCeilings load_sol_ceilings(const std::filesystem::path& campaign_dir);

}  // namespace ptr
