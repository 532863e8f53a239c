#include "campaign/config.hpp"

#include "analysis/value_view.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <string_view>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "analysis/tpm.hpp"
#include "campaign/provenance.hpp"
#include "model/fields.hpp"
#include "util/error.hpp"
#include "util/k8s_names.hpp"
#include "util/text.hpp"
#include "util/yaml_json.hpp"

namespace ptr {

namespace {

const char* kind_of(const FieldSpec<AtlasCell>& f) {
  if (f.choices) return "enum";
  return std::visit(
      [](auto m) -> const char* {
        using M = std::decay_t<decltype(std::declval<AtlasCell>().*m)>;
        if constexpr (std::is_same_v<M, std::optional<long>>) return "int";
        else if constexpr (std::is_same_v<M, std::optional<double>>) return "number";
        else if constexpr (std::is_same_v<M, std::optional<bool>>) return "bool";
        else return "string";
      },
      f.member);
}

}  // namespace

// The cell keys: every field of the table that a config may set, then the
// keys that describe the run rather than the cell (concurrencies, backend blocks).
const std::vector<ConfigKey>& cell_config_keys() {
  static const std::vector<ConfigKey> keys = [] {
    std::vector<ConfigKey> k = {{"cell_id", "string", true, "Unique id: [a-z0-9][a-z0-9._-]*, ends in a letter or digit, at most 55 characters."}};
    for (const auto& f : cell_fields())
      if (f.config != ConfigUse::none) k.push_back({f.name, kind_of(f), f.config == ConfigUse::required, f.doc});
    k.push_back({"concurrencies", "int_list", true, "Client concurrencies to measure (each >= 1)."});
    k.push_back({"warmup_requests", "int", false, "Warm-up requests before each point when cache_mode is warm (default: the concurrency); 0 = none."});
    k.push_back({"vllm_sweep", "map", false, "Backend block for cell_run --backend vllm-sweep (image, extra_args, serve_cmd, num_runs, server_ready_timeout_s, dataset_path, dataset_args, timeout_per_point_s)."});
    k.push_back({"aiperf", "map", false, "Backend block for cell_run --backend aiperf (image, extra_args, dataset_args, timeout_per_point_s)."});
    k.push_back({"sglang", "map", false, "Backend block for cell_run --backend sglang-sweep (image, extra_args, dataset_path, dataset_args, timeout_per_point_s)."});
    k.push_back({"roofline_sweep", "map", false, "Block for cell_run --backend roofline-sweep (client, decode_batches, decode_isl, decode_osl, prefill_isls, prefill_concurrency, prefill_num_prompts, telemetry, telemetry_pod, model_config_path, timeout_per_point_s); docs/cell-run.md."});
    return k;
  }();
  return keys;
}

// Cell ids become folder names and Kubernetes label values (with suffixes
// such as "-prefill"): checked by hand, never by std::regex, whose recursion
// per character overflows the stack on long input.
bool valid_cell_id(const std::string& id) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (id.empty() || id.size() > kMaxCellIdLength || !alnum(id.front()) || !alnum(id.back())) return false;
  for (char c : id)
    if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
  return id.find("..") == std::string::npos;
}

std::string slugify(const std::string& name) {
  std::string out;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
    else if (!out.empty() && out.back() != '-') out.push_back('-');
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::optional<long> gpus_of(const AtlasCell& c) {
  if (!c.tensor_parallel) return std::nullopt;
  long g = 0;
  if (__builtin_mul_overflow(*c.tensor_parallel, c.data_parallel.value_or(1), &g) ||
      __builtin_mul_overflow(g, c.pipeline_parallel.value_or(1), &g) || g < 1)
    return std::nullopt;  // out of range: validation names the key
  return g;
}

const CellConfig* CampaignConfig::find_cell(const std::string& id) const {
  for (const auto& c : cells)
    if (c.identity.cell_id == id) return &c;
  return nullptr;
}

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}


constexpr long kMaxConfigInt = 1L << 40;  // token budgets, lengths, request counts

std::string key_of(const YAML::detail::iterator_value& kv) {
  if (!kv.first.IsScalar()) throw YAML::Exception(kv.first.Mark(), "a mapping key must be a plain string");
  return kv.first.Scalar();
}

struct Problems {
  std::string file;
  std::vector<std::string> list;
  void add(const YAML::Node& at, const std::string& msg) {
    list.push_back(at.Mark().line >= 0 ? fmt::format("line {}: {}", at.Mark().line + 1, msg) : msg);
  }
};

// A mapping's entries by key: yaml-cpp finds a key by converting and comparing
// every key of the map, and a cell is asked for each of ~60 fields.
using KeyIndex = std::map<std::string, YAML::Node, std::less<>>;

struct CellReader {
  Problems& problems;
  std::string where;  // "cell 'x'"
  YAML::Node cell;
  KeyIndex keys;  // the cell's own
  const KeyIndex& defaults;

  // Absent keys come back as a null node; callers treat null as absent.
  YAML::Node get(std::string_view key) const {
    if (auto it = keys.find(key); it != keys.end()) return it->second;
    if (auto it = defaults.find(key); it != defaults.end()) return it->second;
    return YAML::Node();
  }
  template <class T>
  std::optional<T> scalar(const char* key, bool required, const char* expected) {
    YAML::Node n = get(key);
    if (!n || n.IsNull()) {
      if (required) problems.add(cell, fmt::format("{}: missing required key '{}' ({})", where, key, expected));
      return std::nullopt;
    }
    T v;
    if (!n.IsScalar() || !YAML::convert<T>::decode(n, v)) {
      problems.add(n, fmt::format("{}: key '{}' must be {}, got '{}'", where, key, expected,
                                  n.IsScalar() ? excerpt(n.Scalar()) : std::string("a list or map")));
      return std::nullopt;
    }
    return v;
  }
  // One field of the table, typed by its member, checked by its declared
  // range or choices; the messages name the cell, the key and what it must be.
  void field(const FieldSpec<AtlasCell>& f, AtlasCell& a) {
    bool required = f.config == ConfigUse::required;
    std::visit(
        [&](auto m) {
          using M = std::decay_t<decltype(a.*m)>;
          if constexpr (std::is_same_v<M, std::optional<std::string>>) {
            auto v = scalar<std::string>(f.name, required, f.choices ? "one of the listed values" : "a string");
            if (!v) return;
            if (auto bad = field_value_problem(f, *v); !bad.empty()) {
              problems.add(get(f.name), fmt::format("{}: key '{}' must be {}, got '{}'", where, f.name, bad, excerpt(*v)));
              return;
            }
            a.*m = f.choices ? normalized_choice(f, *v) : *v;
          } else if constexpr (std::is_same_v<M, std::optional<long>>) {
            auto v = scalar<long>(f.name, required, "a whole number");
            if (v && !field_value_problem(f, static_cast<double>(*v)).empty()) {
              problems.add(get(f.name), fmt::format("{}: key '{}' must be {}, got {}", where, f.name,
                                                    field_value_problem(f, static_cast<double>(*v)), *v));
              return;
            }
            a.*m = v;
          } else if constexpr (std::is_same_v<M, std::optional<double>>) {
            auto v = scalar<double>(f.name, required, "a number");
            if (v && !field_value_problem(f, *v).empty()) {
              problems.add(get(f.name), fmt::format("{}: key '{}' must be {}, got {}", where, f.name, field_value_problem(f, *v), *v));
              return;
            }
            a.*m = v;
          } else if constexpr (std::is_same_v<M, std::optional<bool>>) {
            a.*m = scalar<bool>(f.name, required, "true or false");
          }
        },
        f.member);
  }

};

}  // namespace

std::string did_you_mean(const std::string& key, const std::vector<std::string>& known) {
  std::string best;
  size_t best_d = 4;
  for (const auto& k : known) {
    size_t d = edit_distance(key, k);
    if (d < best_d) {
      best_d = d;
      best = k;
    }
  }
  return best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
}

namespace {

CampaignConfig parse_config(const std::string& yaml_text, const std::string& file) {
  YAML::Node root = load_single_yaml_document(yaml_text, file, "one campaign config");
  check_yaml_keys(root);
  if (!root || !root.IsMap()) throw_input(file, "expected a YAML mapping with 'name' and 'cells'");
  Problems problems{file, {}};
  CampaignConfig cfg;
  static const std::vector<std::string> top_keys = {"name", "description", "focus", "verdict_tier", "baseline", "provenance",
                                                    "defaults", "cells", "tpm", "cost", "frontier"};
  for (const auto& kv : root) {
    auto k = key_of(kv);
    if (std::find(top_keys.begin(), top_keys.end(), k) == top_keys.end())
      problems.add(kv.first, fmt::format("unknown top-level key '{}'{}", k, did_you_mean(k, top_keys)));
  }
  if (!root["name"] || !root["name"].IsScalar() || root["name"].Scalar().empty()) {
    problems.add(root, "missing required key 'name' (a string; the campaign slug is made from it)");
  } else {
    cfg.name = root["name"].Scalar();
    cfg.slug = slugify(cfg.name);
    if (cfg.slug.empty()) problems.add(root["name"], "key 'name' must contain letters or digits");
  }
  if (root["description"] && root["description"].IsScalar()) cfg.description = root["description"].Scalar();
  if (YAML::Node focus = root["focus"]) {
    static const std::vector<std::string> focuses = {"latency", "throughput", "mixed"};
    if (!focus.IsScalar() || std::find(focuses.begin(), focuses.end(), focus.Scalar()) == focuses.end())
      problems.add(focus, fmt::format("key 'focus' must be latency, throughput or mixed, got '{}'",
                                      focus.IsScalar() ? excerpt(focus.Scalar()) : "a list or map"));
    else cfg.focus = focus.Scalar();
  }
  if (YAML::Node tier = root["verdict_tier"]) {
    if (!tier.IsScalar() || (tier.Scalar() != "draft" && tier.Scalar() != "verdict"))
      problems.add(tier, fmt::format("key 'verdict_tier' must be draft or verdict, got '{}'", tier.IsScalar() ? excerpt(tier.Scalar()) : "a list or map"));
    else cfg.verdict_tier = tier.Scalar();
  }
  for (const char* block : {"provenance", "tpm", "cost"}) {
    if (!root[block]) continue;
    if (!root[block].IsMap()) {
      problems.add(root[block], fmt::format("key '{}' must be a mapping", block));
      continue;
    }
    json j = yaml_to_json(root[block]);
    if (std::string(block) == "provenance") {
      try {
        validate_provenance_block(j, file);
        cfg.provenance = j;
      } catch (const Error& e) {
        problems.add(root[block], fmt::format("provenance{}: {}", e.key.empty() ? "" : "." + e.key, e.message));
      }
    }
    else if (std::string(block) == "tpm") cfg.tpm = j;
    else cfg.cost = j;
  }
  if (YAML::Node frontier = root["frontier"]) {
    try {
      cfg.frontier = yaml_to_json(frontier);
      declared_frontier(cfg.frontier, file);  // value_view's own reader: a block it would refuse is refused here
    } catch (const Error& e) {
      problems.add(frontier, fmt::format("key '{}': {}", e.key.empty() ? "frontier" : e.key, e.message));
    }
  }
  // tpm: and cost: are parsed by the one function tpm_summary, the report and
  // the lake use: a block it would refuse later is refused here.
  try {
    discover_tpm_config(cfg.tpm, cfg.cost, file);
  } catch (const Error& e) {
    YAML::Node at = root[e.key.rfind("cost", 0) == 0 ? "cost" : "tpm"];
    problems.add(at ? at : root, fmt::format("{}{}", e.key.empty() ? "" : "key '" + e.key + "': ", e.message));
  }
  YAML::Node defaults = root["defaults"];
  if (defaults && !defaults.IsMap()) {
    problems.add(defaults, "key 'defaults' must be a mapping of cell keys");
    defaults = YAML::Node();
  }
  std::vector<std::string> known;
  for (const auto& k : cell_config_keys()) known.push_back(k.name);
  const std::set<std::string, std::less<>> known_set(known.begin(), known.end());
  KeyIndex default_keys;
  if (defaults) {
    for (const auto& kv : defaults) {
      auto k = key_of(kv);
      if (k == "cell_id") problems.add(kv.first, "defaults: 'cell_id' cannot have a default");
      else if (!known_set.count(k))
        problems.add(kv.first, fmt::format("defaults: unknown key '{}'{}", k, did_you_mean(k, known)));
      else default_keys.emplace(k, kv.second);
    }
  }
  // Without 'cells' (or with `cells: []`), every cell comes from an import
  // with identity flags (import_perf_bench) or an arm.yaml (import_variant_ab).
  YAML::Node cells = root["cells"];
  if (!cells || (cells.IsSequence() && cells.size() == 0)) {
  } else if (!cells.IsSequence()) {
    problems.add(cells, "key 'cells' must be a list of cell mappings (or [] / left out: cells then come from imports)");
  } else {
    std::set<std::string> seen;
    for (size_t i = 0; i < cells.size(); ++i) {
      YAML::Node c = cells[i];
      if (!c.IsMap()) {
        problems.add(c, fmt::format("cells[{}]: expected a mapping", i));
        continue;
      }
      std::string id = c["cell_id"] && c["cell_id"].IsScalar() ? c["cell_id"].Scalar() : "";
      std::string where = id.empty() ? fmt::format("cells[{}]", i) : fmt::format("cell '{}'", excerpt(id, 60));
      CellReader r{problems, where, c, {}, default_keys};
      for (const auto& kv : c) {
        auto k = key_of(kv);
        if (!known_set.count(k))
          problems.add(kv.first, fmt::format("{}: unknown key '{}'{}", where, k, did_you_mean(k, known)));
        r.keys.emplace(k, kv.second);
      }
      CellConfig cc;
      AtlasCell& a = cc.identity;
      if (id.empty()) {
        problems.add(c, fmt::format("{}: missing required key 'cell_id'", where));
      } else if (!valid_cell_id(id)) {
        problems.add(c["cell_id"], fmt::format("{}: cell_id must {}", where, kCellIdRule));
      } else if (!seen.insert(id).second) {
        problems.add(c["cell_id"], fmt::format("{}: duplicate cell_id", where));
      }
      a.cell_id = id;
      for (const auto& f : cell_fields())
        if (f.config != ConfigUse::none) r.field(f, a);
      YAML::Node conc = r.get("concurrencies");
      if (!conc || conc.IsNull()) {
        problems.add(c, fmt::format("{}: missing required key 'concurrencies' (a list of positive integers)", where));
      } else if (!conc.IsSequence() || conc.size() == 0) {
        problems.add(conc, fmt::format("{}: key 'concurrencies' must be a non-empty list of positive integers", where));
      } else {
        for (const auto& e : conc) {
          long v;
          if (!e.IsScalar() || !YAML::convert<long>::decode(e, v) || v < 1)
            problems.add(e, fmt::format("{}: key 'concurrencies' has '{}', expected a positive integer", where,
                                        e.IsScalar() ? excerpt(e.Scalar()) : "a list or map"));
          else cc.concurrencies.push_back(v);
        }
        std::sort(cc.concurrencies.begin(), cc.concurrencies.end());
        cc.concurrencies.erase(std::unique(cc.concurrencies.begin(), cc.concurrencies.end()), cc.concurrencies.end());
      }
      cc.num_prompts = a.num_prompts;
      cc.warmup_requests = r.scalar<long>("warmup_requests", false, "a whole number >= 0");
      if (cc.warmup_requests && (*cc.warmup_requests < 0 || *cc.warmup_requests > kMaxConfigInt)) {
        problems.add(r.get("warmup_requests"), fmt::format("{}: key 'warmup_requests' must be >= 0, got {}", where, *cc.warmup_requests));
        cc.warmup_requests.reset();
      }
      for (const char* block : {"vllm_sweep", "aiperf", "sglang", "roofline_sweep"}) {
        YAML::Node b = r.get(block);
        if (!b || b.IsNull()) continue;
        if (!b.IsMap()) {
          problems.add(b, fmt::format("{}: key '{}' must be a mapping", where, block));
          continue;
        }
        json j = yaml_to_json(b);
        // What cell_run passes to a cluster is checked here, before any run.
        auto check = [&](const char* key, bool ok, const char* expected) {
          if (j.contains(key) && !ok) problems.add(b[key], fmt::format("{}: key '{}.{}' must be {}", where, block, key, expected));
        };
        check("image", j.value("image", json()).is_string() && k8s::valid_image(j["image"].get<std::string>()),
              "an image reference without spaces (e.g. vllm/vllm-openai:v0.11.2)");
        check("extra_args", j.value("extra_args", json()).is_array(), "a list of arguments");
        check("dataset_args", j.value("dataset_args", json()).is_array(), "a list of arguments");
        check("dataset_path", j.value("dataset_path", json()).is_string(), "a path in the benchmark pod");
        check("serve_cmd", j.value("serve_cmd", json()).is_string(), "a command line string");
        check("num_runs", j.value("num_runs", json()).is_number_integer() && j["num_runs"].get<long>() >= 1 &&
                              j["num_runs"].get<long>() <= 100, "a whole number from 1 to 100");
        check("server_ready_timeout_s", j.value("server_ready_timeout_s", json()).is_number() &&
                                            j["server_ready_timeout_s"].get<double>() > 0, "a number of seconds > 0");
        check("timeout_per_point_s", j.value("timeout_per_point_s", json()).is_number() &&
                                         j["timeout_per_point_s"].get<double>() > 0, "a number of seconds > 0");
        cc.backends[block] = j;
      }
      for (const char* key : {"delivery", "platform"})
        if (!a.delivery && cfg.provenance.is_object() && cfg.provenance.contains(key) && cfg.provenance[key].is_string())
          a.delivery = cfg.provenance[key].get<std::string>();
      a.gpus = gpus_of(a);
      a.concurrencies_requested = cc.concurrencies;
      cfg.cells.push_back(std::move(cc));
    }
  }
  // The named baseline: one of the cells, recorded on every cell.
  if (YAML::Node b = root["baseline"]) {
    std::string id = b.IsScalar() ? b.Scalar() : "";
    if (!cfg.find_cell(id))
      problems.add(b, fmt::format("key 'baseline' must name one of the cells, got '{}'", excerpt(id)));
    else
      for (auto& cc : cfg.cells) cc.identity.baseline_cell = id;
  }
  if (!problems.list.empty()) {
    std::string msg = fmt::format("{} problem{} in campaign config:", problems.list.size(),
                                  problems.list.size() == 1 ? "" : "s");
    for (const auto& p : problems.list) msg += "\n  - " + p;
    throw_input(file, msg, -1, {}, "see docs/campaign-config.md for the schema");
  }
  return cfg;
}

}  // namespace

CampaignConfig parse_campaign_config(const std::string& yaml_text, const std::string& file) {
  try {
    return parse_config(yaml_text, file);
  } catch (const YAML::Exception& e) {
    // yaml-cpp's own messages ("bad conversion") get the file and line here.
    throw_input(file, "YAML: " + excerpt(e.msg, 200), e.mark.line >= 0 ? e.mark.line + 1 : -1);
  }
}

}  // namespace ptr
