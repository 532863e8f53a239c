#pragma once
// Test helpers: where the shared fixtures are (never skipped: a missing
// folder fails), temp folders, running the CLI.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace ptr::test {

namespace fs = std::filesystem;
using json = nlohmann::json;

// $PERFREPORT_SHARED_DIR, else the CMake option (default ../shared).
fs::path shared_dir();
fs::path fixtures_dir();
fs::path acceptance_dir();
fs::path source_dir();
json load_json(const fs::path& p);

struct TempDir {
  fs::path path;
  TempDir();
  ~TempDir();
};

struct CliResult {
  int exit_code;
  std::string out, err;
  json envelope() const { return json::parse(out); }
};
// Runs the built CLI with `args` (already shell-quoted by the caller only
// through quote()), with PERFREPORT_CAMPAIGNS_DIR=root when root is given.
// `env` is prepended as VAR=value assignments (already quoted by the caller).
// Each run is bounded by timeout(1): exit 124/137 means it hung; 128+N a signal.
CliResult run_cli(const std::string& args, const fs::path& root = {}, const std::string& env = {});
CliResult run_cli_stdin(const std::string& args, const fs::path& stdin_path, const fs::path& root = {},
                        const std::string& env = {}, int timeout_s = 120);
std::string quote(const std::string& s);

// Relative comparison at the tolerance the expected files ask for.
inline ::testing::AssertionResult near_rel(const char* ea, const char* eb, std::optional<double> a, std::optional<double> b) {
  if (!a && !b) return ::testing::AssertionSuccess();
  if (!a || !b)
    return ::testing::AssertionFailure() << ea << " vs " << eb << ": " << (a ? std::to_string(*a) : "null") << " vs "
                                         << (b ? std::to_string(*b) : "null");
  if (std::isinf(*a) && std::isinf(*b) && (*a > 0) == (*b > 0)) return ::testing::AssertionSuccess();
  double tol = 1e-9 * std::max(1.0, std::fabs(*b));
  if (std::fabs(*a - *b) <= tol) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << ea << " = " << *a << " but " << eb << " = " << *b;
}

std::optional<double> expected_number(const json& v);

}  // namespace ptr::test
