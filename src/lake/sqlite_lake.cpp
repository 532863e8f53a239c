// The embedded lake: one SQLite file, WAL journal, writers serialized by
// BEGIN IMMEDIATE with a busy timeout (a second publisher waits).
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <string_view>
#include <thread>
#include <fmt/format.h>

#include "lake/lake_backends.hpp"
#include "util/error.hpp"

namespace ptr {

namespace {

class SqliteLake : public LakeDb {
 public:
  explicit SqliteLake(const LakeUrl& url) : url_(url) {
    if (sqlite3_open_v2(url.path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw_io(url.path, "cannot open the SQLite lake: " + why);
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    // WAL with synchronous=NORMAL: a crash of the publisher or the OS never
    // corrupts the lake nor exposes half a publish; only a power loss may drop
    // the last committed publish (republish it). Readers never block the writer.
    enter_wal();
    exec("PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536");
  }
  ~SqliteLake() override { sqlite3_close(db_); }

  std::string backend() const override { return "sqlite"; }

  void exec(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string why = err ? err : "unknown error";
      sqlite3_free(err);
      fail(why);
    }
  }

  SqlResult query(const std::string& sql, const std::vector<SqlValue>& params) override {
    Statement st(*this, sql);
    bind(st.s, params);
    SqlResult r;
    int n = sqlite3_column_count(st.s);
    for (int i = 0; i < n; ++i) r.columns.push_back(sqlite3_column_name(st.s, i));
    for (;;) {
      int rc = sqlite3_step(st.s);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(sqlite3_errmsg(db_));
      std::vector<SqlValue> row;
      for (int i = 0; i < n; ++i) {
        switch (sqlite3_column_type(st.s, i)) {
          case SQLITE_NULL: row.emplace_back(std::monostate{}); break;
          case SQLITE_INTEGER: {
            // SQLite keeps BOOLEAN as 0/1: read it back as the bool PostgreSQL returns.
            const char* decl = sqlite3_column_decltype(st.s, i);
            long long v = sqlite3_column_int64(st.s, i);
            if (decl && std::string_view(decl) == "BOOLEAN") row.emplace_back(v != 0);
            else row.emplace_back(v);
            break;
          }
          case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(st.s, i)); break;
          default: row.emplace_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st.s, i))));
        }
      }
      r.rows.push_back(std::move(row));
    }
    return r;
  }

  SqlResult read_only_query(const std::string& sql) override {
    {
      sqlite3_stmt* s = nullptr;
      const char* tail = nullptr;
      if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &s, &tail) != SQLITE_OK) fail(sqlite3_errmsg(db_));
      bool ro = s && sqlite3_stmt_readonly(s);
      sqlite3_finalize(s);
      std::string rest = tail ? tail : "";
      if (rest.find_first_not_of(" \t\r\n;") != std::string::npos) throw_usage("the SQL holds more than one statement", "one SELECT per query");
      if (!ro) throw_usage("the SQL would write to the lake: lake_query runs read-only statements", "SELECT ... only");
    }
    return query(sql, {});
  }

  void insert_rows(const std::string& table, const std::vector<std::string>& columns,
                   const std::vector<std::vector<SqlValue>>& rows) override {
    if (rows.empty()) return;
    std::string names, marks;
    for (const auto& c : columns) {
      names += (names.empty() ? "" : ", ") + c;
      marks += marks.empty() ? "?" : ", ?";
    }
    Statement st(*this, fmt::format("INSERT INTO {} ({}) VALUES ({})", table, names, marks));
    for (const auto& row : rows) {
      bind(st.s, row);
      if (sqlite3_step(st.s) != SQLITE_DONE) fail(fmt::format("{}: {}", table, sqlite3_errmsg(db_)));
      sqlite3_reset(st.s);
    }
  }

  void begin_exclusive() override { exec("BEGIN IMMEDIATE"); }
  void commit() override { exec("COMMIT"); }
  void rollback() override { exec("ROLLBACK"); }

 private:
  static constexpr int kBusyTimeoutMs = 60000;

  // Two publishers creating the lake at once both switch it to WAL: each holds
  // a read lock and wants the write lock, and SQLite answers one of them BUSY
  // at once instead of calling the busy handler (waiting would deadlock).
  // Once the other has switched, the retry finds WAL and succeeds.
  void enter_wal() {
    for (int waited_ms = 0;; waited_ms += 5) {
      int rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
      if (rc == SQLITE_OK) return;
      if ((rc & 0xff) != SQLITE_BUSY || waited_ms >= kBusyTimeoutMs) fail(sqlite3_errmsg(db_));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  struct Statement {
    sqlite3_stmt* s = nullptr;
    Statement(SqliteLake& l, const std::string& sql) {
      if (sqlite3_prepare_v2(l.db_, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK) l.fail(sqlite3_errmsg(l.db_));
    }
    ~Statement() { sqlite3_finalize(s); }
  };

  void bind(sqlite3_stmt* s, const std::vector<SqlValue>& params) {
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(s))
      fail(fmt::format("{} value(s) for {} placeholder(s)", params.size(), sqlite3_bind_parameter_count(s)));
    for (size_t i = 0; i < params.size(); ++i) {
      int at = static_cast<int>(i) + 1, rc = SQLITE_OK;
      const SqlValue& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) rc = sqlite3_bind_null(s, at);
      else if (auto t = std::get_if<std::string>(&v)) rc = sqlite3_bind_text(s, at, t->data(), static_cast<int>(t->size()), SQLITE_TRANSIENT);
      else if (auto n = std::get_if<long long>(&v)) rc = sqlite3_bind_int64(s, at, *n);
      else if (auto d = std::get_if<double>(&v)) rc = std::isnan(*d) ? sqlite3_bind_null(s, at) : sqlite3_bind_double(s, at, *d);
      else rc = sqlite3_bind_int(s, at, std::get<bool>(v) ? 1 : 0);
      if (rc != SQLITE_OK) fail(sqlite3_errmsg(db_));
    }
  }

  [[noreturn]] void fail(const std::string& why) { throw_io(url_.display, "SQLite lake: " + why); }

  LakeUrl url_;
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<LakeDb> open_sqlite_lake(const LakeUrl& url) { return std::make_unique<SqliteLake>(url); }

}  // namespace ptr
