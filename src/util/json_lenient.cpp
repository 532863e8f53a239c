#include "util/json_lenient.hpp"

#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>
#include <unordered_set>

#include "util/error.hpp"
#include "util/text.hpp"

namespace ptr {

bool rewrite_nonfinite_tokens(std::string_view text, std::string& out) {
  // Fast exit: most files have neither token.
  if (text.find("NaN") == std::string_view::npos && text.find("Infinity") == std::string_view::npos)
    return false;
  out.clear();
  out.reserve(text.size() + 64);
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        out.push_back(text[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out.push_back(c);
    } else if (text.compare(i, 3, "NaN") == 0) {
      out += "\"NaN\"";
      i += 2;
    } else if (text.compare(i, 8, "Infinity") == 0) {
      out += "\"Infinity\"";
      i += 7;
    } else if (text.compare(i, 9, "-Infinity") == 0) {
      out += "\"-Infinity\"";
      i += 8;
    } else {
      out.push_back(c);
    }
  }
  return true;
}

static long line_of_byte(std::string_view text, size_t byte) {
  long line = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i)
    if (text[i] == '\n') ++line;
  return line;
}

size_t json_depth_exceeded_at(std::string_view text, size_t limit) {
  size_t depth = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    char c = *p;
    if (c == '"') {
      // Skip the string: find the closing quote not preceded by an odd run of backslashes.
      const char* q = p + 1;
      for (;;) {
        q = static_cast<const char*>(std::memchr(q, '"', end - q));
        if (!q) return std::string_view::npos;  // unterminated: the parser reports it
        const char* b = q;
        while (b > p + 1 && b[-1] == '\\') --b;
        if (((q - b) & 1) == 0) break;
        ++q;
      }
      p = q + 1;
      continue;
    }
    if (c == '{' || c == '[') {
      if (++depth > limit) return static_cast<size_t>(p - text.data());
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
    ++p;
  }
  return std::string_view::npos;
}

json parse_json_lenient(std::string_view text, const std::string& file, long line_offset) {
  if (size_t at = json_depth_exceeded_at(text); at != std::string_view::npos)
    throw_input(file, fmt::format("JSON nested deeper than {} levels; expected a benchmark document", kMaxJsonDepth),
                line_offset + line_of_byte(text, at));
  std::string rewritten;
  std::string_view src = rewrite_nonfinite_tokens(text, rewritten) ? std::string_view(rewritten) : text;
  // A key twice in one object: the writer's reader would keep one of them
  // silently (which, differs by library); refuse instead of guessing.
  std::vector<std::unordered_set<std::string>> keys;  // per open object, its keys so far
  struct DuplicateKey {
    std::string key;
  };
  auto unique_keys = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) keys.emplace_back();
    else if (event == json::parse_event_t::object_end && !keys.empty()) keys.pop_back();
    else if (event == json::parse_event_t::key && !keys.empty()) {
      const auto& k = parsed.get_ref<const std::string&>();
      if (!keys.back().insert(k).second) throw DuplicateKey{k};
    }
    return true;
  };
  try {
    return json::parse(src.begin(), src.end(), unique_keys);
  } catch (const DuplicateKey& d) {
    throw_input(file, fmt::format("duplicate key '{}' in one JSON object; expected each key once", excerpt(d.key, 80)), -1, d.key);
  } catch (const json::parse_error& e) {
    long line = line_offset + line_of_byte(src, e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    // nlohmann's message is "[json.exception.parse_error.101] parse error at line 1, column 5: ..."
    auto pos = what.find(": ");
    auto detail = excerpt(pos == std::string::npos ? what : what.substr(pos + 2), 160);
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
      throw_input(file, "empty file; expected a JSON document");
    throw_input(file, "malformed JSON (" + detail + ")", line);
  } catch (const json::out_of_range& e) {
    // A number past double's range (1e400): nlohmann names the token, not
    // where it is; the line is that of its first occurrence.
    std::string what = e.what();
    auto q = what.find('\'');
    std::string token = q == std::string::npos ? "" : what.substr(q + 1, what.find('\'', q + 1) - q - 1);
    size_t at = token.empty() ? std::string_view::npos : src.find(token);
    throw_input(file, fmt::format("number out of range: {} (beyond a double's +-1.8e308)", excerpt(token, 60)),
                at == std::string_view::npos ? -1 : line_offset + line_of_byte(src, at));
  }
}

std::vector<JsonLine> parse_json_lines(std::string_view text, const std::string& file) {
  std::vector<JsonLine> out;
  size_t start = 0;
  long line = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(start, end - start);
    if (l.find_first_not_of(" \t\r") != std::string_view::npos)
      out.push_back({line, parse_json_lenient(l, file, line)});
    if (end == text.size()) break;
    start = end + 1;
    ++line;
  }
  return out;
}

std::optional<double> as_number(const json& v, const std::string& file, const std::string& key) {
  if (v.is_null()) return std::nullopt;
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s == "inf" || s == "Infinity" || s == "+inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf" || s == "-Infinity") return -std::numeric_limits<double>::infinity();
    if (s == "nan" || s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  }
  throw_input(file, "expected a number, got " + std::string(v.type_name()) + " " +
                        excerpt(v.dump(-1, ' ', false, json::error_handler_t::replace)), -1, key);
}

std::optional<double> number_at(const json& obj, const std::string& key, const std::string& file) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  return as_number(*it, file, key);
}

std::optional<long> as_integer(const json& v, const std::string& file, const std::string& key, long min, long max) {
  auto d = as_number(v, file, key);
  if (!d) return std::nullopt;
  if (!std::isfinite(*d) || *d != std::floor(*d) || *d < static_cast<double>(min) || *d > static_cast<double>(max))
    throw_input(file, fmt::format("expected an integer between {} and {}, got {}", min, max,
                                  excerpt(v.dump(-1, ' ', false, json::error_handler_t::replace))), -1, key);
  return static_cast<long>(*d);
}

std::optional<long> integer_at(const json& obj, const std::string& key, const std::string& file, long min, long max) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  return as_integer(*it, file, key, min, max);
}

std::optional<std::string> string_at(const json& obj, const std::string& key) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

const json* find_path(const json& obj, std::initializer_list<const char*> path) {
  const json* cur = &obj;
  for (const char* k : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(k);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

}  // namespace ptr
