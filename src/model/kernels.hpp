#pragma once
// Kernel-level evidence for a cell: where the GPU time goes by category
// (kernels.json, from a continuous profiler such as Nsight Systems) and how
// close single kernels come to the hardware peak (ncu.json, from Nsight
// Compute). Formats: docs/formats/kernels.md and docs/formats/ncu.md.
#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace ptr {

// The categories of kernels.json, in the order pages stack them.
inline constexpr std::array<const char*, 6> kKernelCategories = {"gemm", "attention", "moe", "communication", "elementwise", "other"};
bool is_kernel_category(const std::string& s);

// One kernel as a profiler reports it; what the profiler does not give is absent.
struct KernelRecord {
  std::string name;
  std::string category;                 // one of kKernelCategories
  std::optional<long> id;               // ncu's launch id
  std::optional<double> total_time_ms;  // all launches (nsys)
  std::optional<double> duration_us;    // one launch (ncu)
  std::optional<long> instances;        // launches summed (nsys)
  std::optional<double> dram_pct, memory_pct, sm_pct;  // % of peak sustained (ncu Speed Of Light)
  std::optional<double> dram_bytes;                    // read + write, one launch (ncu)
  std::optional<double> flop_count;                    // half + single + double precision FLOPs, when ncu counted them
  std::optional<std::string> nvtx;                     // the NVTX range it ran under (ncu --nvtx)
};

// cells/<id>/kernels.json (kernels_v1): GPU time per category.
struct KernelBreakdown {
  std::map<std::string, double> category_ms;  // every category of kKernelCategories, ms of GPU time
  std::string source_file;                    // the profiler export it was built from, when known
  std::string source_format;                  // nsys-cuda-gpu-kern-sum-csv | kernels_v1
  std::string scope;                          // what was profiled (free text, e.g. "decode, c=64"), may be empty
  std::vector<KernelRecord> top_kernels;      // the largest kernels, by time (optional)
  double total_ms() const;
  double share_pct(const std::string& category) const;
};

// Throws an input error whose message starts with "KernelsJsonMalformed:",
// naming the key and the reason.
KernelBreakdown kernel_breakdown_from_json(const nlohmann::json& j, const std::string& file);
nlohmann::json kernel_breakdown_to_json(const KernelBreakdown& k);

// cells/<id>/ncu.json (ncu_v1): one entry per imported Nsight Compute export.
struct NcuCapture {
  std::string label;   // e.g. b1, b64 (default: the file's stem)
  std::string file;    // the export, relative to the cell folder (raw/ncu/...)
  std::string layout;  // ncu-csv-long | ncu-csv-raw
  std::vector<KernelRecord> kernels;  // one per profiled launch
};
// Launches of one kernel name folded: total time, percentages weighted by duration.
struct NcuKernelSummary {
  std::string name, category;
  long launches = 0;
  double total_us = 0;
  std::optional<double> dram_pct, memory_pct, sm_pct;
};
std::vector<NcuKernelSummary> summarize_by_name(const NcuCapture& c);

std::vector<NcuCapture> ncu_captures_from_json(const nlohmann::json& j, const std::string& file);
nlohmann::json ncu_captures_to_json(const std::vector<NcuCapture>& captures);

nlohmann::json kernel_record_to_json(const KernelRecord& k);

// A kernel's name without return type, template arguments and parameters
// ("void at::vectorized_elementwise_kernel<4, ...>(int, ...)" ->
// "at::vectorized_elementwise_kernel"), for labels; the full name stays in the data.
std::string short_kernel_name(const std::string& name);
// The first functor, op or kernel name inside a templated kernel's arguments
// (e.g. "direct_copy_kernel_cuda" in at::unrolled_elementwise_kernel<...>), to
// tell apart instantiations with the same short name; "" when none.
std::string kernel_functor(const std::string& name);

}  // namespace ptr
