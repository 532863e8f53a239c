#include "lake/atlas_table.hpp"

#include <set>

#include "model/fields.hpp"
#include "model/identity.hpp"

namespace ptr {

namespace {

const char* const kStats[] = {"mean", "p50", "p90", "p99", "std"};

template <class Owner>
SqlType type_of(const FieldMember<Owner>& m) {
  switch (m.index()) {
    case 2: case 5: return SqlType::integer;   // optional<long>, long
    case 3: case 7: return SqlType::real;      // optional<double>, LatencyStat
    case 4: case 6: return SqlType::boolean;   // optional<bool>, bool
    default: return SqlType::text;
  }
}

template <class Owner>
void append_values(const Owner& o, const FieldSpec<Owner>& f, std::vector<SqlValue>& out) {
  std::visit(
      [&](auto member) {
        using T = std::decay_t<decltype(o.*member)>;
        const T& v = o.*member;
        if constexpr (std::is_same_v<T, LatencyStat>) {
          for (const auto* s : {&v.mean, &v.median, &v.p90, &v.p99, &v.std}) out.push_back(*s ? SqlValue(**s) : SqlValue());
        } else if constexpr (std::is_same_v<T, std::string>) {
          out.emplace_back(v);
        } else if constexpr (std::is_same_v<T, long>) {
          out.emplace_back(static_cast<long long>(v));
        } else if constexpr (std::is_same_v<T, bool>) {
          out.emplace_back(v);
        } else if constexpr (std::is_same_v<T, std::optional<long>>) {
          out.push_back(v ? SqlValue(static_cast<long long>(*v)) : SqlValue());
        } else {
          out.push_back(v ? SqlValue(*v) : SqlValue());
        }
      },
      f.member);
}

bool skipped_cell_field(const FieldSpec<AtlasCell>& f) { return std::string_view(f.name) == "campaign" || std::string_view(f.name) == "cell_id"; }

const std::set<std::string>& point_names() {
  static const std::set<std::string> names = [] {
    std::set<std::string> s;
    for (const auto& f : point_fields()) s.insert(f.name);
    return s;
  }();
  return names;
}

}  // namespace

std::vector<LakeColumn> atlas_columns() {
  std::vector<LakeColumn> cols = {
      {"campaign_id", SqlType::text, "", "Campaign the row belongs to."},
      {"cell_id", SqlType::text, "", "Cell id inside the campaign."},
      {"point_index", SqlType::integer, "", "Position of the point in the cell (0-based; concurrency can repeat or be null)."},
      {"identity_key", SqlType::text, "", "The full-context descriptor (model/identity.hpp) as a digest: the first 32 hex digits of its SHA-256."},
      {"comparison_key", SqlType::text, "", "The descriptor without the stack (engine version, delivery), as a digest like identity_key: equal for re-runs of one configuration across campaigns."},
  };
  for (const auto& f : cell_fields()) {
    if (skipped_cell_field(f)) continue;
    std::string name = point_names().count(f.name) ? std::string("cell_") + f.name : f.name;
    cols.push_back({name, type_of(f.member), f.unit, std::string("Cell: ") + f.doc});
  }
  for (const auto& f : point_fields()) {
    if (f.member.index() == 7) {
      for (const char* s : kStats) cols.push_back({std::string(f.name) + "_" + s, SqlType::real, f.unit, std::string(f.doc) + " (" + s + ")"});
      continue;
    }
    cols.push_back({f.name, type_of(f.member), f.unit, f.doc});
  }
  cols.push_back({"spread_json", SqlType::text, "", "Standard deviations across trials, per metric (JSON)."});
  cols.push_back({"extra_json", SqlType::text, "", "The point's extra fields (telemetry, roofline coordinates; JSON)."});
  cols.push_back({"source_file", SqlType::text, "", "Raw file the point came from (under cells/<id>/raw/)."});
  cols.push_back({"source_format", SqlType::text, "", "Its detected format."});
  return cols;
}

std::vector<SqlValue> atlas_cell_values(const AtlasCell& cell) {
  // The keys as digests: the descriptor's own columns carry the text, and a
  // 1 kB key twice per row would be most of the lake's bytes.
  std::vector<SqlValue> v = {cell.campaign, cell.cell_id, SqlValue(), identity_digest(cell), comparison_digest(cell)};
  for (const auto& f : cell_fields())
    if (!skipped_cell_field(f)) append_values(cell, f, v);
  return v;
}

std::vector<SqlValue> atlas_row(const std::vector<SqlValue>& cell_values, const Point& p, long point_index) {
  std::vector<SqlValue> row;
  row.reserve(cell_values.size() + 40);
  row = cell_values;
  row[2] = static_cast<long long>(point_index);
  for (const auto& f : point_fields()) append_values(p, f, row);
  row.emplace_back(p.spread.dump(-1, ' ', false, json::error_handler_t::replace));
  row.emplace_back(p.extra.dump(-1, ' ', false, json::error_handler_t::replace));
  if (p.source.empty()) {
    row.emplace_back();
    row.emplace_back();
  } else {
    row.emplace_back(p.source.front().file);
    row.emplace_back(p.source.front().format);
  }
  return row;
}

}  // namespace ptr
