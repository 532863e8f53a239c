#include "util/file_lock.hpp"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

#include "util/error.hpp"
#include "util/text.hpp"
#include "util/time_utc.hpp"

namespace ptr {

double lock_wait_seconds() {
  if (const char* v = std::getenv("PERFREPORT_LOCK_WAIT_S")) {
    char* end = nullptr;
    double d = std::strtod(v, &end);
    if (end != v && d >= 0) return d;
  }
  return 120;
}

FileLock::FileLock(const std::filesystem::path& dir, const std::string& holder, double wait_s) {
  std::filesystem::path path = dir / ".lock";
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_io(path.string(), std::string("cannot open lock file: ") + std::strerror(errno));
  auto t0 = std::chrono::steady_clock::now();
  for (;;) {
    if (flock(fd_, LOCK_EX | LOCK_NB) == 0) break;
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int e = errno;
      close(fd_);
      throw_io(path.string(), std::string("cannot lock: ") + std::strerror(e));
    }
    double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (waited >= wait_s) {
      char buf[256] = {};
      ssize_t n = pread(fd_, buf, sizeof buf - 1, 0);
      std::string who = n > 0 ? excerpt(std::string(buf, static_cast<size_t>(n)), 200) : "another process";
      close(fd_);
      fd_ = -1;
      throw_refusal(fmt::format("campaign {} is being written by {}; waited {:.0f} s", dir.filename().string(), who, waited),
                    "try again when it finishes (set PERFREPORT_LOCK_WAIT_S to wait longer)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::string me = fmt::format("pid {} ({}) since {}", getpid(), holder, utc_iso_now());
  if (ftruncate(fd_, 0) == 0) (void)!pwrite(fd_, me.data(), me.size(), 0);
}

FileLock::~FileLock() {
  if (fd_ >= 0) {
    flock(fd_, LOCK_UN);
    close(fd_);
  }
}

}  // namespace ptr
