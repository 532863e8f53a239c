#pragma once
// The bundled synthetic campaign behind report_smoke. It mirrors a GLM-5.1
// study: 8 variants (H100/H200 FP8 TP8, B200/GB300 NVFP4 TP4; TP and EP; MTP
// on/off) x 5 mbt = 40 cells, 6 concurrencies each; one cell partial (OOM at
// high concurrency), one failed (server never started). Values come from a
// simple physical model: throughput rises and saturates with concurrency,
// TTFT grows with it, newer hardware is faster, MTP lowers TPOT and preempts.
#include <filesystem>
#include <string>

#include "campaign/points.hpp"

namespace ptr {

struct SmokeCampaign {
  std::string id;
  std::filesystem::path dir;
  Coverage coverage;
  long mtp_cells_with_preemptions = 0;
};

SmokeCampaign build_smoke_campaign(const std::filesystem::path& root);

}  // namespace ptr
