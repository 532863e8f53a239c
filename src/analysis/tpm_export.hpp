#pragma once
// tpm_summary.{json,csv,md}: pure functions from the computed groups to bytes.
// One column table drives all three, so they cannot disagree.
#include <string>
#include <vector>

#include "analysis/methodology.hpp"
#include "analysis/tpm.hpp"

namespace ptr {

struct TpmColumn {
  const char* name;
  const char* unit;
  const char* doc;
  const char* kind = "text";  // text | integer | real | bool: its type in the lake's tpm_v1
};
const std::vector<TpmColumn>& tpm_columns();

// One row per (group, peak|sla): values by column name (null = n/a).
std::vector<json> tpm_rows(const std::vector<TpmGroup>& groups);

// Caveats for these rows (estimate notes only for hardware the rows use).
std::vector<std::string> tpm_caveats(const TpmConfig& cfg, const std::vector<TpmGroup>& groups);
// "partial;undercount;high_variance" (empty when the point is clean).
std::string quality_flags(const PointQuality& q);
std::string tpm_json(const std::vector<TpmGroup>& groups, const TpmConfig& cfg,
                     const std::vector<MethodologyProblem>& problems, const std::string& campaign);
std::string tpm_csv(const std::vector<TpmGroup>& groups);
std::string tpm_markdown(const std::vector<TpmGroup>& groups, const TpmConfig& cfg,
                         const std::vector<MethodologyProblem>& problems, const std::string& campaign);

// Replaces the region between the tpm-columns markers of docs/metrics.md with
// the column table (the docs are generated from the code, never by hand).
std::string with_tpm_columns(const std::string& metrics_md);

}  // namespace ptr
