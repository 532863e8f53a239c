#pragma once
// libpq, loaded when a PostgreSQL lake is first opened (dlopen), not linked:
// it brings 22 shared libraries (Kerberos, LDAP, TLS ...) whose loading cost
// every start of the CLI ~16 ms though most commands never touch PostgreSQL.
// Only the functions the lake uses; types and constants come from the header.
#include <libpq-fe.h>

namespace ptr {

struct Libpq {
  decltype(&::PQconnectdb) PQconnectdb;
  decltype(&::PQstatus) PQstatus;
  decltype(&::PQerrorMessage) PQerrorMessage;
  decltype(&::PQfinish) PQfinish;
  decltype(&::PQexec) PQexec;
  decltype(&::PQexecParams) PQexecParams;
  decltype(&::PQnfields) PQnfields;
  decltype(&::PQntuples) PQntuples;
  decltype(&::PQfname) PQfname;
  decltype(&::PQgetisnull) PQgetisnull;
  decltype(&::PQgetvalue) PQgetvalue;
  decltype(&::PQftype) PQftype;
  decltype(&::PQclear) PQclear;
  decltype(&::PQresultStatus) PQresultStatus;
  decltype(&::PQresultErrorMessage) PQresultErrorMessage;
  decltype(&::PQputCopyData) PQputCopyData;
  decltype(&::PQputCopyEnd) PQputCopyEnd;
  decltype(&::PQgetResult) PQgetResult;
};

// The loaded library (once per process); throws one clear error naming the
// package when libpq is not installed.
const Libpq& libpq();

}  // namespace ptr
