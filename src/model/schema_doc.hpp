#pragma once
// docs/schema.md and schema/atlas_cell.v1.schema.json are generated from the
// field tables, so the documentation cannot drift from the code (a test
// regenerates and compares them).
#include <string>

#include <nlohmann/json.hpp>

namespace ptr {
nlohmann::json atlas_cell_json_schema();
std::string atlas_cell_markdown();
}  // namespace ptr
