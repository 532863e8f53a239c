#pragma once
// Timestamps as benchmark clients write them: vLLM's "20260129-002451" and
// AIPerf's "2025-10-03T13:13:39.146443" are local wall-clock time with no zone;
// cell_run's "2026-11-27T17:56:24Z" and ISO strings with an offset are known.
// Parsed, they order by time (not as text), and a window says which it is.
#include <optional>
#include <string>
#include <vector>

namespace ptr {

struct Timestamp {
  double seconds = 0;      // since the epoch; wall-clock read as UTC when the zone is unknown
  bool zone_known = false;  // true: `seconds` is real UTC
  std::string raw;
};

std::optional<Timestamp> parse_timestamp(const std::string& text);

// "2026-01-29T00:24:51Z..2026-02-11T14:04:27Z", or
// "2026-01-29 00:24:51..2026-04-28 08:19:17 local, zone unknown" (mixed: both
// kinds named); "unknown" when nothing parses. Unparseable stamps are ignored.
std::string capture_window(const std::vector<std::string>& stamps);

// The earliest and latest parseable stamps, by time.
std::optional<std::pair<Timestamp, Timestamp>> time_range(const std::vector<std::string>& stamps);

}  // namespace ptr
