#pragma once
// Parsing JSON as Python's json module writes it: bare NaN / Infinity /
// -Infinity tokens are accepted (they become the strings "NaN", "Infinity",
// "-Infinity", which number_at() reads back as numbers).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptr {

using json = nlohmann::json;

// Rewrites the non-standard tokens outside string literals. Returns false if
// the text has none (then `out` is untouched and the input can be used as is).
bool rewrite_nonfinite_tokens(std::string_view text, std::string& out);

// Benchmark outputs nest a few levels; past this a document is hostile (a
// recursive copy or print of it would exhaust the stack).
inline constexpr size_t kMaxJsonDepth = 256;
// Byte offset where nesting first exceeds `limit` (strings skipped), or npos.
size_t json_depth_exceeded_at(std::string_view text, size_t limit = kMaxJsonDepth);

// Parses one JSON document; errors name the file and the 1-based line.
// Nesting deeper than kMaxJsonDepth is an input error.
json parse_json_lenient(std::string_view text, const std::string& file, long line_offset = 0);

struct JsonLine {
  long line;  // 0-based physical line
  json value;
};
// One JSON value per non-blank line (JSONL, --append-result files).
std::vector<JsonLine> parse_json_lines(std::string_view text, const std::string& file);

// Number at `key`: JSON numbers, and the strings inf/Infinity/nan/NaN; null or
// absent -> nullopt; anything else is an input error naming file and key.
std::optional<double> number_at(const json& obj, const std::string& key, const std::string& file);
std::optional<double> as_number(const json& v, const std::string& file, const std::string& key);
// An integer at `key` in [min, max]: a JSON integer or an integral float;
// NaN, infinities, fractions and out-of-range values are input errors naming
// file and key (never a silent cast to -9223372036854775808).
std::optional<long> integer_at(const json& obj, const std::string& key, const std::string& file, long min = 0,
                               long max = 1L << 53);
std::optional<long> as_integer(const json& v, const std::string& file, const std::string& key, long min = 0,
                               long max = 1L << 53);
std::optional<std::string> string_at(const json& obj, const std::string& key);
const json* find_path(const json& obj, std::initializer_list<const char*> path);

}  // namespace ptr
