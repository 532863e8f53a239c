#pragma once
// Field tables for atlas_cell/v1: name, unit, doc and the member they map to.
// to_json/from_json, docs/schema.md and the JSON Schema walk these tables, so
// a field is declared once.
#include <variant>
#include <vector>

#include "model/atlas_cell.hpp"

namespace ptr {

template <class Owner>
using FieldMember = std::variant<std::string Owner::*, std::optional<std::string> Owner::*,
                                 std::optional<long> Owner::*, std::optional<double> Owner::*,
                                 std::optional<bool> Owner::*, long Owner::*, bool Owner::*,
                                 LatencyStat Owner::*>;

template <class Owner>
struct FieldSpec {
  const char* name;
  const char* unit;  // "" when dimensionless
  const char* doc;
  FieldMember<Owner> member;
};

const std::vector<FieldSpec<AtlasCell>>& cell_fields();
const std::vector<FieldSpec<Point>>& point_fields();

}  // namespace ptr
