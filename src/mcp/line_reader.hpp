#pragma once
// Reading newline-delimited messages with a bound: a line longer than the
// limit is consumed and dropped as it streams in, never held in memory.
#include <cstddef>
#include <istream>
#include <string>

namespace ptr::mcp {

inline constexpr size_t kMaxMessageBytes = 4u << 20;  // 4 MiB

struct LineRead {
  bool got = false;          // false at end of input
  bool overlong = false;     // the line exceeded the limit and was discarded
  size_t bytes = 0;          // its full length
};

LineRead read_bounded_line(std::istream& in, std::string& line, size_t limit = kMaxMessageBytes);

}  // namespace ptr::mcp
