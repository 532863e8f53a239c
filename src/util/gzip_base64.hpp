#pragma once
// gzip, then base64: how the HTML report carries SVG the browser inflates
// only when it is shown (DecompressionStream("gzip") after atob).
#include <string>

namespace ptr {

// `level`: zlib's 1 (fastest) to 9 (smallest). Throws IoError naming `what`
// if zlib fails (it does not on valid input).
std::string gzip_base64(const std::string& text, int level, const std::string& what);

}  // namespace ptr
