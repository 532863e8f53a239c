#include "run/k8s.hpp"

#include "util/k8s_names.hpp"

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/text.hpp"

namespace ptr::k8s {

namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

}  // namespace

void require_namespace(const std::string& s) {
  if (!valid_dns_label(s))
    throw_usage(fmt::format("--namespace '{}' is not a Kubernetes namespace name", excerpt(s)),
                "1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit");
}
void require_pod(const std::string& s) {
  if (!valid_dns_subdomain(s))
    throw_usage(fmt::format("--bench-pod '{}' is not a Kubernetes pod name", excerpt(s)),
                "at most 253 characters of a-z, 0-9, '-' and '.', each dot-separated part starting and ending with a "
                "letter or digit");
}
void require_context(const std::string& s) {
  if (!valid_context(s))
    throw_usage(fmt::format("--kube-context '{}' is not a kubectl context name", excerpt(s)),
                "a non-empty name without spaces or control characters");
}

std::string label_safe(const std::string& s) {
  std::string out;
  for (char c : s) out.push_back(alnum(c) || c == '-' || c == '_' || c == '.' ? c : '-');
  if (out.size() > 63) out.resize(63);
  while (!out.empty() && !alnum(out.back())) out.pop_back();
  while (!out.empty() && !alnum(out.front())) out.erase(0, 1);
  return out.empty() ? "x" : out;
}

static uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string job_name(const std::string& experiment, const std::string& cell, const std::string& run, long concurrency) {
  std::string prefix;
  for (char c : "ptr-" + cell) prefix.push_back(lower_alnum(c) ? c : '-');
  std::string tail = fmt::format("-c{}-{:08x}", concurrency,
                                 static_cast<uint32_t>(fnv1a(experiment + "|" + cell + "|" + run + "|" + std::to_string(concurrency))));
  if (prefix.size() + tail.size() > 63) prefix.resize(63 - tail.size());
  while (!prefix.empty() && !lower_alnum(prefix.back())) prefix.pop_back();
  return prefix + tail;
}

nlohmann::json job_manifest(const JobSpec& j) {
  using nlohmann::json;
  json labels = {{"experiment", j.experiment}, {"cell", j.cell}, {"run", j.run},
                 {"app.kubernetes.io/managed-by", "perftunereport"}};
  return {{"apiVersion", "batch/v1"},
          {"kind", "Job"},
          {"metadata", {{"name", j.name}, {"namespace", j.ns}, {"labels", labels}}},
          {"spec",
           {{"backoffLimit", 0},
            {"activeDeadlineSeconds", j.active_deadline_s},
            {"ttlSecondsAfterFinished", 3600},
            {"template",
             {{"metadata", {{"labels", labels}}},
              {"spec",
               {{"restartPolicy", "Never"},
                {"containers", json::array({{{"name", "bench"}, {"image", j.image}, {"command", j.command}}})}}}}}}}};
}

}  // namespace ptr::k8s
