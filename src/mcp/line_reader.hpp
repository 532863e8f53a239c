#pragma once
// Reading newline-delimited messages from a file descriptor with a bound: a
// line longer than the limit is consumed and dropped as it streams in, never
// held in memory. A read interrupted by a signal returns to the caller (so a
// SIGTERM can end the loop).
#include <cstddef>
#include <string>

namespace ptr::mcp {

inline constexpr size_t kMaxMessageBytes = 4u << 20;  // 4 MiB

struct LineRead {
  bool got = false;          // false at end of input (or when interrupted with nothing read)
  bool overlong = false;     // the line exceeded the limit and was discarded
  bool interrupted = false;  // a signal interrupted the read
  size_t bytes = 0;          // its full length
};

class FdLineReader {
 public:
  explicit FdLineReader(int fd, size_t limit = kMaxMessageBytes) : fd_(fd), limit_(limit) {}
  LineRead next(std::string& line);

 private:
  int fd_;
  size_t limit_;
  char buf_[65536];
  size_t pos_ = 0, len_ = 0;
  bool eof_ = false;
};

}  // namespace ptr::mcp
