// A HuggingFace model config.json (or its text_config), or a ModelOpt
// hf_quant_config.json: the model shape the speed-of-light pages need. Kept
// as JSON here; src/analysis/roofline reads the fields.
#include <nlohmann/json.hpp>

#include "ingest/formats.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

Sniff sniff_hf_config(const FileView& f) {
  auto keys = top_level_keys(f.text);
  bool shape = (keys.count("hidden_size") && keys.count("num_hidden_layers")) || keys.count("text_config");
  if (shape && (keys.count("model_type") || keys.count("architectures")))
    return {85, "a JSON object with hidden_size, num_hidden_layers and model_type (HuggingFace config.json)"};
  if (keys.count("quantization") && keys.count("producer"))
    return {85, "a JSON object with producer and quantization (ModelOpt hf_quant_config.json)"};
  return {};
}

void parse_hf_config(const FileView& f, Products& out) {
  json j = parse_json_lenient(f.text, f.path);  // depth-bounded
  if (!j.is_object()) throw_input(f.path, "expected a model config object");
  bool quant = j.contains("quantization") && j.contains("producer");
  out.model_configs.push_back({f.path, std::move(j), quant});
}

}  // namespace ptr
