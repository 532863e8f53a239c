#pragma once
#include <string>

namespace ptr {
// 20261127T175624Z — used for campaign ids and render stamps.
std::string utc_compact_now();
// 2026-11-27T17:56:24Z
std::string utc_iso_now();
// 2026-11-27T17:32:32.026Z for seconds since the epoch (milliseconds kept).
std::string utc_iso_ms(double seconds);
}  // namespace ptr
