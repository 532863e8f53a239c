#include "campaign/variant_ab.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "campaign/layout.hpp"
#include "campaign/operations.hpp"
#include "model/fields.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"
#include "util/yaml_json.hpp"

namespace ptr {

namespace {

// arm.yaml keys beyond the field table's: where the cell goes and what the arm is.
const std::vector<std::string>& arm_only_keys() {
  static const std::vector<std::string> k = {"cell", "cell_id", "engine_commit", "serving_flags"};
  return k;
}

struct Arm {
  std::string name;
  fs::path dir;
  std::string cell;
  json identity = json::object();
  json extra = json::object();
  std::vector<std::string> paths;  // the arm's bench output (everything but arm.yaml)
};

Arm read_arm(const fs::path& dir, const std::string& bundle_name) {
  Arm a;
  a.name = dir.filename().string();
  a.dir = dir;
  fs::path yaml = dir / "arm.yaml";
  json j = parse_yaml_document(read_file(yaml), yaml.string());
  if (!j.is_object()) throw_input(yaml.string(), "expected a mapping of the arm's identity (docs/formats/variant-ab-bundle.md)");
  std::vector<std::string> known = arm_only_keys();
  for (const auto& f : cell_fields())
    if (f.config != ConfigUse::none) known.push_back(f.name);
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    if (std::find(known.begin(), known.end(), k) == known.end())
      throw_input(yaml.string(), fmt::format("unknown key '{}'{}", k, did_you_mean(k, known)), -1, k,
                  "arm.yaml takes the cell fields of docs/schema.md plus cell, engine_commit, serving_flags");
    if (k == "cell" || k == "cell_id") {
      if (!it->is_string()) throw_input(yaml.string(), "expected a cell id (text)", -1, k);
      a.cell = it->get<std::string>();
    } else if (k == "engine_commit") {
      if (!it->is_string()) throw_input(yaml.string(), "expected a commit (text)", -1, k);
      a.extra["engine_commit"] = *it;
    } else if (k == "serving_flags") {
      if (!it->is_string() && !(it->is_array() && std::all_of(it->begin(), it->end(), [](const json& x) { return x.is_string(); })))
        throw_input(yaml.string(), "expected the serving flags as text or a list of text", -1, k);
      a.extra["serving_flags"] = *it;
    } else {
      a.identity[k] = *it;
    }
  }
  if (!a.identity.contains("arm")) a.identity["arm"] = a.name;
  // The engine version names the commit when both are given.
  if (a.extra.contains("engine_commit")) {
    std::string commit = a.extra["engine_commit"];
    a.identity["engine_version"] = a.identity.contains("engine_version") && a.identity["engine_version"].is_string()
                                       ? a.identity["engine_version"].get<std::string>() + " (" + commit + ")"
                                       : commit;
  }
  if (a.cell.empty()) {
    std::string id = bundle_name + "-" + a.name;
    for (auto& ch : id) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (auto& ch : id)
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_')) ch = '-';
    a.cell = id;
  }
  if (!valid_cell_id(a.cell))
    throw_input(yaml.string(), fmt::format("cell id '{}' is not valid (a-z, 0-9, '.', '_', '-', at most 55 characters)", excerpt(a.cell)),
                -1, "cell", "set cell: in arm.yaml");
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n == "arm.yaml" || n.empty() || n[0] == '.') continue;
    a.paths.push_back(e.path().string());
  }
  std::sort(a.paths.begin(), a.paths.end());
  if (a.paths.empty()) throw_input(dir.string(), "the arm has an arm.yaml but no bench output beside it");
  return a;
}

}  // namespace

json import_variant_ab(const fs::path& root, const VariantAbRequest& req, Warnings& warnings) {
  std::error_code ec;
  if (!fs::is_directory(req.bundle, ec)) throw_input(req.bundle.string(), "not a folder; an A/B bundle has one folder per arm");
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(req.bundle, ec))
    if (e.is_directory() && e.path().filename().string()[0] != '.') dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  if (dirs.empty()) throw_input(req.bundle.string(), "no arm folders (baseline/, <variant>/ ...)");
  // Every arm is read before anything is imported: a missing arm.yaml stops
  // the whole bundle, naming the file to write.
  std::vector<fs::path> missing;
  for (const auto& d : dirs)
    if (!fs::exists(d / "arm.yaml")) missing.push_back(d / "arm.yaml");
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m.string();
    throw_input(req.bundle.string(), "arm folders without an arm.yaml: write " + list, -1, {},
                "each arm needs its identity (model, hardware, quant, tensor_parallel, parallel_strategy, mtp, engine ...); "
                "see docs/formats/variant-ab-bundle.md. Importing the parent folder into one cell would merge the arms.");
  }
  std::string bundle_name = fs::absolute(req.bundle).lexically_normal().filename().string();
  if (bundle_name.empty()) bundle_name = fs::absolute(req.bundle).lexically_normal().parent_path().filename().string();
  std::vector<Arm> arms;
  for (const auto& d : dirs) arms.push_back(read_arm(d, bundle_name));
  for (size_t i = 0; i < arms.size(); ++i)
    for (size_t j = i + 1; j < arms.size(); ++j)
      if (arms[i].cell == arms[j].cell)
        throw_input(req.bundle.string(), fmt::format("arms {} and {} name the same cell '{}'", arms[i].name, arms[j].name, arms[i].cell),
                    -1, "cell");
  if (std::none_of(arms.begin(), arms.end(), [](const Arm& a) { return a.name == "baseline" || a.identity.value("arm", "") == "baseline"; }))
    add_warning(warnings, {"no_baseline_arm", "no arm is named baseline: champion_select needs --baseline CELL", {}, req.bundle.string(),
                           {}, "name the reference arm's folder baseline/ (or set arm: baseline in its arm.yaml)", {}});
  json out = json::array();
  for (const auto& a : arms) {
    ImportRequest ir;
    ir.campaign = req.campaign;
    ir.cell = a.cell;
    ir.paths = a.paths;
    ir.identity = a.identity;
    ir.extra = a.extra;
    ir.extra["arm_bundle"] = {{"bundle", bundle_name}, {"arm", a.name}};
    Warnings w;
    json r = import_perf_bench(root, ir, w);
    for (auto& x : w) add_warning(warnings, std::move(x));
    out.push_back({{"arm", a.name}, {"cell", a.cell}, {"engine", a.identity.value("engine", "")}, {"status", r.value("status", "")},
                   {"points", r.value("points", json())}});
  }
  return {{"bundle", req.bundle.string()}, {"arms", out}};
}

}  // namespace ptr
