#pragma once
// Running commands as argv vectors (fork + execvp, never a shell), with
// stdout/stderr captured to files and a wall-clock timeout; and the one
// function that shows an argv as a properly quoted shell line.
#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace ptr {

using Argv = std::vector<std::string>;

// POSIX-shell quoting: safe to paste; no value can become syntax.
std::string shell_quote(const std::string& s);
std::string shell_line(const Argv& argv);

struct ProcessResult {
  int exit_code = -1;  // -1 when it could not start
  bool timed_out = false;
  bool cancelled = false;  // stopped because the caller cancelled
  std::string start_utc, end_utc;
  double seconds = 0;
  std::string error;  // why it could not start, if it did not
};

// Runs in its own process group; a timeout or a cancellation kills the whole
// group (SIGTERM, then SIGKILL). Every running group is registered so that a
// server shutting down can stop them all (kill_all_children).
ProcessResult run_process(const Argv& argv, const std::string& stdout_path, const std::string& stderr_path,
                          std::optional<double> timeout_s, const std::atomic<bool>* cancel = nullptr);

// Kills every process group run_process has running (SIGTERM, then SIGKILL).
void kill_all_children();

}  // namespace ptr
