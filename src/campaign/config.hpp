#pragma once
// The campaign config (YAML): what cells exist and how each is served. Parsed
// and validated in one pass that collects every problem, each naming the cell
// and key (and YAML line), before anything is written.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/atlas_cell.hpp"

namespace ptr {

struct CellConfig {
  AtlasCell identity;              // identity/parallelism/serving/workload fields, no points
  std::vector<long> concurrencies;
  std::optional<long> num_prompts;
  std::optional<long> warmup_requests;
  json backends = json::object();  // vllm_sweep / aiperf / sglang blocks, kept verbatim
};

struct CampaignConfig {
  std::string name;
  std::string slug;
  std::string description;
  std::string focus = "mixed";  // latency | throughput | mixed: what the campaign optimizes
  std::string verdict_tier = "draft";  // draft | verdict: what the campaign claims (champion_select checks it)
  json provenance = json::object();
  json tpm = json::object();
  json cost = json::object();
  json frontier;  // user-declared levers and wall (value_view; analysis/value_view.hpp), null when absent
  std::vector<CellConfig> cells;
  const CellConfig* find_cell(const std::string& id) const;
};

// Throws one input Error listing every problem (one per line) when invalid.
CampaignConfig parse_campaign_config(const std::string& yaml_text, const std::string& file);

// [a-z0-9][a-z0-9._-]*, ending in a letter or digit, no "..", at most 55
// characters (a Kubernetes label value is 63, minus room for "-prefill").
inline constexpr size_t kMaxCellIdLength = 55;
bool valid_cell_id(const std::string& id);
// " (did you mean 'x'?)" for a key close to a known one, else "".
std::string did_you_mean(const std::string& key, const std::vector<std::string>& known);
inline constexpr const char* kCellIdRule =
    "match [a-z0-9][a-z0-9._-]*, end in a letter or digit, have at most 55 characters and no '..'";
std::string slugify(const std::string& name);
// GPUs behind one endpoint: TP x DP x PP (missing factors count as 1).
std::optional<long> gpus_of(const AtlasCell& c);

// Keys a cell may carry, with their kind; used by docs and validation.
struct ConfigKey {
  const char* name;
  const char* kind;  // string | int | number | bool | int_list | map | enum
  bool required;
  const char* doc;
};
const std::vector<ConfigKey>& cell_config_keys();

}  // namespace ptr
