#pragma once
// value_view, the grind frontier: candidate next levers derived from the
// data (docs/value-view.md), each with the evidence, the expected unlock, a
// cost, the gate that proves or refutes it, ranked by value x cost.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/roofline/ceilings.hpp"
#include "model/atlas_cell.hpp"

namespace ptr {

struct Lever {
  std::string id;        // rule id, e.g. decode_hbm_gap
  std::string title;     // what to do
  std::string evidence;  // what in the data says so
  std::string unlock;    // expected unlock: direction and rough magnitude
  std::string gate;      // what proves or refutes it
  double value = 0;      // 0..1, the share of capacity it could move
  double cost = 1;       // 1 (a re-run) .. 3 (engineering work)
  double score() const { return value / cost; }
};

// `ceilings` (may be null) turns a roofline sweep's delivered HBM into % of the datasheet.
std::vector<Lever> value_view(const std::vector<AtlasCell>& cells, const SolCeilings* ceilings);
nlohmann::json levers_to_json(const std::vector<Lever>& levers);
std::string handoff_markdown(const std::vector<Lever>& levers, const std::string& campaign);
// "Next lever: <title> (<unlock>)", for the end of a verb's human output.
std::string next_lever_line(const std::vector<Lever>& levers);

}  // namespace ptr
