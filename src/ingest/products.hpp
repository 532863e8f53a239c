#pragma once
// What one file gives: benchmark runs, a GPU telemetry series, a model
// config, or a roofline-sweep table. The format table says which product an
// adapter makes; nothing outside src/ingest/ knows a foreign key name.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ingest/run_result.hpp"
#include "model/kernels.hpp"
#include "model/telemetry.hpp"

namespace ptr {

enum class ProductKind { runs, telemetry, model_config, roofline_table, kernel_profile };

struct ModelConfigFile {
  std::string file;
  json config;
  bool quant_config = false;  // hf_quant_config.json rather than config.json
};

// A roofline sweep (decode batch and prefill ISL points) as a table: one row per point.
struct RooflineRow {
  std::string phase;  // decode | prefill
  long batch = 1;
  std::optional<long> context, isl;
  std::optional<long> steps;
  double step_ms = 0, tok_s = 0;
  double start_utc_s = 0, end_utc_s = 0;
  long line = 0;
};
struct RooflineTable {
  std::string file;
  std::vector<RooflineRow> rows;
};

// A profiler's kernel list: nsys (total time per kernel name) or ncu (one
// record per profiled launch, % of peak). Categories are left to the reader.
struct KernelProfile {
  std::string file;
  std::string tool;    // nsys | ncu
  std::string layout;  // nsys-cuda-gpu-kern-sum-csv | ncu-csv-long | ncu-csv-raw
  std::vector<KernelRecord> kernels;
};

struct Products {
  std::vector<RunResult> runs;
  std::vector<TelemetrySeries> telemetry;
  std::vector<ModelConfigFile> model_configs;
  std::vector<RooflineTable> roofline_tables;
  std::vector<KernelProfile> kernel_profiles;
};

}  // namespace ptr
