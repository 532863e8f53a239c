#pragma once
// From runs to points. Runs are trials of one point only when their whole
// measured identity agrees (docs/metrics.md, "What is a trial"): model,
// client backend, endpoint type, tokenizer, concurrency and request rate,
// dataset, configured lengths, sweep parameters, and prompt count and
// measured ISL/OSL within 10 %. A run with neither a concurrency nor a rate
// is never merged. Failed runs stay as trials; a point with no completed
// request is `failed`, never dropped and never zero.
#include <optional>
#include <string>
#include <vector>

#include "ingest/run_result.hpp"
#include "model/atlas_cell.hpp"

namespace ptr {

struct PointRules {
  std::optional<long> configured_num_prompts;  // the cell config's num_prompts (undercount rule)
};

std::vector<Point> build_points(const std::vector<RunResult>& runs, std::optional<long> gpus, const PointRules& rules,
                                Warnings& warnings);

// Runs one cell cannot hold: two sweep output folders (A/B arms), two models
// (unless allowed), two client backends, endpoint types or tokenizers. Throws
// an input error naming both files and the key that differs; with
// allow_mixed_models a model difference is a warning instead.
void check_runs_fit_one_cell(const std::vector<RunResult>& runs, const std::string& cell, bool allow_mixed_models,
                             Warnings& warnings);

// full: every requested concurrency has an ok point and no point is failed or
// partial; failed: no point completed a request; else partial.
std::string cell_status(const std::vector<Point>& points, const std::vector<long>& requested);

struct Coverage {
  long cells = 0, full = 0, partial = 0, failed = 0, plot_ready_points = 0;
  long rate_only_points = 0;  // request-rate runs without a concurrency: kept, listed, not plotted
  std::string line() const;
  json to_json() const;
};

void add_to_coverage(Coverage& cov, const AtlasCell& cell);

}  // namespace ptr
