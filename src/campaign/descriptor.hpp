#pragma once
// The full-context descriptor read from the data: where the config leaves a
// field out and the runs agree on it, the data fills it (recorded in
// extra.descriptor_from_data); where the config states a value the data
// contradicts, the config wins and the disagreement is recorded in
// extra.descriptor_conflicts (a methodology problem).
#include <vector>

#include "ingest/run_result.hpp"
#include "model/atlas_cell.hpp"

namespace ptr {

void fill_descriptor_from_data(AtlasCell& cell, const std::vector<RunResult>& runs);

}  // namespace ptr
