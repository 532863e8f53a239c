#include "model/atlas_cell.hpp"

#include <cmath>

#include "model/fields.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"
#include "util/text.hpp"

namespace ptr {

namespace {

// JSON has no infinity; an offered rate of +inf is written as "inf" (vLLM's own spelling).
json number_json(double v) {
  if (std::isinf(v)) return v > 0 ? json("inf") : json("-inf");
  if (std::isnan(v)) return nullptr;
  return v;
}

json stat_json(const LatencyStat& s) {
  json j = json::object();
  auto put = [&](const char* k, const std::optional<double>& v) { j[k] = v ? number_json(*v) : json(nullptr); };
  put("mean", s.mean);
  put("median", s.median);
  put("p90", s.p90);
  put("p99", s.p99);
  put("std", s.std);
  return j;
}

LatencyStat stat_from(const json& j, const std::string& file, const std::string& key) {
  LatencyStat s;
  if (j.is_null()) return s;
  if (!j.is_object()) throw_input(file, "expected an object with mean/median/p90/p99/std", -1, key);
  s.mean = number_at(j, "mean", file);
  s.median = number_at(j, "median", file);
  s.p90 = number_at(j, "p90", file);
  s.p99 = number_at(j, "p99", file);
  s.std = number_at(j, "std", file);
  return s;
}

template <class Owner>
const auto& fields_of() {
  if constexpr (std::is_same_v<Owner, AtlasCell>) return cell_fields();
  else return point_fields();
}

template <class Owner>
void write_fields(json& j, const Owner& o) {
  for (const auto& f : fields_of<Owner>()) {
    std::visit(
        [&](auto member) {
          using M = std::decay_t<decltype(o.*member)>;
          const M& v = o.*member;
          if constexpr (std::is_same_v<M, LatencyStat>) j[f.name] = stat_json(v);
          else if constexpr (std::is_same_v<M, std::optional<double>>) j[f.name] = v ? number_json(*v) : json(nullptr);
          else if constexpr (std::is_same_v<M, std::optional<long>> || std::is_same_v<M, std::optional<std::string>> ||
                             std::is_same_v<M, std::optional<bool>>)
            j[f.name] = v ? json(*v) : json(nullptr);
          else j[f.name] = v;
        },
        f.member);
  }
}

// An integer field: a JSON integer, or a float with no fraction, within
// +-2^53 (a cast of anything larger to long is undefined behaviour).
long long_of(const json& v, const std::string& file, const std::string& key) {
  if (v.is_number_integer() && !v.is_number_unsigned()) return v.get<long>();
  double d = v.is_number() ? v.get<double>() : NAN;
  if (!(std::fabs(d) <= 9007199254740992.0) || d != std::floor(d))
    throw_input(file, "expected an integer within +-2^53, got " + excerpt(v.dump(), 40), -1, key);
  return static_cast<long>(d);
}

template <class Owner>
void read_fields(const json& j, Owner& o, const std::string& file) {
  for (const auto& f : fields_of<Owner>()) {
    auto it = j.find(f.name);
    std::visit(
        [&](auto member) {
          using M = std::decay_t<decltype(o.*member)>;
          M& v = o.*member;
          if (it == j.end()) return;
          try {
            if constexpr (std::is_same_v<M, LatencyStat>) v = stat_from(*it, file, f.name);
            else if constexpr (std::is_same_v<M, std::optional<double>>) v = as_number(*it, file, f.name);
            else if constexpr (std::is_same_v<M, std::optional<long>>) {
              if (!it->is_null()) v = long_of(*it, file, f.name);
            } else if constexpr (std::is_same_v<M, std::optional<std::string>>) {
              if (!it->is_null()) v = it->template get<std::string>();
            } else if constexpr (std::is_same_v<M, std::optional<bool>>) {
              if (!it->is_null()) v = it->template get<bool>();
            } else v = it->template get<M>();
          } catch (const json::exception& e) {
            throw_input(file, std::string("wrong type: ") + e.what(), -1, f.name);
          }
        },
        f.member);
  }
}

}  // namespace

bool plot_ready(const Point& p) { return p.concurrency && p.status != "failed" && p.output_tok_s; }

bool is_roofline_sweep(const AtlasCell& c) { return c.sweep_kind && *c.sweep_kind != "serving"; }

std::vector<AtlasCell> serving_cells(const std::vector<AtlasCell>& cells) {
  std::vector<AtlasCell> out;
  for (const auto& c : cells)
    if (!is_roofline_sweep(c)) out.push_back(c);
  return out;
}

bool rate_only(const Point& p) { return !p.concurrency && p.request_rate && p.status != "failed"; }

json to_json(const Point& p) {
  json j = json::object();
  write_fields(j, p);
  j["spread"] = p.spread;
  if (!p.extra.empty()) j["extra"] = p.extra;
  json src = json::array();
  for (const auto& s : p.source) {
    src.push_back({{"file", s.file}, {"format", s.format}, {"format_version", s.format_version},
                   {"line", s.line ? json(*s.line) : json(nullptr)},
                   {"run_number", s.run_number ? json(*s.run_number) : json(nullptr)}});
  }
  j["source"] = src;
  return j;
}

json to_json(const AtlasCell& c) {
  json j = json::object();
  j["schema"] = kAtlasCellSchema;
  write_fields(j, c);
  j["concurrencies_requested"] = c.concurrencies_requested;
  json pts = json::array();
  for (const auto& p : c.points) pts.push_back(to_json(p));
  j["points"] = pts;
  j["warnings"] = ptr::to_json(c.warnings);
  j["extra"] = c.extra;
  return j;
}

Point point_from_json(const json& j, const std::string& file) {
  if (!j.is_object()) throw_input(file, "expected a point object", -1, "points");
  Point p;
  read_fields(j, p, file);
  if (auto it = j.find("spread"); it != j.end() && it->is_object()) p.spread = *it;
  if (auto it = j.find("extra"); it != j.end() && it->is_object()) p.extra = *it;
  if (auto it = j.find("source"); it != j.end() && it->is_array()) {
    for (const auto& s : *it) {
      PointSource ps;
      ps.file = s.value("file", "");
      ps.format = s.value("format", "");
      ps.format_version = s.value("format_version", "");
      if (s.contains("line") && !s["line"].is_null()) ps.line = long_of(s["line"], file, "source.line");
      if (s.contains("run_number") && !s["run_number"].is_null()) ps.run_number = long_of(s["run_number"], file, "source.run_number");
      p.source.push_back(ps);
    }
  }
  return p;
}

namespace {

AtlasCell read_cell(const json& j, const std::string& file) {
  if (!j.is_object()) throw_input(file, "expected an atlas cell object");
  if (j.value("schema", "") != kAtlasCellSchema)
    throw_input(file, "unsupported schema '" + j.value("schema", std::string("<missing>")) + "'; expected " +
                          kAtlasCellSchema, -1, "schema");
  AtlasCell c;
  read_fields(j, c, file);
  if (auto it = j.find("concurrencies_requested"); it != j.end() && it->is_array())
    for (const auto& v : *it) c.concurrencies_requested.push_back(long_of(v, file, "concurrencies_requested"));
  if (auto it = j.find("points"); it != j.end() && it->is_array()) {
    for (const auto& p : *it) {
      c.points.push_back(point_from_json(p, file));
      // Older atlases kept warnings as strings on each point.
      if (auto w = p.find("warnings"); w != p.end() && w->is_array())
        for (const auto& s : *w) {
          Warning legacy = warning_from_json(s);
          legacy.cell = c.cell_id;
          legacy.concurrency = c.points.back().concurrency;
          add_warning(c.warnings, legacy);
        }
    }
  }
  if (auto it = j.find("warnings"); it != j.end() && it->is_array())
    for (const auto& w : *it) add_warning(c.warnings, warning_from_json(w));
  if (auto it = j.find("extra"); it != j.end()) c.extra = *it;
  return c;
}

}  // namespace

AtlasCell cell_from_json(const json& j, const std::string& file) {
  try {
    return read_cell(j, file);
  } catch (const json::exception& e) {
    // A value of another type than its field's (a number where an object
    // belongs): one input error, never the library's exception.
    throw_input(file, std::string("wrong type in an atlas cell: ") + excerpt(e.what(), 160));
  }
}

}  // namespace ptr
