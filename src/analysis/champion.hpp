#pragma once
// champion_select's ranking and gates (docs/champion.md): every serving cell
// against the baseline under the focus metric, at the SLO operating point
// computed by tpm_summary's own cell_sla; Welch's t-test on the trials;
// sensitivity to the SLO ±20 %; DRAFT unless every VERDICT gate holds.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/significance.hpp"
#include "analysis/tpm.hpp"
#include "model/atlas_cell.hpp"

namespace ptr {

struct ChampionConfig {
  TpmConfig tpm;                        // the SLO (ttft/tpot limits, percentile)
  std::string focus = "throughput";     // throughput | latency
  size_t top = 3;
  std::string baseline;                 // cell id
  std::vector<std::string> required_workloads = {"aa", "sonnet", "sharegpt", "random", "code"};
  std::optional<std::vector<std::string>> workloads_present;  // --workloads-present
  std::string accuracy_gate = "unknown";                      // pass | fail | unknown
  std::optional<bool> same_node;                              // --same-node
  std::optional<long> trials;                                 // --trials
};

struct ChampionCandidate {
  std::string cell, label, engine, delivery, sol_rigor;
  std::optional<double> score, score_std;  // throughput: out tok/s/GPU at the SLO point; latency: TPOT ms at the matched c
  long trials = 1;
  double at_concurrency = 0;               // where the score was taken (fractional when interpolated)
  std::string sla_status, binding;
  std::optional<double> delta_pct;         // vs baseline (positive = better)
  std::optional<WelchResult> vs_baseline;  // significance of the difference
  nlohmann::json per_concurrency = nlohmann::json::array();  // {c, value, std, n, delta_pct, p}
  nlohmann::json telemetry = nlohmann::json::object();       // hbm/tensor/sm % where correlated
};

struct ChampionResult {
  std::vector<ChampionCandidate> ranked;  // best first (those with a score), the baseline among them
  std::vector<std::string> unranked;      // "<cell>: why" (no SLO point ...)
  std::string champion, runner_up;
  std::optional<double> margin_pct;       // champion over runner-up
  std::vector<std::string> unmet_gates;
  std::string tier = "draft";             // draft | verdict
  nlohmann::json sensitivity = nlohmann::json::object();
  nlohmann::json to_json(const ChampionConfig& cfg) const;
};

// Throws a usage error when a flag contradicts what the data knows (trials,
// node, datasets) or the baseline is not a serving cell.
ChampionResult select_champion(const std::vector<AtlasCell>& cells, const ChampionConfig& cfg);

std::string champion_markdown(const ChampionResult& r, const ChampionConfig& cfg, const std::string& campaign);

}  // namespace ptr
