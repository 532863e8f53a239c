#pragma once
// lake_query's presets: the common questions, in SQL both backends run
// (docs/lake.md prints them).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lake/lake_db.hpp"

namespace ptr {

struct LakePreset {
  std::string name;
  std::string question;
  std::string sql;
};

const std::vector<LakePreset>& lake_presets();
const LakePreset* find_preset(const std::string& name);

// A result as an aligned text table, CSV (RFC 4180 quoting) or JSON rows.
std::string result_table(const SqlResult& r);
std::string result_csv(const SqlResult& r);
nlohmann::json result_json(const SqlResult& r);

}  // namespace ptr
