#include "model/atlas_reader.hpp"

#include <cmath>
#include <limits>
#include <unordered_map>

#include "model/fields.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"
#include "util/json_scan.hpp"

namespace ptr {

namespace {

struct Ctx {
  JsonScanner& s;
  const std::string& file;
  long line;
  std::string_view key;
};

[[noreturn]] void bad(const Ctx& c, const std::string& what) { throw_input(c.file, what, c.line, std::string(c.key)); }

bool take_null(JsonScanner& s) {
  if (s.peek() != 'n') return false;
  s.null_or_skip();
  return true;
}

std::optional<double> read_number(Ctx& c) {
  JsonScanner& s = c.s;
  if (take_null(s)) return std::nullopt;
  if (s.peek() == '"') {
    auto v = s.string();
    if (v == "inf" || v == "Infinity") return std::numeric_limits<double>::infinity();
    if (v == "-inf" || v == "-Infinity") return -std::numeric_limits<double>::infinity();
    if (v == "nan" || v == "NaN") return std::numeric_limits<double>::quiet_NaN();
    bad(c, "expected a number, got \"" + std::string(v) + "\"");
  }
  return s.number();
}

std::optional<long> read_int(Ctx& c) {
  if (take_null(c.s)) return std::nullopt;
  double v = c.s.number();
  if (v != std::floor(v)) bad(c, "expected an integer");  // also NaN and +-Infinity
  // Past +-2^53 a double no longer holds every integer, and past 2^63 a long
  // cannot hold it at all: no count or size of ours comes near.
  if (std::fabs(v) > 9007199254740992.0) bad(c, "expected an integer within +-2^53");
  return static_cast<long>(v);
}

std::optional<bool> read_bool(Ctx& c) {
  if (take_null(c.s)) return std::nullopt;
  char p = c.s.peek();
  if (p != 't' && p != 'f') bad(c, "expected true or false");
  return c.s.boolean();
}

std::optional<std::string> read_string(Ctx& c) {
  if (take_null(c.s)) return std::nullopt;
  if (c.s.peek() != '"') bad(c, "expected a string");
  return c.s.decoded_string();
}

LatencyStat read_stat(Ctx& c) {
  LatencyStat st;
  if (take_null(c.s)) return st;
  if (c.s.peek() != '{') bad(c, "expected an object with mean/median/p90/p99/std");
  bool first = true;
  std::string_view k;
  c.s.begin_object();
  while (c.s.next_key(k, first)) {
    std::optional<double> v = read_number(c);
    if (k == "mean") st.mean = v;
    else if (k == "median") st.median = v;
    else if (k == "p90") st.p90 = v;
    else if (k == "p99") st.p99 = v;
    else if (k == "std") st.std = v;
  }
  return st;
}

template <class Owner>
bool read_field(Ctx& c, Owner& o, const FieldSpec<Owner>& f) {
  std::visit(
      [&](auto member) {
        using M = std::decay_t<decltype(o.*member)>;
        M& v = o.*member;
        if constexpr (std::is_same_v<M, LatencyStat>) v = read_stat(c);
        else if constexpr (std::is_same_v<M, std::optional<double>>) v = read_number(c);
        else if constexpr (std::is_same_v<M, std::optional<long>>) v = read_int(c);
        else if constexpr (std::is_same_v<M, std::optional<bool>>) v = read_bool(c);
        else if constexpr (std::is_same_v<M, std::optional<std::string>>) v = read_string(c);
        else if constexpr (std::is_same_v<M, std::string>) {
          auto s = read_string(c);
          if (!s) bad(c, "expected a string");
          v = *s;
        } else if constexpr (std::is_same_v<M, long>) {
          auto i = read_int(c);
          if (!i) bad(c, "expected an integer");
          v = *i;
        } else if constexpr (std::is_same_v<M, bool>) {
          auto b = read_bool(c);
          if (!b) bad(c, "expected true or false");
          v = *b;
        }
      },
      f.member);
  return true;
}

template <class Owner>
const std::unordered_map<std::string_view, const FieldSpec<Owner>*>& index_of(const std::vector<FieldSpec<Owner>>& fields) {
  static const auto index = [&] {
    std::unordered_map<std::string_view, const FieldSpec<Owner>*> m;
    for (const auto& f : fields) m.emplace(f.name, &f);
    return m;
  }();
  return index;
}

Point read_point(Ctx& c, std::vector<std::string>& legacy_warnings) {
  Point p;
  if (c.s.peek() != '{') bad(c, "expected a point object");
  const auto& idx = index_of(point_fields());
  bool first = true;
  std::string_view k;
  c.s.begin_object();
  while (c.s.next_key(k, first)) {
    c.key = k;
    if (auto it = idx.find(k); it != idx.end()) {
      read_field(c, p, *it->second);
    } else if (k == "spread") {
      auto raw = c.s.raw_value();
      p.spread = parse_json_lenient(raw, c.file, c.line - 1);
    } else if (k == "extra") {
      auto raw = c.s.raw_value();
      p.extra = parse_json_lenient(raw, c.file, c.line - 1);
      if (!p.extra.is_object()) bad(c, "expected an object");
    } else if (k == "warnings") {
      bool f2 = true;
      c.s.begin_array();
      while (c.s.next_element(f2)) legacy_warnings.push_back(c.s.decoded_string());
    } else if (k == "source") {
      bool f2 = true;
      c.s.begin_array();
      while (c.s.next_element(f2)) {
        PointSource src;
        bool f3 = true;
        std::string_view sk;
        c.s.begin_object();
        while (c.s.next_key(sk, f3)) {
          c.key = sk;
          if (sk == "file") src.file = read_string(c).value_or("");
          else if (sk == "format") src.format = read_string(c).value_or("");
          else if (sk == "format_version") src.format_version = read_string(c).value_or("");
          else if (sk == "line") src.line = read_int(c);
          else if (sk == "run_number") src.run_number = read_int(c);
          else c.s.skip_value();
        }
        p.source.push_back(std::move(src));
      }
    } else {
      c.s.skip_value();
    }
  }
  return p;
}

}  // namespace

AtlasCell read_atlas_cell(std::string_view text, const std::string& file, long line) {
  JsonScanner s(text.data(), text.data() + text.size());
  Ctx c{s, file, line, {}};
  AtlasCell cell;
  bool schema_ok = false;
  try {
    if (s.peek() != '{') throw_input(file, "expected an atlas cell object", line);
    const auto& idx = index_of(cell_fields());
    bool first = true;
    std::string_view k;
    s.begin_object();
    while (s.next_key(k, first)) {
      c.key = k;
      if (auto it = idx.find(k); it != idx.end()) {
        read_field(c, cell, *it->second);
      } else if (k == "schema") {
        auto v = read_string(c);
        if (v != kAtlasCellSchema) bad(c, "unsupported schema '" + v.value_or("null") + "'; expected " + kAtlasCellSchema);
        schema_ok = true;
      } else if (k == "concurrencies_requested") {
        bool f2 = true;
        s.begin_array();
        while (s.next_element(f2)) {
          auto v = read_int(c);
          if (v) cell.concurrencies_requested.push_back(*v);
        }
      } else if (k == "points") {
        bool f2 = true;
        s.begin_array();
        cell.points.reserve(8);  // a sweep's usual size: no regrowth moving 700-byte points
        while (s.next_element(f2)) {
          std::vector<std::string> legacy;  // older atlases kept warnings as strings on each point
          cell.points.push_back(read_point(c, legacy));
          for (auto& m : legacy) add_warning(cell.warnings, {"note", m, {}, {}, {}, {}, cell.points.back().concurrency});
        }
      } else if (k == "warnings") {
        auto raw = s.raw_value();
        json list = parse_json_lenient(raw, file, line - 1);
        if (!list.is_array()) bad(c, "expected a list of warning records");
        for (const auto& w : list) add_warning(cell.warnings, warning_from_json(w));
      } else if (k == "extra") {
        cell.extra = parse_json_lenient(s.raw_value(), file, line - 1);
      } else {
        s.skip_value();
      }
    }
    if (!s.at_end()) throw_input(file, "trailing characters after the atlas cell", line);
  } catch (const JsonScanError& e) {
    throw_input(file, std::string("malformed JSON (") + e.what + ")", line, std::string(c.key));
  }
  if (!schema_ok) throw_input(file, "missing 'schema' (expected atlas_cell/v1)", line, "schema");
  return cell;
}

}  // namespace ptr
