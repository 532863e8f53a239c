#pragma once
// The source under test (experiment_provenance_v1): engine commit, delivery,
// infra patch and repository, from the campaign config's `provenance:` block
// and/or a bundle file in the campaign folder (experiment_provenance.yaml or
// .json), plus the source registry (configs/source-registry.yaml) that maps
// engines to repository URLs. docs/campaign-config.md documents both.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "campaign/config.hpp"

namespace ptr {

inline constexpr const char* kProvenanceSchema = "experiment_provenance_v1";

struct ExperimentProvenance {
  // Known keys, normalised (aliases: commit -> engine_commit, version ->
  // engine_version, container_image -> image, repo_url -> repository).
  std::map<std::string, std::string> fields;
  json other = json::object();  // keys outside the schema, shown verbatim
  std::vector<std::string> sources;    // "campaign config (provenance:)", the bundle file
  std::vector<std::string> conflicts;  // "delivery: config says image, bundle says overlay"
  std::optional<std::string> get(const std::string& key) const;
};

// The known keys of experiment_provenance_v1, with what each means (docs).
const std::vector<std::pair<const char*, const char*>>& provenance_keys();

// Checks a provenance block as campaign_init reads it (input error naming the key).
void validate_provenance_block(const json& block, const std::string& file);

// Config block first (it wins on a conflict, which is listed), then the
// bundle file. A malformed bundle file is an input error naming it.
ExperimentProvenance read_provenance(const CampaignConfig& cfg, const std::filesystem::path& campaign_dir);

struct SourceRegistry {
  std::optional<std::filesystem::path> file;  // none found: links only from provenance.repository
  struct Engine {
    std::string repository;
    std::string commit_url = "{repository}/commit/{commit}";
  };
  std::map<std::string, Engine> engines;  // lower-case engine name
};

// Found by find_tool_config("source-registry.yaml", "SOURCE_REGISTRY_YAML", campaign_dir);
// malformed -> input error naming the file and key.
SourceRegistry load_source_registry(const std::filesystem::path& campaign_dir);

// An http(s) URL safe to put in a PDF link (no quotes, spaces or controls).
bool linkable_url(const std::string& s);
// Repository of an engine: provenance.repository, else the registry's.
std::optional<std::string> repository_for(const ExperimentProvenance& p, const SourceRegistry& r, const std::string& engine);
// The commit's URL when the repository is known and the commit looks like one (7-40 hex digits).
std::optional<std::string> commit_url(const SourceRegistry& r, const std::string& engine, const std::string& repository,
                                      const std::string& commit);

}  // namespace ptr
