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

}  // namespace ptr
