// What the campaign reads back: a cell's normalized.json / cell.json (the
// lenient JSON reader, then the atlas_cell/v1 field table), an atlas line,
// and a cell's kernels.json and ncu.json.
#include <string>

#include "fuzz_entry.hpp"
#include "model/atlas_cell.hpp"
#include "model/atlas_reader.hpp"
#include "model/kernels.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"

PTR_FUZZ_TARGET(cell_json) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)ptr::cell_from_json(ptr::parse_json_lenient(text, "normalized.json"), "normalized.json");
  } catch (const ptr::Error&) {
  }
  try {
    (void)ptr::read_atlas_cell(text, "atlas.jsonl", 1);
  } catch (const ptr::Error&) {
  }
  try {
    auto doc = ptr::parse_json_lenient(text, "kernels.json");
    try {
      (void)ptr::kernel_breakdown_from_json(doc, "kernels.json");
    } catch (const ptr::Error&) {
    }
    (void)ptr::ncu_captures_from_json(doc, "ncu.json");
  } catch (const ptr::Error&) {
  }
  return 0;
}
