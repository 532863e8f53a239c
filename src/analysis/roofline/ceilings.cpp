#include "analysis/roofline/ceilings.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"
#include "util/tool_config.hpp"
#include "util/yaml_json.hpp"

namespace ptr {

using json = nlohmann::json;

namespace {

[[noreturn]] void malformed(const std::string& file, const std::string& key, const std::string& why) {
  throw_input(file, "SoLCeilingsMalformed: " + key + ": " + why, -1, key);
}

std::optional<double> number(const json& o, const std::string& key, const std::string& where, const std::string& file,
                             bool required) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) {
    if (required) malformed(file, where + "." + key, "missing (a number)");
    return std::nullopt;
  }
  if (!it->is_number() || !(it->get<double>() > 0)) malformed(file, where + "." + key, "expected a number > 0 or null");
  return it->get<double>();
}

}  // namespace

std::optional<std::pair<double, std::string>> GpuCeiling::compute_roof_tflops(const std::string& dtype) const {
  if (dtype == "nvfp4" && fp4_tflops) return std::pair{*fp4_tflops, std::string("FP4")};
  if ((dtype == "fp8" || dtype == "fp8_block" || dtype == "nvfp4") && fp8_tflops) return std::pair{*fp8_tflops, std::string("FP8")};
  if (bf16_tflops) return std::pair{*bf16_tflops, std::string("BF16")};
  return std::nullopt;
}

const GpuCeiling* SolCeilings::for_hardware(const std::string& hw) const {
  auto k = hardware_to_key.find(hw);
  if (k == hardware_to_key.end()) return nullptr;
  auto g = gpus.find(k->second);
  return g == gpus.end() ? nullptr : &g->second;
}

SolCeilings parse_sol_ceilings(const std::string& text, const std::string& file) {
  json doc;
  try {
    doc = parse_yaml_document(text, file);
  } catch (const Error& e) {
    malformed(file, "(document)", e.message);
  }
  if (!doc.is_object()) malformed(file, "(document)", "expected a mapping with 'hardware:' and 'gpus:'");
  if (doc.contains("schema") && doc["schema"] != "sol_ceilings_v1") malformed(file, "schema", "expected sol_ceilings_v1");
  if (!doc.contains("gpus") || !doc["gpus"].is_object()) malformed(file, "gpus", "missing (a mapping of GPU keys)");
  if (!doc.contains("hardware") || !doc["hardware"].is_object()) malformed(file, "hardware", "missing (hardware name -> GPU key)");
  SolCeilings c;
  c.file = file;
  for (auto it = doc["gpus"].begin(); it != doc["gpus"].end(); ++it) {
    const std::string where = "gpus." + it.key();
    const json& g = it.value();
    if (!g.is_object()) malformed(file, where, "expected a mapping");
    GpuCeiling x;
    x.key = it.key();
    if (g.contains("name") && !g["name"].is_string()) malformed(file, where + ".name", "expected a string");
    x.name = g.contains("name") ? g["name"].get<std::string>() : it.key();
    if (!g.contains("source") || !g["source"].is_string() || g["source"].get<std::string>().empty())
      malformed(file, where + ".source", "every ceiling names its source");
    x.source = g["source"].get<std::string>();
    x.bf16_tflops = number(g, "bf16_dense_tflops", where, file, false);
    x.fp8_tflops = number(g, "fp8_dense_tflops", where, file, false);
    x.fp4_tflops = number(g, "fp4_dense_tflops", where, file, false);
    x.hbm_gb = *number(g, "hbm_gb", where, file, true);
    x.hbm_tb_s = *number(g, "hbm_tb_s", where, file, true);
    x.hbm_theoretical_tb_s = number(g, "hbm_theoretical_tb_s", where, file, false);
    x.nvlink_gb_s = number(g, "nvlink_gb_s", where, file, false);
    x.tdp_w = number(g, "tdp_w", where, file, false);
    x.boost_clock_mhz = number(g, "boost_clock_mhz", where, file, false);
    if (g.contains("achievable") && !g["achievable"].is_null()) {
      const json& a = g["achievable"];
      if (!a.is_object()) malformed(file, where + ".achievable", "expected a mapping");
      x.achievable_hbm_tb_s = number(a, "hbm_tb_s", where + ".achievable", file, false);
      x.achievable_bf16_tflops = number(a, "bf16_tflops", where + ".achievable", file, false);
      if (!a.contains("source") || !a["source"].is_string()) malformed(file, where + ".achievable.source", "a measured ceiling names its source");
      x.achievable_source = a["source"].get<std::string>();
    }
    c.gpus[x.key] = x;
  }
  for (auto it = doc["hardware"].begin(); it != doc["hardware"].end(); ++it) {
    if (!it.value().is_string()) malformed(file, "hardware." + it.key(), "expected a GPU key");
    std::string key = it.value().get<std::string>();
    if (!c.gpus.count(key)) malformed(file, "hardware." + it.key(), "names '" + excerpt(key) + "', which is not under gpus:");
    c.hardware_to_key[it.key()] = key;
  }
  return c;
}

SolCeilings load_sol_ceilings(const std::filesystem::path& campaign_dir) {
  auto path = find_tool_config("sol-ceilings.yaml", "SOL_CEILINGS_YAML", campaign_dir);
  if (!path)
    throw_input("sol-ceilings.yaml", "SoLCeilingsMalformed: (file): not found",
                -1, {}, "set SOL_CEILINGS_YAML or install configs/sol-ceilings.yaml beside the binary");
  require_regular_file(*path);
  return parse_sol_ceilings(read_file(*path), path->string());
}

}  // namespace ptr
