#pragma once
// The full-context descriptor check: which descriptor fields are unknown per
// cell, what the data contradicts or cannot support (declared vs measured
// lengths, mixed workloads, run-to-run noise), and which workload fields
// differ across the variants of one campaign.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/atlas_cell.hpp"

namespace ptr {

struct MethodologyProblem {
  // unknown_field | descriptor_mismatch | descriptor_conflict | declared_vs_measured | mixed_workloads | high_variance
  std::string kind;
  std::string scope;   // a cell id, "<cell> c=<n>", or "across variants"
  std::string field;
  std::string detail;
};

std::vector<MethodologyProblem> methodology_problems(const std::vector<AtlasCell>& cells);
nlohmann::json to_json(const std::vector<MethodologyProblem>& problems);
// "max_num_seqs unknown in 40 cells" style lines for pages.
std::vector<std::string> summarize(const std::vector<MethodologyProblem>& problems);

}  // namespace ptr
