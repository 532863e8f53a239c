#pragma once
// One connection to a perf lake, whatever the backend: an embedded SQLite
// file (sqlite:///path) or a shared PostgreSQL server (postgresql://...).
// Statements are written once, in the SQL both accept, with `?` for every
// value: values never enter SQL text (parameterized statements only).
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace ptr {

// A value bound to a statement or read back: null, text, integer, real, bool.
using SqlValue = std::variant<std::monostate, std::string, long long, double, bool>;

struct SqlResult {
  std::vector<std::string> columns;
  std::vector<std::vector<SqlValue>> rows;
};

class LakeDb {
 public:
  virtual ~LakeDb() = default;
  virtual std::string backend() const = 0;  // sqlite | postgresql
  // Statements without values (DDL, several separated by ';').
  virtual void exec(const std::string& sql) = 0;
  virtual SqlResult query(const std::string& sql, const std::vector<SqlValue>& params = {}) = 0;
  // One statement that cannot write (lake_query's --sql): refused otherwise.
  virtual SqlResult read_only_query(const std::string& sql) = 0;
  // Many rows into one table in the open transaction (SQLite: one prepared
  // statement; PostgreSQL: COPY).
  virtual void insert_rows(const std::string& table, const std::vector<std::string>& columns,
                           const std::vector<std::vector<SqlValue>>& rows) = 0;
  // A write transaction that excludes every other publisher until commit or
  // rollback (SQLite: BEGIN IMMEDIATE, waiting on a busy lake; PostgreSQL: an
  // advisory transaction lock).
  virtual void begin_exclusive() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

struct LakeUrl {
  std::string backend;  // sqlite | postgresql
  std::string path;     // sqlite: the file
  std::string conninfo; // postgresql: the URL as libpq takes it
  std::string display;  // the URL with any password elided
};

// sqlite:///abs/path, sqlite://relative/path, postgresql:// or postgres://
// (libpq's URI; credentials from its environment and .pgpass). Anything
// else is a usage error naming the accepted forms.
LakeUrl parse_lake_url(const std::string& url);
std::unique_ptr<LakeDb> open_lake(const LakeUrl& url);

// Rolls back on scope exit unless committed (a throw mid-publish leaves the
// previous rows as they were).
class LakeTransaction {
 public:
  explicit LakeTransaction(LakeDb& db) : db_(db) { db_.begin_exclusive(); }
  ~LakeTransaction() {
    if (!done_) try {
        db_.rollback();
      } catch (...) {
      }
  }
  void commit() {
    db_.commit();
    done_ = true;
  }
  LakeTransaction(const LakeTransaction&) = delete;
  LakeTransaction& operator=(const LakeTransaction&) = delete;

 private:
  LakeDb& db_;
  bool done_ = false;
};

// "12.5", "text", "" for null: for tables, CSV and messages.
std::string sql_text(const SqlValue& v);

}  // namespace ptr
