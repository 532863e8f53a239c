#pragma once
// The lake's tables, each defined once and created the same way on SQLite
// and PostgreSQL: atlas_v1 walks the cell and point field tables (latency
// statistics flattened to ttft_ms_mean ... _std), tpm_v1 the tpm_summary
// column table; every column has a type and a unit. Migrations create them
// and the views on first use and are recorded in lake_migrations.
#include <string>
#include <vector>

#include "lake/lake_db.hpp"

namespace ptr {

enum class SqlType { text, integer, real, boolean };

struct LakeColumn {
  std::string name;
  SqlType type;
  std::string unit;
  std::string doc;
};

struct LakeTable {
  std::string name;
  std::string doc;
  std::vector<LakeColumn> columns;
  std::vector<std::string> key;  // natural key (primary key)
  std::vector<std::string> column_names() const;
};

const std::vector<LakeTable>& lake_tables();
const LakeTable& lake_table(const std::string& name);
const char* sql_type_name(SqlType t);

inline constexpr int kLakeSchemaVersion = 1;

// Creates lake_migrations and applies the missing migrations in one
// exclusive transaction; returns the versions applied now (empty when the
// lake was current). A lake newer than this build is refused.
std::vector<int> migrate_lake(LakeDb& db);

// docs/lake-schema.md: every table, column, type, unit and key, the views
// and the preset SQL, generated from the same definitions (gendocs).
std::string lake_schema_markdown();

}  // namespace ptr
