#pragma once
// Which category a GPU kernel's name belongs to (gemm, attention, moe,
// communication, elementwise, other): ordered substring rules, documented in
// docs/formats/kernels.md, and the per-category time of a profiler's kernel list.
#include <string>
#include <string_view>
#include <vector>

#include "model/kernels.hpp"

namespace ptr {

struct KernelRule {
  const char* category;
  std::vector<const char*> needles;  // lower-case substrings; the first rule with a match wins
};
const std::vector<KernelRule>& kernel_rules();

std::string kernel_category(std::string_view name);

// Per-category time of kernels with total_time_ms (an nsys summary); the
// `top` largest kernels kept for the record.
KernelBreakdown breakdown_of(const std::vector<KernelRecord>& kernels, size_t top = 12);

}  // namespace ptr
