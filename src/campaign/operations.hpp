#pragma once
// The campaign operations behind the verbs. Each returns a JSON result and
// appends warnings; errors are thrown as ptr::Error.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "campaign/layout.hpp"
#include "campaign/points.hpp"

namespace ptr {

struct InitResult {
  std::string id;
  fs::path dir;
  size_t cells = 0;
  Campaign campaign;  // the new campaign, config already parsed
};
InitResult init_campaign(const fs::path& root, const fs::path& config_path);
// The part after parsing: writes the campaign folder for a validated config.
// `id` is chosen here unless given (it must then be free).
InitResult create_campaign(const fs::path& root, const std::string& config_text, const fs::path& config_path,
                           CampaignConfig cfg, std::optional<std::string> id = std::nullopt);
std::string free_campaign_id(const fs::path& root, const std::string& slug);

struct ImportRequest {
  std::string campaign;
  std::string cell;
  std::vector<std::string> paths;
  std::string backend = "auto";
  std::optional<std::string> cache_mode;
  // Identity of a cell that is not in the config: field name -> value, for the
  // config fields of the field table (the same table makes the flags).
  json identity = json::object();
  json extra = json::object();  // recorded in the cell's extra on creation (e.g. an arm's serving flags)
  bool allow_mixed_models = false;
};
json import_perf_bench(const fs::path& root, const ImportRequest& req, Warnings& warnings);

// A cell not in the config, from its identity flags (field name -> value for
// the config fields of the field table), checked by the table's rules; a usage
// error lists the missing required flags.
AtlasCell cell_identity_from_flags(const std::string& campaign_id, const std::string& cell, const json& identity);

// Re-reads cells/<id>/raw/ and rewrites normalized.json + status.txt.
AtlasCell rebuild_cell(const Campaign& c, const AtlasCell& identity, Warnings& warnings);

struct AggregateResult {
  Coverage coverage;
  fs::path atlas;
  std::vector<AtlasCell> cells;
};
// The cell's speed-of-light rigor (docs/roofline.md): L4 with ncu results,
// L3 with DRAM activity over its window (its dcgm_correlation or its points'
// telemetry), L1 with kernel categories, else none.
std::string sol_rigor_of(const AtlasCell& cell, bool has_ncu, bool has_kernels);
AggregateResult aggregate_atlas(const fs::path& root, const std::string& campaign, Warnings& warnings);
// Reads <campaign>/atlas.jsonl; a malformed line raises, naming the line.
std::vector<AtlasCell> read_atlas(const Campaign& c);
// Writes atlas.jsonl for cells already in memory (sorted by cell_id here).
AggregateResult write_atlas(const Campaign& c, std::vector<AtlasCell> cells, bool durable = true);

}  // namespace ptr
