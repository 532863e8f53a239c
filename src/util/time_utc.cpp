#include "util/time_utc.hpp"

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

}  // namespace ptr
