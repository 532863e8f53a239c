#pragma once
// Turning a set of input paths (files and folders) into RunResults: walk,
// sniff each file by content, parse, and drop duplicates of the same run seen
// through several files (run=N.json vs summary.json vs summary.csv vs stdout).
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/run_result.hpp"

namespace ptr {

struct IngestedFile {
  std::filesystem::path abs;  // where it was read from
  std::string rel;            // name relative to the import (used under raw/)
  std::string format;         // adapter name, empty when skipped
  std::string why;            // sniff reason, or why it was skipped
  bool telemetry = false;
  size_t results = 0;         // results kept from this file after de-duplication
};

struct IngestBatch {
  std::vector<IngestedFile> files;    // recognized files
  std::vector<IngestedFile> skipped;  // unrecognized files met while walking folders
  std::vector<RunResult> results;     // de-duplicated, sorted by file then line
  std::vector<std::string> warnings;
};

// backend: auto | vllm | vllm-sweep | sglang | aiperf. An explicitly named
// file must be recognized (and match the backend); unrecognized files inside
// folders are skipped with a warning.
IngestBatch ingest_paths(const std::vector<std::filesystem::path>& inputs, const std::string& backend);

// Sniff + parse one in-memory file (used by tests and the benchmark).
std::vector<RunResult> ingest_text(const std::string& display_path, std::string_view text, std::string* format = nullptr);

}  // namespace ptr
