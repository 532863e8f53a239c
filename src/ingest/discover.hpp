#pragma once
// Turning a set of input paths (files and folders) into RunResults: walk,
// sniff each file by content, parse, and drop duplicates of the same run seen
// through several files (run=N.json vs summary.json vs summary.csv vs stdout).
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ingest/products.hpp"
#include "ingest/run_result.hpp"

namespace ptr {

struct IngestedFile {
  std::filesystem::path abs;  // where it was read from
  std::string rel;            // name relative to the import (used under raw/)
  std::string format;         // adapter name, empty when skipped
  std::string why;            // sniff reason, or why it was skipped
  bool telemetry = false;     // a product other than runs (telemetry, model config, roofline table, kernel profile)
  size_t results = 0;         // results kept from this file after de-duplication
};

struct IngestBatch {
  std::vector<IngestedFile> files;    // recognized files
  std::vector<IngestedFile> skipped;  // unrecognized files met while walking folders
  std::vector<RunResult> results;     // de-duplicated, sorted by file then line
  // The other products met (kept for the verbs that read them).
  std::vector<TelemetrySeries> telemetry;
  std::vector<ModelConfigFile> model_configs;
  std::vector<RooflineTable> roofline_tables;
  std::vector<KernelProfile> kernel_profiles;
  Warnings warnings;
};

// backend: auto or a run backend of the format table. An explicitly named
// file must be recognized (and match the backend); unrecognized files inside
// folders are skipped with a warning.
// Two inputs with the same name get distinct tops ("run", "run.2").
IngestBatch ingest_paths(const std::vector<std::filesystem::path>& inputs, const std::string& backend);

// An input with the name its files take (name/...); empty = its own name.
struct IngestRoot {
  std::filesystem::path path;
  std::string name;
};
IngestBatch ingest_roots(const std::vector<IngestRoot>& inputs, const std::string& backend);

// Renames every file of the batch (results, warnings, sweep arms follow).
void relocate(IngestBatch& b, const std::function<std::string(const std::string&)>& new_rel);
// The union of two batches, with runs seen in both (or as rounded copies) counted once.
IngestBatch merge_batches(IngestBatch a, IngestBatch b);

// Sniff + parse one in-memory file (used by tests and the benchmark).
std::vector<RunResult> ingest_text(const std::string& display_path, std::string_view text, std::string* format = nullptr);

}  // namespace ptr
