#pragma once
// What the pages read: the campaign's atlas grouped by the one identity
// (model/identity.hpp) into variants and facets, with the options of this
// render. Built once by the report; pages never touch campaign files except
// through the inputs their entry declares.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/history.hpp"
#include "analysis/roofline/ceilings.hpp"
#include "analysis/tpm.hpp"
#include "analysis/value_view.hpp"
#include "campaign/layout.hpp"
#include "campaign/points.hpp"
#include "model/atlas_cell.hpp"
#include "model/kernels.hpp"
#include "model/request_table.hpp"
#include "render/chart/canvas.hpp"
#include "render/report_options.hpp"

namespace ptr {

// A variant: the cells that share an identity once the facet field is left
// out (one line per variant across the facet's panels). Two cells that agree
// on the whole descriptor (an A/B without an arm name) are two variants,
// labelled with their cell ids.
struct Variant {
  std::string key;
  std::string label;     // the identity fields that vary (model always when several)
  std::string hardware;  // "" when unknown
  chart::MarkStyle style;
  size_t chunk = 0;  // page-1 small multiple it is drawn in (colours are unique within one)
};

// One value of the facet field: a row of page-1 panels, a column of page 2.
struct Facet {
  std::string value;  // the field's raw value, "?" when unknown
  std::string label;  // "mbt 8192", "ISL 1024", "all cells"
};

// At most this many variants share a page-1 panel; more are split into
// small multiples rather than repeating colours.
inline constexpr size_t kVariantsPerChunk = 10;

struct ReportInputs {
  std::string campaign_id;
  std::filesystem::path campaign_dir;
  CampaignConfig config;
  std::vector<AtlasCell> cells;           // serving cells (pages 1-2, TPM, completeness)
  std::vector<AtlasCell> roofline_cells;  // decode/prefill cells of roofline sweeps (page 7)
  Coverage coverage;

  std::string facet_field;  // "" when nothing splits the panels
  std::string facet_why;    // "mbt varies", "--facet isl", "isl varies most", "nothing varies"
  std::vector<Facet> facets;
  std::vector<Variant> variants;  // hardware generation, then label (natural order)
  size_t chunks = 1;
  std::unordered_map<std::string, size_t> variant_of_cell, facet_of_cell;  // cell_id -> index
  std::vector<std::vector<long>> cell_at;  // [variant][facet] -> index into cells, or -1

  std::string rendered_utc;                // YYYYMMDDTHHMMSSZ
  std::string capture_window = "unknown";  // parsed, ordered by time, zones named
  ReportOptions options;
  bool tpot_interactivity = false;  // --interactivity tpot: 1000 / mean TPOT instead of output tok/s / concurrency

  // Capacity view (same compute_tpm as tpm_summary), computed once per render:
  // groups sorted by SLA output tok/s/GPU, best first; each with its style.
  TpmConfig tpm_config;
  std::vector<TpmGroup> tpm_groups;
  std::vector<chart::MarkStyle> tpm_styles;  // parallel to tpm_groups
  std::vector<std::string> tpm_series;       // parallel to tpm_groups: the legend series (page 1's variant's when a row is one)
  std::unordered_map<std::string, CellSla> sla_of_cell;

  // Speed of light: GPU ceilings (configs/sol-ceilings.yaml; null with the
  // reason when none is found, a malformed file aborts the render).
  std::shared_ptr<const SolCeilings> ceilings;
  std::string ceilings_missing;
  // Kernel evidence per cell id (cells/<id>/kernels.json and ncu.json, serving
  // and roofline cells alike); a malformed kernels.json aborts the render.
  std::map<std::string, KernelBreakdown> kernels_of_cell;
  std::map<std::string, std::vector<NcuCapture>> ncu_of_cell;
  // Per-request rows per cell id (cells/<id>/requests.csv), for the latency
  // distribution page; only cells whose points have them. Shared: the HTML
  // report copies the inputs once per page-1 view.
  using RequestTables = std::map<std::string, std::vector<RequestRow>>;
  std::shared_ptr<const RequestTables> requests_of_cell = std::make_shared<const RequestTables>();
  // The standing frontier (value_view), from every cell, the ceilings and the config's frontier: block.
  Frontier frontier;
  // champion_select.json of the campaign (page 8), null when absent.
  nlohmann::json champion;
  // Earlier published campaigns from the lake (report_render --history).
  std::optional<LakeHistory> history;

  const Variant& variant(const AtlasCell& c) const { return variants[variant_of_cell.at(c.cell_id)]; }
  const AtlasCell* cell_in(size_t variant, size_t facet) const {
    long i = cell_at[variant][facet];
    return i < 0 ? nullptr : &cells[static_cast<size_t>(i)];
  }
};

// The legend series of variant `i` (the HTML report hides a series on every
// page by this name), and the name of SLA preset `i`'s layer.
std::string variant_series(size_t i);
std::string sla_layer(size_t i);
// The HTML report's SLA presets: the campaign's limits first, then a grid of
// common TTFT x TPOT limits (same percentile and costs).
std::vector<TpmConfig> sla_presets(const TpmConfig& campaign);

// Reads <campaign>/atlas.jsonl (a malformed line raises, naming the line).
ReportInputs load_report_inputs(const Campaign& c, const ReportOptions& options);
// Same, from cells already in memory (per-request tables are not read: the
// caller sets requests_of_cell).
ReportInputs report_inputs_from_cells(const Campaign& c, std::vector<AtlasCell> cells, const ReportOptions& options);

// Styles for a list of series: one hue per hardware when several are
// present (shades and shapes tell a hardware's series apart), one hue per
// series when the campaign has one hardware. Unique within the list for up
// to kVariantsPerChunk series.
// `campaign_hardware` fixes the hue families for the whole report.
std::vector<chart::MarkStyle> series_styles(const std::vector<std::string>& hardware, const std::vector<bool>& hollow,
                                            const std::vector<std::string>& campaign_hardware);
int hardware_rank(const std::string& hardware);

}  // namespace ptr
