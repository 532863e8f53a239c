#include "analysis/kernel_category.hpp"

#include <algorithm>
#include <cctype>

namespace ptr {

const std::vector<KernelRule>& kernel_rules() {
  // Order matters: collectives first (NCCL kernels also name reduce/copy),
  // MoE before GEMM (grouped expert GEMMs are MoE time), attention before GEMM
  // (fmha_cutlass*, flash kernels built from CUTLASS), GEMM before elementwise.
  static const std::vector<KernelRule> rules = {
      {"communication", {"nccl", "allreduce", "all_reduce", "allgather", "all_gather", "reducescatter", "reduce_scatter",
                         "alltoall", "all_to_all", "cross_device_reduce", "custom_ar", "one_shot_all", "two_shot_all",
                         "deep_ep", "deepep", "mnnvl", "lamport", "nvshmem", "multimem"}},
      {"moe", {"moe", "expert", "grouped_gemm", "m_grouped", "topk_softmax", "routing"}},
      {"attention", {"flash", "fmha", "attention", "attn", "paged", "mla_", "_mla", "flashinfer", "batchprefill",
                     "batchdecode", "reshape_and_cache", "kv_cache", "sdpa", "xformers", "cutlass_mla", "merge_state"}},
      {"gemm", {"gemm", "gemv", "cublas", "cutlass", "xmma", "matmul", "nvjet", "wgmma", "scaled_mm", "sm90_", "sm100_",
                "splitk", "deep_gemm", "deepgemm", "_mm_", "marlin", "machete"}},
      {"elementwise", {"elementwise", "vectorized", "unrolled", "rms_norm", "rmsnorm", "layernorm", "layer_norm",
                       "norm_kernel", "reduction", "rotary", "rope", "silu", "act_and_mul", "gelu", "swiglu", "reduce_kernel", "softmax",
                       "copy", "fill", "cat_", "index", "quant", "triton_poi", "triton_red", "triton_per", "embedding",
                       "argmax", "sampling", "sample", "topk", "top_k", "penalt", "cast", "scatter", "gather"}},
  };
  return rules;
}

std::string kernel_category(std::string_view name) {
  std::string low(name);
  std::transform(low.begin(), low.end(), low.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& r : kernel_rules())
    for (const char* n : r.needles)
      if (low.find(n) != std::string::npos) return r.category;
  return "other";
}

KernelBreakdown breakdown_of(const std::vector<KernelRecord>& kernels, size_t top) {
  KernelBreakdown b;
  for (const char* c : kKernelCategories) b.category_ms[c] = 0;
  std::vector<KernelRecord> timed;
  for (const auto& k : kernels)
    if (k.total_time_ms) {
      b.category_ms[k.category] += *k.total_time_ms;
      timed.push_back(k);
    }
  std::stable_sort(timed.begin(), timed.end(), [](const auto& a, const auto& c) { return *a.total_time_ms > *c.total_time_ms; });
  if (timed.size() > top) timed.resize(top);
  b.top_kernels = std::move(timed);
  return b;
}

}  // namespace ptr
