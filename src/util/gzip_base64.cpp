#include "util/gzip_base64.hpp"

#include <cstdint>
#include <zlib.h>

#include "util/error.hpp"

namespace ptr {

std::string gzip_base64(const std::string& text, int level, const std::string& what) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw_io(what, "zlib cannot start");
  std::string packed(deflateBound(&z, text.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(packed.data());
  z.avail_out = static_cast<uInt>(packed.size());
  int rc = deflate(&z, Z_FINISH);
  packed.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw_io(what, "zlib could not pack a page");
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((packed.size() + 2) / 3 * 4);
  for (size_t i = 0; i < packed.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(packed[i]) << 16;
    if (i + 1 < packed.size()) n |= static_cast<unsigned char>(packed[i + 1]) << 8;
    if (i + 2 < packed.size()) n |= static_cast<unsigned char>(packed[i + 2]);
    out += k[(n >> 18) & 63];
    out += k[(n >> 12) & 63];
    out += i + 1 < packed.size() ? k[(n >> 6) & 63] : '=';
    out += i + 2 < packed.size() ? k[n & 63] : '=';
  }
  return out;
}

}  // namespace ptr
