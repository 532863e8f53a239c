// Small documented files read at render time or by the speed-of-light pages:
// a cell's requests.csv, the speed-of-light ceilings YAML, and a model's
// config.json (with its quantization block as the quant config) and the
// model shape the tool saves from it.
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/roofline/ceilings.hpp"
#include "analysis/roofline/model_shape.hpp"
#include "fuzz_entry.hpp"
#include "model/request_table.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"

PTR_FUZZ_TARGET(tables) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)ptr::parse_request_table(text, "requests.csv");
  } catch (const ptr::Error&) {
  }
  try {
    (void)ptr::parse_sol_ceilings(text, "ceilings.yaml");
  } catch (const ptr::Error&) {
  }
  try {
    nlohmann::json config = ptr::parse_json_lenient(text, "config.json");
    (void)ptr::shape_from_config(config, "config.json");
    if (config.is_object())
      if (auto q = config.find("quantization_config"); q != config.end()) (void)ptr::shape_from_config(config, "config.json", &*q);
  } catch (const ptr::Error&) {
  }
  try {
    (void)ptr::shape_from_json(ptr::parse_json_lenient(text, "shape.json"), "shape.json");
  } catch (const ptr::Error&) {
  }
  return 0;
}
