#pragma once
// The full-context descriptor check: which descriptor fields are unknown per
// cell, and which comparisons differ in more than the variable under test
// (mbt within a group; hardware/quant/parallelism/MTP across groups).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/atlas_cell.hpp"

namespace ptr {

struct MethodologyProblem {
  // unknown_field | descriptor_mismatch | descriptor_conflict | declared_vs_measured | mixed_workloads | high_variance
  std::string kind;
  std::string scope;   // a cell id, a group key, or "across groups"
  std::string field;
  std::string detail;
};

std::vector<MethodologyProblem> methodology_problems(const std::vector<AtlasCell>& cells);
nlohmann::json to_json(const std::vector<MethodologyProblem>& problems);
// "max_num_seqs unknown in 40 cells" style lines for pages.
std::vector<std::string> summarize(const std::vector<MethodologyProblem>& problems);

}  // namespace ptr
