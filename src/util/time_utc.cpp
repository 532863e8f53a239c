#include "util/time_utc.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace ptr {

// PERFREPORT_NOW (an ISO-like UTC stamp, e.g. 20260101T000000Z) pins the clock
// for reproducible tests; otherwise the real time.
static std::tm now_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

static std::string format(const char* fmt) {
  if (const char* pinned = std::getenv("PERFREPORT_NOW")) {
    std::tm tm{};
    if (strptime(pinned, "%Y%m%dT%H%M%SZ", &tm)) {
      char buf[64];
      std::strftime(buf, sizeof buf, fmt, &tm);
      return buf;
    }
  }
  std::tm tm = now_utc();
  char buf[64];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

std::string utc_compact_now() { return format("%Y%m%dT%H%M%SZ"); }
std::string utc_iso_now() { return format("%Y-%m-%dT%H:%M:%SZ"); }

std::string utc_iso_ms(double seconds) {
  double whole = std::floor(seconds);
  long ms = std::lround((seconds - whole) * 1000);
  if (ms == 1000) {
    whole += 1;
    ms = 0;
  }
  std::time_t t = static_cast<std::time_t>(whole);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[80];
  std::snprintf(out, sizeof out, "%s.%03ldZ", buf, ms);
  return out;
}

}  // namespace ptr
