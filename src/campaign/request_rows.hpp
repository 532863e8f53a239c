#pragma once
// Joins the runs' per-request samples to the points built from them: the rows
// of cells/<id>/requests.csv (model/request_table.hpp), and on each point
// that has any, extra.per_request = {table, requests, trials_with_requests, from}.
#include <vector>

#include "ingest/run_result.hpp"
#include "model/atlas_cell.hpp"
#include "model/request_table.hpp"

namespace ptr {

std::vector<RequestRow> attach_request_rows(AtlasCell& cell, const std::vector<RunResult>& runs);

}  // namespace ptr
