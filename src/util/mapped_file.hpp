#pragma once
// A regular file mapped read-only into memory: large inputs (the atlas) are
// parsed in place instead of being copied into a zero-filled string first.
#include <filesystem>
#include <string_view>

namespace ptr {

class MappedFile {
 public:
  // Same checks and errors as read_file() (regular file, size limit).
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view text() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
};

}  // namespace ptr
