#include "lake/libpq.hpp"

#include <dlfcn.h>
#include <mutex>
#include <string>

#include "util/error.hpp"

namespace ptr {

namespace {

template <class Fn>
void resolve(void* lib, Fn& fn, const char* name) {
  fn = reinterpret_cast<Fn>(dlsym(lib, name));
  if (!fn) throw_io("libpq.so.5", std::string("has no ") + name + "; a PostgreSQL lake needs libpq 10 or newer");
}

Libpq load() {
  void* lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    throw_io("libpq.so.5", std::string("cannot load the PostgreSQL client library (") + dlerror() +
                               "); install libpq5 (scripts/install-deps.sh does), or use a SQLite lake");
  Libpq pq{};
#define PTR_RESOLVE(f) resolve(lib, pq.f, #f)
  PTR_RESOLVE(PQconnectdb);
  PTR_RESOLVE(PQstatus);
  PTR_RESOLVE(PQerrorMessage);
  PTR_RESOLVE(PQfinish);
  PTR_RESOLVE(PQexec);
  PTR_RESOLVE(PQexecParams);
  PTR_RESOLVE(PQnfields);
  PTR_RESOLVE(PQntuples);
  PTR_RESOLVE(PQfname);
  PTR_RESOLVE(PQgetisnull);
  PTR_RESOLVE(PQgetvalue);
  PTR_RESOLVE(PQftype);
  PTR_RESOLVE(PQclear);
  PTR_RESOLVE(PQresultStatus);
  PTR_RESOLVE(PQresultErrorMessage);
  PTR_RESOLVE(PQputCopyData);
  PTR_RESOLVE(PQputCopyEnd);
  PTR_RESOLVE(PQgetResult);
#undef PTR_RESOLVE
  return pq;  // the library stays loaded for the process
}

}  // namespace

const Libpq& libpq() {
  // A failed load is retried on the next call (and reports again), so
  // call_once is not used: it would remember nothing of the failure.
  static std::mutex mu;
  static Libpq loaded{};
  static bool ok = false;
  std::lock_guard<std::mutex> lock(mu);
  if (!ok) {
    loaded = load();
    ok = true;
  }
  return loaded;
}

}  // namespace ptr
