#pragma once
// Canonical telemetry metric names, whatever tool wrote them. Units live in
// the names. `mem_util_pct` is nvidia-smi's "percent of time memory was read
// or written", not a bandwidth fraction; `dram_active_pct` (DCGM
// DRAM_ACTIVE, GPM "dram") is the fraction of the theoretical HBM bandwidth.
namespace ptr::telemetry {
inline constexpr const char* kPowerW = "power_w";                  // board power (nvidia-smi: a 1 s average on Ampere+)
inline constexpr const char* kPowerInstantW = "power_instant_w";
inline constexpr const char* kGpuUtilPct = "gpu_util_pct";         // a kernel was running (coarse)
inline constexpr const char* kMemUtilPct = "mem_util_pct";         // memory busy time, not bandwidth
inline constexpr const char* kSmClockMhz = "sm_clock_mhz";
inline constexpr const char* kMemClockMhz = "mem_clock_mhz";
inline constexpr const char* kGpuTempC = "gpu_temp_c";
inline constexpr const char* kMemUsedMib = "mem_used_mib";
inline constexpr const char* kGrActivePct = "gr_active_pct";
inline constexpr const char* kSmActivePct = "sm_active_pct";
inline constexpr const char* kSmOccupancyPct = "sm_occupancy_pct";
inline constexpr const char* kTensorActivePct = "tensor_active_pct";
inline constexpr const char* kDramActivePct = "dram_active_pct";
inline constexpr const char* kPcieTxMibS = "pcie_tx_mib_s";
inline constexpr const char* kPcieRxMibS = "pcie_rx_mib_s";
inline constexpr const char* kNvlinkRxMibS = "nvlink_rx_mib_s";
inline constexpr const char* kNvlinkTxMibS = "nvlink_tx_mib_s";
// DCGM's PCIe and NVLink fields are bytes/s (all links).
inline constexpr const char* kPcieTxBytesS = "pcie_tx_bytes_s";
inline constexpr const char* kPcieRxBytesS = "pcie_rx_bytes_s";
inline constexpr const char* kNvlinkTxBytesS = "nvlink_tx_bytes_s";
inline constexpr const char* kNvlinkRxBytesS = "nvlink_rx_bytes_s";
}  // namespace ptr::telemetry
