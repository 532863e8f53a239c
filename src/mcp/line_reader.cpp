#include "mcp/line_reader.hpp"

namespace ptr::mcp {

LineRead read_bounded_line(std::istream& in, std::string& line, size_t limit) {
  LineRead r;
  line.clear();
  std::streambuf* sb = in.rdbuf();
  for (;;) {
    int c = sb->sbumpc();  // inline while the stream's buffer holds bytes
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      r.got = r.bytes > 0;
      return r;
    }
    if (c == '\n') {
      r.got = true;
      return r;
    }
    ++r.bytes;
    if (r.overlong) continue;
    if (line.size() < limit) {
      line.push_back(static_cast<char>(c));
    } else {
      r.overlong = true;
      std::string().swap(line);  // release the memory now
    }
  }
}

}  // namespace ptr::mcp
