#pragma once
// Kubernetes names, labels and manifests, built as data and validated by the
// Kubernetes rules (a value never becomes YAML syntax: manifests are JSON,
// which kubectl accepts).
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "util/k8s_names.hpp"

namespace ptr::k8s {

// Throws a usage error naming `what` and the rule when `s` breaks it.
void require_namespace(const std::string& s);
void require_pod(const std::string& s);
void require_context(const std::string& s);

// The campaign id as a label value: <= 63 chars, ends alphanumeric.
std::string label_safe(const std::string& s);
// A Job name unique to (experiment, cell, run, concurrency): readable prefix
// plus a short hash, <= 63 chars.
std::string job_name(const std::string& experiment, const std::string& cell, const std::string& run, long concurrency);

struct JobSpec {
  std::string name, ns, image;
  std::string experiment, cell, run;  // label values
  std::vector<std::string> command;
  long active_deadline_s;
};
// batch/v1 Job: backoffLimit 0, activeDeadlineSeconds, labels on the Job and its pod.
nlohmann::json job_manifest(const JobSpec& j);

}  // namespace ptr::k8s
