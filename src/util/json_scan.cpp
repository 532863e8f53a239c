#include "util/json_scan.hpp"

#include <charconv>
#include <cstring>
#include <limits>

namespace ptr {

void JsonScanner::expect(char c) {
  ws();
  if (p_ >= end_ || *p_ != c) throw JsonScanError{p_, c == '}' ? "expected '}'" : c == ']' ? "expected ']'" :
                                                       c == ':' ? "expected ':'" : c == '{' ? "expected '{'" :
                                                       c == '[' ? "expected '['" : "unexpected character"};
  ++p_;
}

bool JsonScanner::try_consume(char c) {
  ws();
  if (p_ < end_ && *p_ == c) {
    ++p_;
    return true;
  }
  return false;
}

std::string_view JsonScanner::string() {
  expect('"');
  const char* start = p_;
  for (;;) {
    const char* q = static_cast<const char*>(std::memchr(p_, '"', end_ - p_));
    if (!q) throw JsonScanError{start, "unterminated string"};
    // Count preceding backslashes: an odd number escapes the quote.
    const char* b = q;
    while (b > start && b[-1] == '\\') --b;
    p_ = q + 1;
    if (((q - b) & 1) == 0) return std::string_view(start, q - start);
  }
}

double JsonScanner::number() {
  ws();
  double v = 0;
  auto r = std::from_chars(p_, end_, v);
  if (r.ec == std::errc()) {
    p_ = r.ptr;
    return v;
  }
  auto word = [&](const char* w, double val) {
    size_t n = std::strlen(w);
    if (static_cast<size_t>(end_ - p_) >= n && std::memcmp(p_, w, n) == 0) {
      p_ += n;
      v = val;
      return true;
    }
    return false;
  };
  if (word("NaN", std::numeric_limits<double>::quiet_NaN()) ||
      word("Infinity", std::numeric_limits<double>::infinity()) ||
      word("-Infinity", -std::numeric_limits<double>::infinity()))
    return v;
  throw JsonScanError{p_, "expected a number"};
}

int64_t JsonScanner::integer() {
  ws();
  int64_t v = 0;
  auto r = std::from_chars(p_, end_, v);
  if (r.ec != std::errc()) throw JsonScanError{p_, "expected an integer"};
  p_ = r.ptr;
  return v;
}

bool JsonScanner::boolean() {
  ws();
  if (end_ - p_ >= 4 && std::memcmp(p_, "true", 4) == 0) {
    p_ += 4;
    return true;
  }
  if (end_ - p_ >= 5 && std::memcmp(p_, "false", 5) == 0) {
    p_ += 5;
    return false;
  }
  throw JsonScanError{p_, "expected true or false"};
}

bool JsonScanner::null_or_skip() {
  ws();
  if (end_ - p_ >= 4 && std::memcmp(p_, "null", 4) == 0) {
    p_ += 4;
    return true;
  }
  skip_value();
  return false;
}

void JsonScanner::skip_value() {
  ws();
  if (p_ >= end_) throw JsonScanError{p_, "unexpected end of input"};
  char c = *p_;
  if (c == '"') {
    string();
    return;
  }
  if (c == '{' || c == '[') {
    int depth = 0;
    while (p_ < end_) {
      char d = *p_;
      if (d == '"') {
        string();
        continue;
      }
      if (d == '{' || d == '[') ++depth;
      else if (d == '}' || d == ']') {
        if (--depth == 0) {
          ++p_;
          return;
        }
      }
      ++p_;
    }
    throw JsonScanError{p_, "unterminated object or array"};
  }
  // Scalar: number, true, false, null, NaN, Infinity.
  const char* s = p_;
  while (p_ < end_ && !std::strchr(",}] \t\r\n", *p_)) ++p_;
  if (p_ == s) throw JsonScanError{p_, "expected a value"};
}

bool JsonScanner::next_key(std::string_view& key, bool& first) {
  ws();
  if (p_ < end_ && *p_ == '}') {
    ++p_;
    return false;
  }
  if (!first) expect(',');
  first = false;
  key = string();
  expect(':');
  return true;
}

bool JsonScanner::next_element(bool& first) {
  ws();
  if (p_ < end_ && *p_ == ']') {
    ++p_;
    return false;
  }
  if (!first) expect(',');
  first = false;
  return true;
}

std::string_view JsonScanner::raw_value() {
  ws();
  const char* start = p_;
  skip_value();
  return std::string_view(start, p_ - start);
}

static void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) out.push_back(static_cast<char>(cp));
  else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string JsonScanner::decoded_string() {
  std::string_view raw = string();
  if (raw.find('\\') == std::string_view::npos) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  auto hex4 = [&](size_t i) -> uint32_t {
    if (i + 4 > raw.size()) throw JsonScanError{p_, "bad \\u escape"};
    uint32_t v = 0;
    for (size_t k = i; k < i + 4; ++k) {
      char c = raw[k];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= c - '0';
      else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
      else throw JsonScanError{p_, "bad \\u escape"};
    }
    return v;
  };
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= raw.size()) throw JsonScanError{p_, "bad escape"};
    switch (raw[i]) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        uint32_t cp = hex4(i + 1);
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < raw.size() + 1 && raw.substr(i + 1, 2) == "\\u") {
          uint32_t lo = hex4(i + 3);
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          i += 6;
        }
        append_utf8(out, cp);
        break;
      }
      default: out.push_back(raw[i]);  // \" \\ \/
    }
  }
  return out;
}

}  // namespace ptr
