#pragma once
// cell_run: run one cell's sweep on a Kubernetes cluster through kubectl —
// exec in a benchmark pod, or one Job per point — ingesting each point as it
// lands. The only verb that submits work; ack-gated by the verb. This file is
// the glue: the planner (plan.hpp) decides every command, the executor
// (executor.hpp) runs them.
#include <atomic>
#include <filesystem>
#include <functional>

#include <nlohmann/json.hpp>

#include "run/plan.hpp"
#include "util/warning.hpp"

namespace ptr {

nlohmann::json cell_run(const std::filesystem::path& campaigns_root, const CellRunRequest& req, Warnings& warnings,
                        const std::function<void(double, double, const std::string&)>& progress = {},
                        const std::atomic<bool>* cancel = nullptr);

}  // namespace ptr
