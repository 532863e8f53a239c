#include "util/fs.hpp"

#include <cctype>
#include <csignal>
#include <limits>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "util/error.hpp"

namespace ptr {

// Every whole-file read is bounded: a bigger input is a mistake (or an attack),
// and streamed formats never come through here (ingest/discover.cpp).

std::string read_file(const fs::path& path) {
  std::error_code ec;
  require_regular_file(path);
  if (auto n = fs::file_size(path, ec); !ec && n > kMaxReadBytes)
    throw_input(path.string(), fmt::format("is {:.0f} MiB; files read whole are limited to {} MiB",
                                           static_cast<double>(n) / (1 << 20), kMaxReadBytes >> 20));
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw_io(path.string(), std::string("cannot open file: ") + std::strerror(errno));
  // One allocation of the final size, then one read: multi-GB inputs
  // (AIPerf per-request records) must not pay for repeated regrowth.
  std::string data;
  auto size = fs::file_size(path, ec);
  if (!ec && size > 0) {
    data.resize(size);
    data.resize(std::fread(data.data(), 1, size, f));
  }
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);  // grew while reading, or a pipe
  bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) throw_io(path.string(), "read error");
  return data;
}

void require_regular_file(const fs::path& path) {
  std::error_code ec;
  auto st = fs::status(path, ec);  // follows symlinks: a link to /dev/zero is a device
  if (ec) {
    if (fs::is_symlink(fs::symlink_status(path, ec)))
      throw_io(path.string(), "is a dangling or looping symbolic link; expected a regular file");
    throw_io(path.string(), "cannot open file: " + std::error_code(errno ? errno : ENOENT, std::generic_category()).message());
  }
  if (fs::is_directory(st)) throw_io(path.string(), "is a directory, expected a file");
  if (!fs::is_regular_file(st))
    throw_input(path.string(), std::string("is a ") + special_file_kind(st.type()) +
                                   ", not a regular file; only regular files are read (a device or pipe never ends)");
}

const char* special_file_kind(fs::file_type t) {
  switch (t) {
    case fs::file_type::character: return "character device";
    case fs::file_type::block: return "block device";
    case fs::file_type::fifo: return "named pipe (FIFO)";
    case fs::file_type::socket: return "socket";
    case fs::file_type::directory: return "directory";
    case fs::file_type::regular: return "regular file";
    default: return "special file";
  }
}

static fs::path temp_sibling(const fs::path& path) {
  static std::atomic<unsigned> counter{0};
  return path.parent_path() /
         ("." + path.filename().string() + ".tmp." + std::to_string(getpid()) + "." +
          std::to_string(counter++));
}

namespace {

// The temp files in `dir` whose name starts with `prefix` ("." alone: any
// target's) followed by "<name>.tmp.<pid>[.<n>]", when <pid> is gone.
size_t sweep_stale_temps(const fs::path& dir, const std::string& prefix) {
  size_t removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    size_t tmp = name.rfind(".tmp.");
    if (tmp == std::string::npos || tmp + 5 < prefix.size()) continue;
    std::string rest = name.substr(tmp + 5);
    size_t digits = 0;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    if (digits == 0 || digits > 10 || (digits < rest.size() && rest[digits] != '.')) continue;
    if (digits < rest.size() && rest.find_first_not_of("0123456789", digits + 1) != std::string::npos) continue;
    long long n = std::stoll(rest.substr(0, digits));
    if (n > std::numeric_limits<pid_t>::max()) continue;
    pid_t pid = static_cast<pid_t>(n);
    if (pid <= 0 || pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    std::error_code rm;
    if (it->symlink_status(rm).type() == fs::file_type::regular && fs::remove(it->path(), rm)) ++removed;
  }
  return removed;
}

}  // namespace

size_t remove_stale_temps(const fs::path& path) {
  fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  return sweep_stale_temps(dir, "." + path.filename().string() + ".tmp.");
}

size_t remove_stale_temps_in(const fs::path& dir) { return sweep_stale_temps(dir, "."); }

void atomic_write(const fs::path& path, const std::string& data, bool durable) {
  std::error_code ec;
  if (!path.parent_path().empty()) fs::create_directories(path.parent_path(), ec);
  if (ec) throw_io(path.parent_path().string(), "cannot create folder: " + ec.message());
  // Temp files of this target left by writers killed mid-write (every verb
  // writes through here): gone once their process is.
  remove_stale_temps(path);
  fs::path tmp = temp_sibling(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw_io(tmp.string(), std::string("cannot create file: ") + std::strerror(errno));
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  ok = (std::fflush(f) == 0) && ok;
  if (durable) ok = (fsync(fileno(f)) == 0) && ok;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    fs::remove(tmp, ec);
    throw_io(path.string(), "write failed");
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    std::string why = ec.message();  // before the clean-up overwrites ec
    fs::remove(tmp, ec);
    throw_io(path.string(), "cannot rename temp file into place: " + why);
  }
}

void copy_file_durable(const fs::path& from, const fs::path& to) {
  require_regular_file(from);
  std::error_code ec;
  if (!to.parent_path().empty()) fs::create_directories(to.parent_path(), ec);
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) throw_io(to.string(), "cannot copy " + from.string() + ": " + ec.message());
  int fd = open(to.c_str(), O_RDONLY | O_CLOEXEC);
  bool ok = fd >= 0 && fsync(fd) == 0;
  if (fd >= 0) close(fd);
  if (!ok) throw_io(to.string(), std::string("cannot sync copied file: ") + std::strerror(errno));
}

void atomic_copy(const fs::path& from, const fs::path& to) {
  fs::path tmp = temp_sibling(to);
  try {
    copy_file_durable(from, tmp);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  std::error_code ec;
  fs::rename(tmp, to, ec);
  if (ec) {
    int err = ec.value();
    fs::remove(tmp, ec);
    throw_io(to.string(), "cannot rename temp file into place: " + std::error_code(err, std::generic_category()).message());
  }
}

fs::path safe_join(const fs::path& base, const std::string& relative, const std::string& what) {
  if (relative.empty()) throw_input({}, what + " is empty");
  fs::path rel(relative);
  if (rel.is_absolute()) throw_input({}, what + " '" + relative + "' is absolute; expected a relative name");
  for (const auto& part : rel) {
    if (part == "..") throw_input({}, what + " '" + relative + "' contains '..'; it must stay inside " + base.string());
  }
  return base / rel;
}

bool files_equal(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::file_size(a, ec) != fs::file_size(b, ec) || ec) return false;
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  if (!fa || !fb) return false;
  static thread_local std::vector<char> ba(1 << 16), bb(1 << 16);
  while (fa && fb) {
    fa.read(ba.data(), ba.size());
    fb.read(bb.data(), bb.size());
    if (fa.gcount() != fb.gcount() || std::memcmp(ba.data(), bb.data(), fa.gcount()) != 0) return false;
  }
  return fa.eof() && fb.eof();
}

}  // namespace ptr
