#pragma once
// Writing atlas_cell/v1 as one compact JSON line, straight from the field
// tables (no DOM): the same content as to_json(cell).dump(), at a fraction of
// the allocations, for atlases of thousands of cells.
#include <string>

#include "model/atlas_cell.hpp"

namespace ptr {
void append_atlas_line(const AtlasCell& cell, std::string& out);  // appends JSON + '\n'
}  // namespace ptr
