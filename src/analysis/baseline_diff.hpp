#pragma once
// baseline_diff: a campaign's points against an earlier campaign's, matched
// on the comparison key (the configuration without the stack: engine
// version, image, delivery, dates) and the concurrency; regressions and
// improvements beyond a threshold and beyond the trials' noise.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/atlas_cell.hpp"

namespace ptr {

struct DiffConfig {
  double threshold_pct = 5;
  bool cross_delivery = false;  // compare points of different delivery (said in the output)
};

struct DiffResult {
  nlohmann::json matches = nlohmann::json::array();    // per matched (cell pair, concurrency, metric)
  nlohmann::json unmatched = nlohmann::json::array();  // points never compared, with why
  long regressions = 0, improvements = 0;
  nlohmann::json to_json(const DiffConfig& cfg) const;
};

DiffResult diff_campaigns(const std::vector<AtlasCell>& fresh, const std::vector<AtlasCell>& baseline, const DiffConfig& cfg);
std::string diff_markdown(const DiffResult& r, const DiffConfig& cfg, const std::string& fresh_id, const std::string& base_id);

}  // namespace ptr
