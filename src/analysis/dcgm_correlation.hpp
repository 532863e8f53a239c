#pragma once
// GPU telemetry over a cell's bench window (and each point's, where points
// carry one): per-GPU and mean activity, the DCGM bandwidth (DRAM_ACTIVE x the
// theoretical clock x bus bandwidth: a duty-cycle proxy, beside the
// byte-grounded figure of docs/roofline.md), tensor activity scaled by the SM
// clock, power per GPU and tokens per watt. Writes nothing.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "analysis/roofline/ceilings.hpp"
#include "model/atlas_cell.hpp"
#include "model/telemetry.hpp"

namespace ptr {

struct CorrelationWindow {
  double start = 0, end = 0;  // UTC seconds
  std::string source;         // "--window", "the cell's bench stamps", "the snapshot"
};

// Throws an input error when no series has a sample in the window (naming
// the window and what the capture covers). `utc_offset_s` is added to
// host-local stamps.
nlohmann::json correlate_cell(const AtlasCell& cell, const std::vector<TelemetrySeries>& series, const CorrelationWindow& window,
                              const GpuCeiling* gpu, double utc_offset_s);

// DRAM_ACTIVE (%) x theoretical bandwidth (TB/s): what the duty cycle implies.
inline double dcgm_bandwidth_tb_s(double dram_active_pct, double theoretical_tb_s) { return dram_active_pct / 100 * theoretical_tb_s; }

}  // namespace ptr
