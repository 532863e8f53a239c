#pragma once
// atlas_v1, one row per (campaign, cell, point): the columns and the values
// come from one walk of the cell and point field tables, so they cannot
// drift. Latency statistics become <metric>_mean/_p50/_p90/_p99/_std; a cell
// field whose name a point field also has gets the prefix cell_ (cell_status,
// cell_isl, cell_num_prompts).
#include <vector>

#include "lake/schema.hpp"
#include "model/atlas_cell.hpp"

namespace ptr {

std::vector<LakeColumn> atlas_columns();
// The cell's part of its rows (descriptor and keys), computed once per cell.
std::vector<SqlValue> atlas_cell_values(const AtlasCell& cell);
std::vector<SqlValue> atlas_row(const std::vector<SqlValue>& cell_values, const Point& p, long point_index);

}  // namespace ptr
