#include "util/mapped_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.hpp"
#include "util/fs.hpp"

namespace ptr {

MappedFile::MappedFile(const std::filesystem::path& path) {
  require_regular_file(path);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_io(path.string(), std::string("cannot open file: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    throw_io(path.string(), std::string("cannot stat file: ") + std::strerror(e));
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ > kMaxReadBytes) {
    ::close(fd);
    throw_input(path.string(), fmt::format("is {:.0f} MiB; files read whole are limited to {} MiB", static_cast<double>(size_) / (1 << 20),
                                           kMaxReadBytes >> 20));
  }
  if (size_ > 0) {
    // Populated up front: one pass of page-table setup instead of a fault per page.
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) {
      int e = errno;
      ::close(fd);
      throw_io(path.string(), std::string("cannot map file: ") + std::strerror(e));
    }
    data_ = static_cast<const char*>(p);
    mapped_ = true;
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace ptr
