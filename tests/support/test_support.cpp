#include "test_support.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <sys/wait.h>

namespace ptr::test {

fs::path shared_dir() {
  fs::path p = std::getenv("PERFREPORT_SHARED_DIR") ? fs::path(std::getenv("PERFREPORT_SHARED_DIR")) : fs::path(PTR_SHARED_DIR);
  if (!fs::is_directory(p / "fixtures"))
    throw std::runtime_error("shared fixtures folder not found at " + p.string() +
                             " (set PERFREPORT_SHARED_DIR or -DPERFTUNEREPORT_SHARED_DIR); tests never skip it");
  return p;
}
fs::path fixtures_dir() { return shared_dir() / "fixtures"; }
fs::path acceptance_dir() { return shared_dir() / "acceptance"; }
fs::path source_dir() { return fs::path(PTR_SOURCE_DIR); }

json load_json(const fs::path& p) {
  std::ifstream in(p);
  if (!in) throw std::runtime_error("cannot open " + p.string());
  return json::parse(in);
}

TempDir::TempDir() {
  std::random_device rd;
  path = fs::temp_directory_path() / ("ptr-test-" + std::to_string(rd()) + std::to_string(rd()));
  fs::create_directories(path);
}
TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path, ec);
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out.push_back(c);
  }
  return out + "'";
}

static std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

CliResult run_cli(const std::string& args, const fs::path& root, const std::string& env) {
  return run_cli_stdin(args, "/dev/null", root, env);
}

CliResult run_cli_stdin(const std::string& args, const fs::path& stdin_path, const fs::path& root, const std::string& env,
                        int timeout_s) {
  TempDir io;
  std::string cmd = env;
  if (!root.empty()) cmd += "PERFREPORT_CAMPAIGNS_DIR=" + quote(root.string()) + " ";
  // A hang is a failure, not a stuck suite: timeout(1) exits 124 (137 if it had to kill).
  cmd += "timeout -k 5 " + std::to_string(timeout_s) + " " + quote(PTR_CLI) + " " + args + " >" +
         quote((io.path / "out").string()) + " 2>" + quote((io.path / "err").string()) + " <" + quote(stdin_path.string());
  int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(io.path / "out");
  r.err = slurp(io.path / "err");
  return r;
}

std::optional<double> expected_number(const json& v) {
  if (v.is_null()) return std::nullopt;
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    auto s = v.get<std::string>();
    if (s == "Infinity" || s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  }
  throw std::runtime_error("not a number in expected.json: " + v.dump());
}

}  // namespace ptr::test
