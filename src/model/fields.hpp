#pragma once
// Field tables for atlas_cell/v1: name, unit, doc and the member they map to.
// to_json/from_json, docs/schema.md and the JSON Schema walk these tables, so
// a field is declared once.
#include <string_view>
#include <variant>
#include <vector>

#include "model/atlas_cell.hpp"

namespace ptr {

template <class Owner>
using FieldMember = std::variant<std::string Owner::*, std::optional<std::string> Owner::*,
                                 std::optional<long> Owner::*, std::optional<double> Owner::*,
                                 std::optional<bool> Owner::*, long Owner::*, bool Owner::*,
                                 LatencyStat Owner::*>;

// How a cell field enters: from the campaign config (a cell key; the
// import_perf_bench flags of a cell not in the config are generated from the
// same entries), or only from the data / the tool.
enum class ConfigUse { none, required, optional };

// Which part of the full-context descriptor a field is (model/identity.hpp):
// the stack (engine version, delivery) is left out when matching across
// campaigns; workload fields describe what was sent.
enum class Role { none, model, hardware, serving, workload, stack };

template <class Owner>
struct FieldSpec {
  const char* name;
  const char* unit;  // "" when dimensionless
  const char* doc;
  FieldMember<Owner> member;
  ConfigUse config = ConfigUse::none;
  Role role = Role::none;
  const char* label = nullptr;    // how a label shows it: "TP{}", "ISL {}"; bools "on|off" ("MTP|no MTP")
  const char* choices = nullptr;  // allowed strings, '|'-separated ("warm|cold")
  double min = 0, max = 0;        // numeric range when max > min
  bool min_open = false;          // (min, max] instead of [min, max]
  const char* flag = nullptr;     // import_perf_bench flag when it is not the name ("mbt")
};

const std::vector<FieldSpec<AtlasCell>>& cell_fields();
const std::vector<FieldSpec<Point>>& point_fields();
const FieldSpec<AtlasCell>* find_cell_field(std::string_view name);

std::vector<std::string> choices_of(const FieldSpec<AtlasCell>& f);
// What is wrong with a value for the field (range, choice), or "" when it fits.
std::string field_value_problem(const FieldSpec<AtlasCell>& f, double v);
std::string field_value_problem(const FieldSpec<AtlasCell>& f, const std::string& v);
// The value a field takes for a string as given (enums case-insensitively, as declared).
std::string normalized_choice(const FieldSpec<AtlasCell>& f, const std::string& v);

}  // namespace ptr
