#include "ingest/dcgm_fields.hpp"

#include <vector>

#include "model/telemetry_names.hpp"

namespace ptr {

namespace {

const std::vector<DcgmField>& fields() {
  using namespace telemetry;
  static const std::vector<DcgmField> f = {
      {1001, "DCGM_FI_PROF_GR_ENGINE_ACTIVE", "GRACT", kGrActivePct, 100},
      {1002, "DCGM_FI_PROF_SM_ACTIVE", "SMACT", kSmActivePct, 100},
      {1003, "DCGM_FI_PROF_SM_OCCUPANCY", "SMOCC", kSmOccupancyPct, 100},
      {1004, "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "TENSO", kTensorActivePct, 100},
      {1005, "DCGM_FI_PROF_DRAM_ACTIVE", "DRAMA", kDramActivePct, 100},
      {1009, "DCGM_FI_PROF_PCIE_TX_BYTES", "PCITX", kPcieTxBytesS, 1},
      {1010, "DCGM_FI_PROF_PCIE_RX_BYTES", "PCIRX", kPcieRxBytesS, 1},
      {1011, "DCGM_FI_PROF_NVLINK_TX_BYTES", "NVLTX", kNvlinkTxBytesS, 1},
      {1012, "DCGM_FI_PROF_NVLINK_RX_BYTES", "NVLRX", kNvlinkRxBytesS, 1},
      {155, "DCGM_FI_DEV_POWER_USAGE", "POWER", kPowerW, 1},
      {157, "DCGM_FI_DEV_POWER_USAGE_INSTANT", "POWINST", kPowerInstantW, 1},
      {100, "DCGM_FI_DEV_SM_CLOCK", "SMCLK", kSmClockMhz, 1},
      {101, "DCGM_FI_DEV_MEM_CLOCK", "MMCLK", kMemClockMhz, 1},
      {203, "DCGM_FI_DEV_GPU_UTIL", "GPUTL", kGpuUtilPct, 1},
      {204, "DCGM_FI_DEV_MEM_COPY_UTIL", "MCUTL", kMemUtilPct, 1},
      {150, "DCGM_FI_DEV_GPU_TEMP", "TMPTR", kGpuTempC, 1},
      {252, "DCGM_FI_DEV_FB_USED", "FBUSD", kMemUsedMib, 1},
  };
  return f;
}

// DCGM 4.6 names of the same fields (the ids did not change).
const std::vector<std::pair<const char*, int>>& renamed() {
  static const std::vector<std::pair<const char*, int>> r = {
      {"DCGM_FI_PROF_GR_ENGINE_UTIL_RATIO", 1001}, {"DCGM_FI_PROF_SM_UTIL_RATIO", 1002},
      {"DCGM_FI_PROF_SM_OCCUPANCY_RATIO", 1003},  {"DCGM_FI_PROF_TENSOR_UTIL_RATIO", 1004},
      {"DCGM_FI_PROF_DRAM_UTIL_RATIO", 1005},     {"DCGM_FI_DEV_BOARD_POWER_WATTS", 155},
      {"DCGM_FI_DEV_BOARD_POWER_RAW_WATTS", 157},
  };
  return r;
}

}  // namespace

const DcgmField* dcgm_field_by_name(const std::string& name) {
  for (const auto& f : fields())
    if (name == f.name) return &f;
  for (const auto& [n, id] : renamed())
    if (name == n)
      for (const auto& f : fields())
        if (f.id == id) return &f;
  return nullptr;
}

const DcgmField* dcgm_field_by_short_name(const std::string& s) {
  for (const auto& f : fields())
    if (s == f.short_name) return &f;
  return nullptr;
}

}  // namespace ptr
