#pragma once
// What the pages read: the campaign's atlas grouped into variants, with the
// options of this render. Built once by the report; pages never touch files.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/tpm.hpp"
#include "campaign/layout.hpp"
#include "campaign/points.hpp"
#include "model/atlas_cell.hpp"
#include "render/chart/canvas.hpp"
#include "render/chart/marks.hpp"

namespace ptr {

struct ReportOptions {
  std::optional<std::string> variants_line, data_source_line;
  std::vector<long> label_concurrencies{1, 8, 32};
  std::vector<long> heatmap_concurrencies{8, 16, 32};
  bool synthetic = false;  // the smoke fixture: every footer says SYNTHETIC
};

// A variant is everything that identifies a cell except the scheduler budget
// (mbt): one line per variant across the mbt rows of page 1.
struct Variant {
  std::string key;    // hardware|quant|tp|strategy|mtp
  std::string label;  // "H100 FP8 TP8 EP MTP"
  chart::MarkStyle style;
};

struct ReportInputs {
  std::string campaign_id;
  std::filesystem::path campaign_dir;
  CampaignConfig config;
  std::vector<AtlasCell> cells;
  Coverage coverage;
  std::vector<Variant> variants;
  std::unordered_map<std::string, size_t> variant_of_cell;  // cell_id -> index into variants
  std::vector<long> mbt_values;                            // sorted, from the data
  // cell_at[variant][mbt index] -> index into cells, or -1.
  std::vector<std::vector<long>> cell_at;
  std::string rendered_utc;                      // YYYYMMDDTHHMMSSZ
  std::string capture_window = "unknown";  // parsed, ordered by time, zones named
  std::vector<std::string> warnings;
  ReportOptions options;
  // Capacity view (same compute_tpm as tpm_summary), computed once per render:
  // groups sorted by SLA output tok/s/GPU, best first.
  TpmConfig tpm_config;
  std::vector<TpmGroup> tpm_groups;

  const Variant& variant(const AtlasCell& c) const { return variants[variant_of_cell.at(c.cell_id)]; }
};

// Reads <campaign>/atlas.jsonl (a malformed line raises, naming the line).
ReportInputs load_report_inputs(const Campaign& c, const ReportOptions& options);
// Same, from cells already in memory.
ReportInputs report_inputs_from_cells(const Campaign& c, std::vector<AtlasCell> cells, const ReportOptions& options);
std::string variant_label(const AtlasCell& c);

}  // namespace ptr
