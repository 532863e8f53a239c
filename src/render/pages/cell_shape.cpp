#include "render/pages/cell_shape.hpp"

#include <algorithm>
#include <optional>

#include "util/fs.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return s;
}

// The weight format a quant name stands for, on a BF16 built-in shape.
std::optional<std::string> weight_dtype_for(const std::string& quant) {
  std::string q = lower(quant);
  if (q.find("nvfp4") != std::string::npos) return "nvfp4";
  if (q.find("mxfp4") != std::string::npos) return "mxfp4";
  if (q.find("fp8") != std::string::npos) return "fp8_block";
  if (q == "bf16" || q == "fp16") return "bf16";
  return std::nullopt;
}

// The model shape of a serving cell: a roofline sweep's of the same model,
// the campaign's model_config.json (one-model campaigns), else the built-in
// registry by hf_path or model name (with the cell's quant applied).
std::pair<std::shared_ptr<const ModelShape>, std::string> base_shape(const ReportInputs& in, const AtlasCell& cell,
                                                                     ShapeCache& cache) {
  std::string model = cell.model.value_or("");
  std::string key = model + "|" + cell.quant.value_or("") + "|" + cell.kv_cache_dtype.value_or("");
  for (const auto& rc : in.roofline_cells) {
    auto sweep = rc.extra.find("roofline_sweep");
    if (sweep == rc.extra.end() || !sweep->is_object() || rc.model.value_or("") != model || !sweep->contains("model_shape") ||
        !(*sweep)["model_shape"].is_object())
      continue;
    std::string label = sweep->value("label", rc.cell_id);
    auto& slot = cache["sweep|" + label];
    if (!slot) slot = std::make_shared<const ModelShape>(shape_from_json((*sweep)["model_shape"], rc.cell_id + " (atlas)"));
    return {slot, "roofline sweep " + label};
  }
  fs::path campaign_config = in.campaign_dir / "model_config.json";
  if (!in.campaign_dir.empty() && fs::exists(campaign_config) &&
      std::all_of(in.cells.begin(), in.cells.end(), [&](const AtlasCell& c) { return c.model.value_or("") == model; })) {
    auto& slot = cache["campaign|" + key];
    if (!slot) {
      ModelShape s = shape_from_config(parse_json_lenient(read_file(campaign_config), campaign_config.string()), campaign_config.string());
      if (cell.kv_cache_dtype && lower(*cell.kv_cache_dtype).find("fp8") != std::string::npos) set_kv_dtype(s, "fp8");
      slot = std::make_shared<const ModelShape>(std::move(s));
    }
    return {slot, "model_config.json"};
  }
  auto& slot = cache["builtin|" + key];
  if (!slot) {
    std::optional<ModelShape> s;
    if (cell.hf_path) s = builtin_shape(*cell.hf_path);
    if (!s) s = builtin_shape(model);
    if (!s) return {nullptr, ""};
    if (auto w = weight_dtype_for(cell.quant.value_or(""))) set_weight_dtype(*s, *w);
    if (cell.kv_cache_dtype && lower(*cell.kv_cache_dtype).find("fp8") != std::string::npos) set_kv_dtype(*s, "fp8");
    slot = std::make_shared<const ModelShape>(std::move(*s));
  }
  return {slot, slot->source};
}

}  // namespace

std::pair<std::shared_ptr<const ModelShape>, std::string> shape_for(const ReportInputs& in, const AtlasCell& cell,
                                                                    ShapeCache& cache) {
  auto [shape, from] = base_shape(in, cell, cache);
  if (!shape) return {shape, from};
  auto w = weight_dtype_for(cell.quant.value_or(""));
  bool fp8_kv = cell.kv_cache_dtype && lower(*cell.kv_cache_dtype).find("fp8") != std::string::npos;
  bool kv_differs = fp8_kv ? shape->kv_dtype != "fp8" : (cell.kv_cache_dtype && shape->kv_dtype != "bf16" && lower(*cell.kv_cache_dtype) != shape->kv_dtype);
  if ((!w || *w == shape->weight_dtype) && !kv_differs) return {shape, from};
  auto& slot = cache["as-cell|" + from + "|" + cell.quant.value_or("") + "|" + cell.kv_cache_dtype.value_or("")];
  if (!slot) {
    ModelShape s = *shape;
    if (w) set_weight_dtype(s, *w);
    if (kv_differs) set_kv_dtype(s, fp8_kv ? "fp8" : "bf16");
    slot = std::make_shared<const ModelShape>(std::move(s));
  }
  return {slot, from};
}

}  // namespace ptr
