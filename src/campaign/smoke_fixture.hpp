#pragma once
// The bundled synthetic campaign behind report_smoke. It mirrors a GLM-5.1
// study: 8 variants (H100/H200 FP8 TP8, B200/GB300 NVFP4 TP4; TP and EP; MTP
// on/off) x 5 mbt = 40 cells, 6 concurrencies each; one cell partial (OOM at
// high concurrency), one failed (server never started); beside them an A/B of
// one H100 deployment (a vLLM baseline, two vLLM knobs, SGLang; 3 trials per
// point, every request of which is kept in the arm's requests.csv) that
// champion_select ranks. Values come from a
// simple physical model: throughput rises and saturates with concurrency,
// TTFT grows with it, newer hardware is faster, MTP lowers TPOT and preempts.
// Beside them, a synthetic roofline sweep (B200, decode + prefill cells) so
// the speed-of-light pages render; it stays out of the coverage line. Kernel
// categories for the mbt-8192 cells and two ncu captures of the sweep's decode.
#include <filesystem>
#include <string>

#include <map>

#include "campaign/layout.hpp"
#include "campaign/points.hpp"
#include "model/kernels.hpp"
#include "model/request_table.hpp"
#include <nlohmann/json.hpp>

namespace ptr {

// Evidence beyond the atlas the smoke campaign carries (written as the
// cells' kernels.json and ncu.json, and champion_select.json of its A/B
// arms), so pages 3, 5 and 8 render.
struct SmokeEvidence {
  std::map<std::string, KernelBreakdown> kernels;  // cell id -> categories
  std::map<std::string, std::vector<NcuCapture>> ncu;
  nlohmann::json champion;  // champion_select.json
  std::string champion_markdown;
  std::map<std::string, std::vector<RequestRow>> requests;  // the A/B arms' per-request tables
};

struct SmokeCampaign {
  std::string id;
  std::filesystem::path dir;  // empty while the campaign is only in memory
  Campaign campaign;
  std::vector<AtlasCell> cells;  // as written to atlas.jsonl
  SmokeEvidence evidence;
  Coverage coverage;
  long mtp_cells_with_preemptions = 0;
};

// The campaign in memory: config, cells and evidence; nothing is written.
// `id` defaults to the current UTC time and the config's slug.
SmokeCampaign smoke_campaign(const std::string& id = {});
// The same campaign written under `root` as imports would leave it (config,
// cell files, atlas, champion_select.json), under a free id.
SmokeCampaign build_smoke_campaign(const std::filesystem::path& root);

// For scale benchmarks: `variants` x 5 mbt cells of 6 concurrencies each, from
// the same model (variant i reuses one of the 8 shapes with its own label).
std::vector<AtlasCell> synthetic_scale_cells(const std::string& campaign_id, size_t variants);

}  // namespace ptr
