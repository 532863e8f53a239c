#include <fmt/format.h>

#include "lake/lake_backends.hpp"
#include "util/error.hpp"

namespace ptr {

namespace {

bool starts_with(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

// postgresql://user:secret@host/db -> postgresql://user:***@host/db (and a
// password=... query parameter likewise): the URL is printed and logged.
std::string elide_password(const std::string& url) {
  std::string out = url;
  auto scheme = out.find("://");
  auto at = out.find('@', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme != std::string::npos && at != std::string::npos) {
    auto colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) out = out.substr(0, colon + 1) + "***" + out.substr(at);
  }
  for (auto p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    auto end = out.find('&', p);
    out = out.substr(0, p + 9) + "***" + (end == std::string::npos ? "" : out.substr(end));
  }
  return out;
}

}  // namespace

LakeUrl parse_lake_url(const std::string& url) {
  LakeUrl u;
  if (starts_with(url, "sqlite://")) {
    u.backend = "sqlite";
    u.path = url.substr(9);  // sqlite:///abs -> /abs; sqlite://rel -> rel
    if (u.path.empty()) throw_usage("lake URL '" + url + "' names no file", "sqlite:///path/perf-lake.sqlite");
    u.display = url;
    return u;
  }
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    u.backend = "postgresql";
    u.conninfo = url;
    u.display = elide_password(url);
    return u;
  }
  throw_usage(fmt::format("lake URL '{}' is neither sqlite:///path nor postgresql://...", elide_password(url)),
              "--lake sqlite:///path/perf-lake.sqlite or --lake postgresql://user@host:5432/db (or $PERFREPORT_LAKE)");
}

std::unique_ptr<LakeDb> open_lake(const LakeUrl& url) {
  return url.backend == "sqlite" ? open_sqlite_lake(url) : open_postgres_lake(url);
}

std::string sql_text(const SqlValue& v) {
  struct V {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(long long i) const { return std::to_string(i); }
    std::string operator()(double d) const { return fmt::format("{}", d); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
  };
  return std::visit(V{}, v);
}

}  // namespace ptr
