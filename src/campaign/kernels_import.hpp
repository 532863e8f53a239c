#pragma once
// import_kernels: a cell's GPU time by kernel category (kernels.json, from a
// kernels_v1 file or an Nsight Systems kernel summary classified by name).
// import_ncu: an Nsight Compute export as one capture of the cell's ncu.json.
// Both copy the source under cells/<id>/raw/ and write atomically.
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "util/warning.hpp"

namespace ptr {

struct KernelsImportRequest {
  std::string campaign, cell;
  std::filesystem::path file;
  std::optional<std::string> scope;  // what was profiled (e.g. "decode, c=64")
};
nlohmann::json import_kernels(const std::filesystem::path& root, const KernelsImportRequest& req, Warnings& warnings);

struct NcuImportRequest {
  std::string campaign, cell;
  std::filesystem::path csv;
  std::optional<std::string> label;  // default: the file's stem
};
nlohmann::json import_ncu(const std::filesystem::path& root, const NcuImportRequest& req, Warnings& warnings);

}  // namespace ptr
