#include "campaign/provenance.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"
#include "util/tool_config.hpp"
#include "util/yaml_json.hpp"

namespace ptr {

namespace fs = std::filesystem;

const std::vector<std::pair<const char*, const char*>>& provenance_keys() {
  static const std::vector<std::pair<const char*, const char*>> keys = {
      {"schema", "experiment_provenance_v1 (optional; another value is refused)"},
      {"engine", "serving engine (vllm, sglang, ...): picks the repository from the source registry"},
      {"engine_version", "release the build is based on (alias: version)"},
      {"engine_commit", "exact commit built (alias: commit); linked to <repository>/commit/<sha>"},
      {"repository", "repository URL (alias: repo_url); default: the source registry's for the engine"},
      {"delivery", "how the build reached the GPUs: image | overlay | infr-patch ...; recorded on every cell"},
      {"image", "container image reference (alias: container_image)"},
      {"infra_patch", "patch applied on top (a path or an https URL; a URL is linked)"},
      {"infra_patch_url", "where the patch can be read (https)"},
      {"notes", "free text"},
  };
  return keys;
}

std::optional<std::string> ExperimentProvenance::get(const std::string& key) const {
  auto it = fields.find(key);
  if (it == fields.end()) return std::nullopt;
  return it->second;
}

namespace {

std::string canonical_key(const std::string& k) {
  static const std::map<std::string, std::string> aliases = {{"commit", "engine_commit"},
                                                             {"version", "engine_version"},
                                                             {"container_image", "image"},
                                                             {"repo_url", "repository"},
                                                             {"platform", "delivery"}};
  auto it = aliases.find(k);
  return it == aliases.end() ? k : it->second;
}

bool known_key(const std::string& k) {
  for (const auto& [name, doc] : provenance_keys())
    if (k == name) return true;
  return false;
}

void merge(ExperimentProvenance& out, const json& block, const std::string& source, const std::string& file) {
  if (!block.is_object()) throw_input(file, "expected a mapping of experiment_provenance_v1 keys");
  out.sources.push_back(source);
  for (auto it = block.begin(); it != block.end(); ++it) {
    std::string key = canonical_key(it.key());
    if (!known_key(key)) {
      if (!out.other.contains(it.key())) out.other[it.key()] = it.value();
      continue;
    }
    const json& v = it.value();
    if (v.is_null()) continue;
    if (!v.is_string() && !v.is_number()) throw_input(file, "expected a string", -1, it.key());
    std::string text = v.is_string() ? v.get<std::string>() : v.dump();
    if (key == "schema" && text != kProvenanceSchema)
      throw_input(file, fmt::format("schema must be {}, got '{}'", kProvenanceSchema, excerpt(text)), -1, "schema");
    auto [slot, inserted] = out.fields.emplace(key, text);
    if (!inserted && slot->second != text)
      out.conflicts.push_back(fmt::format("{}: {} says '{}', {} says '{}' (the first is used)", key, out.sources.front(),
                                          excerpt(slot->second), source, excerpt(text)));
  }
}

}  // namespace

void validate_provenance_block(const json& block, const std::string& file) {
  ExperimentProvenance scratch;
  merge(scratch, block, "campaign config (provenance:)", file);
}

ExperimentProvenance read_provenance(const CampaignConfig& cfg, const fs::path& campaign_dir) {
  ExperimentProvenance p;
  if (cfg.provenance.is_object() && !cfg.provenance.empty())
    merge(p, cfg.provenance, "campaign config (provenance:)", "config.yaml");
  // A campaign only in memory (report_smoke) has no folder to read a bundle file from.
  for (const char* name : {"experiment_provenance.yaml", "experiment_provenance.json"}) {
    if (campaign_dir.empty()) break;
    fs::path f = campaign_dir / name;
    std::error_code ec;
    if (!fs::exists(f, ec)) continue;
    require_regular_file(f);
    std::string text = read_file(f);
    json block = std::string(name).ends_with(".json") ? json::parse(text, nullptr, false) : parse_yaml_document(text, f.string());
    if (block.is_discarded()) throw_input(f.string(), "malformed JSON; expected an experiment_provenance_v1 object");
    merge(p, block, name, f.string());
  }
  return p;
}

bool linkable_url(const std::string& s) {
  if (!(s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0) || s.size() > 2000) return false;
  static const std::string allowed =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&()*+,;=%";
  return std::all_of(s.begin(), s.end(), [](char c) { return allowed.find(c) != std::string::npos; });
}

SourceRegistry load_source_registry(const fs::path& campaign_dir) {
  SourceRegistry r;
  r.file = find_tool_config("source-registry.yaml", "SOURCE_REGISTRY_YAML", campaign_dir);
  if (!r.file) return r;
  std::string file = r.file->string();
  require_regular_file(*r.file);
  json doc = parse_yaml_document(read_file(*r.file), file);
  if (!doc.is_object() || !doc.contains("engines") || !doc["engines"].is_object())
    throw_input(file, "expected a mapping with 'engines:' (engine name -> {repository: URL})", -1, "engines");
  for (auto it = doc["engines"].begin(); it != doc["engines"].end(); ++it) {
    std::string key = "engines." + it.key();
    const json& e = it.value();
    SourceRegistry::Engine entry;
    if (e.is_string()) entry.repository = e.get<std::string>();
    else if (e.is_object() && e.contains("repository") && e["repository"].is_string()) {
      entry.repository = e["repository"].get<std::string>();
      if (e.contains("commit_url")) {
        if (!e["commit_url"].is_string() || e["commit_url"].get<std::string>().find("{commit}") == std::string::npos)
          throw_input(file, "commit_url must be a string containing {commit}", -1, key + ".commit_url");
        entry.commit_url = e["commit_url"].get<std::string>();
      }
    } else {
      throw_input(file, "expected a repository URL or {repository: URL, commit_url: ...}", -1, key);
    }
    if (!linkable_url(entry.repository))
      throw_input(file, fmt::format("repository must be an http(s) URL without spaces or quotes, got '{}'", excerpt(entry.repository)),
                  -1, key + ".repository");
    std::string name = it.key();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    r.engines[name] = entry;
  }
  return r;
}

std::optional<std::string> repository_for(const ExperimentProvenance& p, const SourceRegistry& r, const std::string& engine) {
  if (auto repo = p.get("repository"); repo && linkable_url(*repo)) return repo;
  std::string name = engine;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (auto it = r.engines.find(name); it != r.engines.end()) return it->second.repository;
  return std::nullopt;
}

std::optional<std::string> commit_url(const SourceRegistry& r, const std::string& engine, const std::string& repository,
                                      const std::string& commit) {
  bool hex = commit.size() >= 7 && commit.size() <= 40 &&
             std::all_of(commit.begin(), commit.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
  if (!hex || !linkable_url(repository)) return std::nullopt;
  std::string tmpl = "{repository}/commit/{commit}";
  std::string name = engine;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (auto it = r.engines.find(name); it != r.engines.end()) tmpl = it->second.commit_url;
  std::string repo = repository;
  while (!repo.empty() && repo.back() == '/') repo.pop_back();
  std::string url = tmpl;
  for (auto [k, v] : {std::pair<std::string, std::string>{"{repository}", repo}, {"{commit}", commit}})
    for (size_t at = url.find(k); at != std::string::npos; at = url.find(k, at + v.size())) url.replace(at, k.size(), v);
  return linkable_url(url) ? std::optional(url) : std::nullopt;
}

}  // namespace ptr
