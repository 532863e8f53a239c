#include "util/timestamp.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fmt/format.h>

namespace ptr {

namespace {

bool digits(const std::string& s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int num(const std::string& s, size_t at, size_t n) { return std::stoi(s.substr(at, n)); }

std::optional<double> epoch(int y, int mo, int d, int h, int mi, int se) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  return static_cast<double>(timegm(&tm));
}

std::string show(const Timestamp& t) {
  std::time_t s = static_cast<std::time_t>(t.seconds);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, t.zone_known ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

}  // namespace

std::optional<Timestamp> parse_timestamp(const std::string& s) {
  Timestamp t;
  t.raw = s;
  // vLLM: YYYYMMDD-HHMMSS (local, no zone)
  if (s.size() == 15 && digits(s, 0, 8) && s[8] == '-' && digits(s, 9, 6)) {
    auto e = epoch(num(s, 0, 4), num(s, 4, 2), num(s, 6, 2), num(s, 9, 2), num(s, 11, 2), num(s, 13, 2));
    if (!e) return std::nullopt;
    t.seconds = *e;
    return t;
  }
  // nvidia-smi dmon -o DT: "YYYYMMDD HH:MM:SS" (the host's local time)
  if (s.size() == 17 && digits(s, 0, 8) && s[8] == ' ' && digits(s, 9, 2) && s[11] == ':' && digits(s, 12, 2) && s[14] == ':' &&
      digits(s, 15, 2)) {
    auto e = epoch(num(s, 0, 4), num(s, 4, 2), num(s, 6, 2), num(s, 9, 2), num(s, 12, 2), num(s, 15, 2));
    if (!e) return std::nullopt;
    t.seconds = *e;
    return t;
  }
  // nvidia-smi --query-gpu: "YYYY/MM/DD HH:MM:SS.mmm" (the host's local time)
  if (s.size() >= 19 && digits(s, 0, 4) && s[4] == '/' && digits(s, 5, 2) && s[7] == '/' && digits(s, 8, 2) && s[10] == ' ' &&
      digits(s, 11, 2) && s[13] == ':' && digits(s, 14, 2) && s[16] == ':' && digits(s, 17, 2)) {
    auto e = epoch(num(s, 0, 4), num(s, 5, 2), num(s, 8, 2), num(s, 11, 2), num(s, 14, 2), num(s, 17, 2));
    if (!e) return std::nullopt;
    t.seconds = *e;
    if (s.size() > 20 && s[19] == '.' && digits(s, 20, s.size() - 20)) t.seconds += std::stod("0" + s.substr(19));
    else if (s.size() != 19) return std::nullopt;
    return t;
  }
  // Compact UTC: YYYYMMDDTHHMMSSZ
  if (s.size() == 16 && digits(s, 0, 8) && s[8] == 'T' && digits(s, 9, 6) && s[15] == 'Z') {
    auto e = epoch(num(s, 0, 4), num(s, 4, 2), num(s, 6, 2), num(s, 9, 2), num(s, 11, 2), num(s, 13, 2));
    if (!e) return std::nullopt;
    t.seconds = *e;
    t.zone_known = true;
    return t;
  }
  // ISO 8601: YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|+hh:mm|-hh:mm]
  if (s.size() >= 19 && digits(s, 0, 4) && s[4] == '-' && digits(s, 5, 2) && s[7] == '-' && digits(s, 8, 2) &&
      (s[10] == 'T' || s[10] == ' ') && digits(s, 11, 2) && s[13] == ':' && digits(s, 14, 2) && s[16] == ':' &&
      digits(s, 17, 2)) {
    auto e = epoch(num(s, 0, 4), num(s, 5, 2), num(s, 8, 2), num(s, 11, 2), num(s, 14, 2), num(s, 17, 2));
    if (!e) return std::nullopt;
    t.seconds = *e;
    size_t p = 19;
    if (p < s.size() && s[p] == '.') {
      size_t q = p + 1;
      while (q < s.size() && s[q] >= '0' && s[q] <= '9') ++q;
      if (q > p + 1) t.seconds += std::stod("0" + s.substr(p, q - p));
      p = q;
    }
    if (p == s.size()) return t;
    if (s[p] == 'Z' && p + 1 == s.size()) {
      t.zone_known = true;
      return t;
    }
    if ((s[p] == '+' || s[p] == '-') && s.size() == p + 6 && digits(s, p + 1, 2) && s[p + 3] == ':' && digits(s, p + 4, 2)) {
      int off = num(s, p + 1, 2) * 3600 + num(s, p + 4, 2) * 60;
      t.seconds -= (s[p] == '+' ? off : -off);
      t.zone_known = true;
      return t;
    }
  }
  return std::nullopt;
}

std::optional<std::pair<Timestamp, Timestamp>> time_range(const std::vector<std::string>& stamps) {
  std::optional<std::pair<Timestamp, Timestamp>> out;
  for (const auto& s : stamps) {
    auto t = parse_timestamp(s);
    if (!t) continue;
    if (!out) out = std::make_pair(*t, *t);
    if (t->seconds < out->first.seconds) out->first = *t;
    if (t->seconds > out->second.seconds) out->second = *t;
  }
  return out;
}

std::string capture_window(const std::vector<std::string>& stamps) {
  std::vector<Timestamp> known, local;
  for (const auto& s : stamps)
    if (auto t = parse_timestamp(s)) (t->zone_known ? known : local).push_back(*t);
  auto window = [](std::vector<Timestamp>& ts) {
    auto [lo, hi] = std::minmax_element(ts.begin(), ts.end(),
                                        [](const Timestamp& a, const Timestamp& b) { return a.seconds < b.seconds; });
    return show(*lo) + ".." + show(*hi);
  };
  std::string out;
  if (!known.empty()) out += window(known) + " (UTC)";
  if (!local.empty()) out += (out.empty() ? "" : "; ") + window(local) + " (local time, zone unknown)";
  return out.empty() ? "unknown" : out;
}

}  // namespace ptr
