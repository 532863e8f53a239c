// The shared lake: a PostgreSQL server through libpq. Values travel as
// statement parameters (PQexecParams) or COPY data, never in SQL text;
// publishers serialize on one advisory transaction lock.

#include <cmath>
#include <fmt/format.h>
#include <optional>

#include "lake/lake_backends.hpp"
#include "lake/libpq.hpp"
#include "util/error.hpp"

namespace ptr {

namespace {

// The lake's advisory lock key ("perf" in ASCII): every publisher and
// migration takes it for its transaction.
constexpr long long kPublishLock = 0x70657266;

// `?` placeholders become $1, $2 ... outside quoted text and identifiers.
std::string numbered_placeholders(const std::string& sql) {
  std::string out;
  int n = 0;
  char quote = 0;
  for (char ch : sql) {
    if (quote) {
      if (ch == quote) quote = 0;
      out += ch;
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
      out += ch;
    } else if (ch == '?') {
      out += "$" + std::to_string(++n);
    } else {
      out += ch;
    }
  }
  return out;
}

std::optional<std::string> pg_text(const SqlValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
  if (auto d = std::get_if<double>(&v)) {
    if (std::isnan(*d)) return std::nullopt;
    if (std::isinf(*d)) return *d > 0 ? "Infinity" : "-Infinity";
    return fmt::format("{}", *d);
  }
  if (auto b = std::get_if<bool>(&v)) return *b ? "t" : "f";
  return sql_text(v);
}

// COPY's text format: backslash, tab, newline and carriage return escaped; \N is null.
void append_copy_field(std::string& line, const SqlValue& v) {
  auto t = pg_text(v);
  if (!t) {
    line += "\\N";
    return;
  }
  for (char ch : *t) {
    switch (ch) {
      case '\\': line += "\\\\"; break;
      case '\t': line += "\\t"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      default: line += ch;
    }
  }
}

class PostgresLake : public LakeDb {
 public:
  explicit PostgresLake(const LakeUrl& url) : url_(url) {
    conn_ = libpq().PQconnectdb(url.conninfo.c_str());
    if (!conn_ || libpq().PQstatus(conn_) != CONNECTION_OK) {
      std::string why = conn_ ? libpq().PQerrorMessage(conn_) : "out of memory";
      libpq().PQfinish(conn_);
      conn_ = nullptr;
      fail("cannot connect: " + why);
    }
    exec("SET client_min_messages = warning");
  }
  ~PostgresLake() override { libpq().PQfinish(conn_); }

  std::string backend() const override { return "postgresql"; }

  void exec(const std::string& sql) override {
    Result r(libpq().PQexec(conn_, sql.c_str()));
    check(r.r);
  }

  SqlResult query(const std::string& sql, const std::vector<SqlValue>& params) override {
    std::vector<std::optional<std::string>> texts;
    std::vector<const char*> values;
    for (const auto& p : params) texts.push_back(pg_text(p));
    for (const auto& t : texts) values.push_back(t ? t->c_str() : nullptr);
    Result r(libpq().PQexecParams(conn_, numbered_placeholders(sql).c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                          nullptr, 0));
    check(r.r);
    SqlResult out;
    int cols = libpq().PQnfields(r.r), rows = libpq().PQntuples(r.r);
    for (int c = 0; c < cols; ++c) out.columns.push_back(libpq().PQfname(r.r, c));
    for (int i = 0; i < rows; ++i) {
      std::vector<SqlValue> row;
      for (int c = 0; c < cols; ++c) {
        if (libpq().PQgetisnull(r.r, i, c)) {
          row.emplace_back(std::monostate{});
          continue;
        }
        std::string v = libpq().PQgetvalue(r.r, i, c);
        switch (libpq().PQftype(r.r, c)) {
          case 16: row.emplace_back(v == "t"); break;                              // bool
          case 20: case 21: case 23: row.emplace_back(std::stoll(v)); break;        // int8, int2, int4
          case 700: case 701: case 1700: row.emplace_back(parse_double(v)); break;  // float4, float8, numeric
          default: row.emplace_back(std::move(v));
        }
      }
      out.rows.push_back(std::move(row));
    }
    return out;
  }

  SqlResult read_only_query(const std::string& sql) override {
    exec("BEGIN READ ONLY");
    try {
      SqlResult r = query(sql, {});
      exec("ROLLBACK");
      return r;
    } catch (...) {
      libpq().PQclear(libpq().PQexec(conn_, "ROLLBACK"));
      throw;
    }
  }

  void insert_rows(const std::string& table, const std::vector<std::string>& columns,
                   const std::vector<std::vector<SqlValue>>& rows) override {
    if (rows.empty()) return;
    std::string names;
    for (const auto& c : columns) names += (names.empty() ? "" : ", ") + c;
    {
      Result r(libpq().PQexec(conn_, fmt::format("COPY {} ({}) FROM STDIN", table, names).c_str()));
      if (libpq().PQresultStatus(r.r) != PGRES_COPY_IN) check(r.r);
    }
    std::string buf;
    for (const auto& row : rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) buf += '\t';
        append_copy_field(buf, row[i]);
      }
      buf += '\n';
      if (buf.size() > (1 << 20)) flush_copy(buf);
    }
    flush_copy(buf);
    if (libpq().PQputCopyEnd(conn_, nullptr) != 1) fail(libpq().PQerrorMessage(conn_));
    Result r(libpq().PQgetResult(conn_));
    check(r.r);
    while (PGresult* extra = libpq().PQgetResult(conn_)) libpq().PQclear(extra);
  }

  void begin_exclusive() override {
    exec("BEGIN");
    query("SELECT pg_advisory_xact_lock(?)", {kPublishLock});
  }
  void commit() override { exec("COMMIT"); }
  void rollback() override { exec("ROLLBACK"); }

 private:
  struct Result {
    PGresult* r;
    explicit Result(PGresult* p) : r(p) {}
    ~Result() { libpq().PQclear(r); }
  };

  static double parse_double(const std::string& v) {
    if (v == "Infinity") return INFINITY;
    if (v == "-Infinity") return -INFINITY;
    if (v == "NaN") return NAN;
    return std::stod(v);
  }

  void flush_copy(std::string& buf) {
    if (!buf.empty() && libpq().PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) != 1) fail(libpq().PQerrorMessage(conn_));
    buf.clear();
  }

  void check(PGresult* r) {
    auto st = libpq().PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
    std::string why = r ? libpq().PQresultErrorMessage(r) : libpq().PQerrorMessage(conn_);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    fail(why);
  }

  [[noreturn]] void fail(const std::string& why) { throw_io(url_.display, "PostgreSQL lake: " + why); }

  LakeUrl url_;
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<LakeDb> open_postgres_lake(const LakeUrl& url) { return std::make_unique<PostgresLake>(url); }

}  // namespace ptr
