#include "mcp/line_reader.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace ptr::mcp {

LineRead FdLineReader::next(std::string& line) {
  LineRead r;
  line.clear();
  for (;;) {
    if (pos_ == len_) {
      if (eof_) {
        r.got = r.bytes > 0;
        return r;
      }
      ssize_t n = read(fd_, buf_, sizeof buf_);
      if (n < 0 && errno == EINTR) {
        r.interrupted = true;
        r.got = false;
        return r;
      }
      if (n <= 0) {
        eof_ = true;
        continue;
      }
      pos_ = 0;
      len_ = static_cast<size_t>(n);
    }
    const char* start = buf_ + pos_;
    const char* nl = static_cast<const char*>(std::memchr(start, '\n', len_ - pos_));
    size_t take = nl ? static_cast<size_t>(nl - start) : len_ - pos_;
    r.bytes += take;
    if (!r.overlong) {
      if (line.size() + take <= limit_) line.append(start, take);
      else {
        r.overlong = true;
        std::string().swap(line);  // release the memory now
      }
    }
    pos_ += take;
    if (nl) {
      ++pos_;
      r.got = true;
      return r;
    }
  }
}

}  // namespace ptr::mcp
