#pragma once
// Reading atlas_cell/v1 lines fast: a streaming reader driven by the same
// field tables as to_json, so atlases of thousands of cells load without a
// DOM. Small free-form parts (extra, spread) still go through nlohmann.
#include <string>
#include <string_view>

#include "model/atlas_cell.hpp"

namespace ptr {
// Throws an input Error naming `file` and the 1-based `line` on bad input.
AtlasCell read_atlas_cell(std::string_view text, const std::string& file, long line);
}  // namespace ptr
