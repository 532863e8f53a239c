#pragma once
// A small forward-only JSON scanner for hot paths (AIPerf per-request JSONL,
// gigabytes of it): it reads the keys a caller asks for and skips everything
// else without building a DOM. Strings are returned raw (escapes not decoded),
// which is enough for the ASCII keys and enum values we compare against.
#include <cstdint>
#include <string>
#include <string_view>

namespace ptr {

class JsonScanner {
 public:
  JsonScanner(const char* begin, const char* end) : p_(begin), end_(end) {}

  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) ++p_;
  }
  char peek() {
    ws();
    return p_ < end_ ? *p_ : '\0';
  }
  bool at_end() {
    ws();
    return p_ >= end_;
  }
  void expect(char c);                   // throws JsonScanError
  bool try_consume(char c);
  std::string_view string();             // raw content between quotes
  double number();                       // also accepts NaN / Infinity / -Infinity
  int64_t integer();
  bool boolean();
  bool null_or_skip();                   // true if the value was null (consumed)
  void skip_value();
  // Iteration: `bool first = true; begin_object(); while (next_key(k, first)) {...value...}`.
  // The caller owns `first`, so nested containers keep their own state.
  void begin_object() { expect('{'); }
  bool next_key(std::string_view& key, bool& first);
  void begin_array() { expect('['); }
  bool next_element(bool& first);
  size_t offset(const char* base) const { return static_cast<size_t>(p_ - base); }
  // Skips one value and returns its exact text (to hand to a DOM parser).
  std::string_view raw_value();
  // A string value with JSON escapes decoded (\n, \", \uXXXX incl. surrogate pairs).
  std::string decoded_string();

 private:
  const char* p_;
  const char* end_;
};

struct JsonScanError {
  const char* where;
  const char* what;
};

}  // namespace ptr
