#include "run/process.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "util/time_utc.hpp"

namespace ptr {

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,/:=@%+") ==
                        std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out.push_back(c);
  }
  return out + "'";
}

std::string shell_line(const Argv& argv) {
  std::string out;
  for (size_t i = 0; i < argv.size(); ++i) out += (i ? " " : "") + shell_quote(argv[i]);
  return out;
}

namespace {

std::mutex children_mutex;
std::set<pid_t> children;  // process groups currently running

void kill_group(pid_t pgid) {
  kill(-pgid, SIGTERM);
  for (int i = 0; i < 40; ++i) {  // up to 200 ms to exit cleanly
    if (kill(-pgid, 0) != 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(-pgid, SIGKILL);
}

}  // namespace

void kill_all_children() {
  std::set<pid_t> now;
  {
    std::lock_guard<std::mutex> lock(children_mutex);
    now = children;
  }
  for (pid_t p : now) kill_group(p);
}

namespace {
// Step stamps in ms: they are the points' windows for GPU telemetry.
std::string utc_now_ms() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return utc_iso_ms(std::chrono::duration<double>(now).count());
}
}  // namespace

ProcessResult run_process(const Argv& argv, const std::string& stdout_path, const std::string& stderr_path,
                          std::optional<double> timeout_s, const std::atomic<bool>* cancel) {
  ProcessResult r;
  r.start_utc = utc_now_ms();
  auto t0 = std::chrono::steady_clock::now();
  if (argv.empty()) {
    r.error = "empty command";
    return r;
  }
  int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0 || err < 0) {
    r.error = std::string("cannot open capture file: ") + std::strerror(errno);
    if (out >= 0) close(out);
    if (err >= 0) close(err);
    return r;
  }
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) {
    r.error = "pipe failed";
    close(out);
    close(err);
    return r;
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out, 1);
    dup2(err, 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    setpgid(0, 0);  // own process group: a timeout kills the whole tree
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    int e = errno;
    (void)!write(pipefd[1], &e, sizeof e);
    _exit(127);
  }
  if (pid > 0) setpgid(pid, pid);  // also here: the parent may signal the group before the child ran setpgid
  close(pipefd[1]);
  close(out);
  close(err);
  if (pid < 0) {
    close(pipefd[0]);
    r.error = "fork failed";
    return r;
  }
  int exec_errno = 0;
  if (read(pipefd[0], &exec_errno, sizeof exec_errno) == sizeof exec_errno) {
    close(pipefd[0]);
    waitpid(pid, nullptr, 0);
    r.error = "cannot run '" + argv[0] + "': " + std::strerror(exec_errno);
    r.end_utc = utc_now_ms();
    return r;
  }
  close(pipefd[0]);
  {
    std::lock_guard<std::mutex> lock(children_mutex);
    children.insert(pid);
  }
  int status = 0;
  for (;;) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    bool stop_timeout = timeout_s && elapsed > *timeout_s;
    bool stop_cancel = cancel && cancel->load();
    if (stop_timeout || stop_cancel) {
      kill_group(pid);
      waitpid(pid, &status, 0);
      r.timed_out = stop_timeout;
      r.cancelled = stop_cancel;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  {
    std::lock_guard<std::mutex> lock(children_mutex);
    children.erase(pid);
  }
  r.exit_code = r.timed_out ? 124 : r.cancelled ? 130 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.end_utc = utc_now_ms();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace ptr
