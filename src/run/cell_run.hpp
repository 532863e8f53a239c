#pragma once
// cell_run: run one cell's sweep on a Kubernetes cluster through kubectl —
// exec in a benchmark pod, or one Job per point — ingesting each point as it
// lands. The only verb that submits work; ack-gated by the verb.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "util/warning.hpp"

namespace ptr {

struct CellRunRequest {
  std::string campaign, cell, backend;
  std::string ns = "default";
  std::optional<std::string> bench_pod, container, kube_context, endpoint_url, served_model;
  std::string mode = "exec";  // exec | job
  bool dry_run = false;
  bool resume = false;
  std::optional<double> timeout_per_point_s;
};

// Names no generated object may take (platform and standing services).
const std::vector<std::string>& protected_names();

nlohmann::json cell_run(const std::filesystem::path& campaigns_root, const CellRunRequest& req,
                        Warnings& warnings,
                        const std::function<void(double, double, const std::string&)>& progress = {});

}  // namespace ptr
