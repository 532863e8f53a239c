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
  std::string id;        // rule id, e.g. decode_hbm_gap; "declared" for the config's
  std::string title;     // what to do
  std::string evidence;  // what in the data says so
  std::string unlock;    // expected unlock: direction and rough magnitude
  std::string gate;      // what proves or refutes it
  double value = 0;      // 0..1, the share of capacity it could move
  double cost = 1;       // 1 (a re-run) .. 3 (engineering work)
  std::string source = "data";  // data | config (the campaign's frontier: block)
  std::string why_lost = {};    // a refuted lever: what in the data (or the team's note) refuted it
  double score() const { return value / cost; }
};

// The standing frontier: the open levers best first, the refuted ones with
// why they lost, and the speed-of-light wall when one is documented (a
// roofline sweep's decode at >= 75 % of HBM, or the config's `wall:`). It is
// never empty without a wall: then its lever is to find the wall.
struct Frontier {
  std::vector<Lever> levers;
  std::vector<Lever> refuted;
  std::string wall;
};

// The config's `frontier:` block (docs/champion.md): {levers: [{name,
// expected_unlock, cost, gate, value?, status: open|refuted, why?}], wall?}.
// Throws an input Error naming `file` and the key on a malformed block.
Frontier declared_frontier(const nlohmann::json& block, const std::string& file);

// `ceilings` (may be null) turns a roofline sweep's delivered HBM into % of the datasheet.
Frontier value_view(const std::vector<AtlasCell>& cells, const SolCeilings* ceilings, const Frontier& declared = {});
// The same over cells held elsewhere (the report's serving and roofline cells, not copied).
Frontier value_view(const std::vector<const AtlasCell*>& cells, const SolCeilings* ceilings, const Frontier& declared = {});
nlohmann::json frontier_to_json(const Frontier& f);
std::string handoff_markdown(const Frontier& f, const std::string& campaign);
// "Next lever: <title> (<unlock>)", for the end of a verb's human output.
std::string next_lever_line(const Frontier& f);

}  // namespace ptr
