#pragma once
// RFC-4180-ish CSV: quoted fields, doubled quotes, CRLF or LF. Blank lines are
// kept as empty rows because AIPerf uses them to separate tables.
#include <string>
#include <string_view>
#include <vector>

namespace ptr {
using CsvRow = std::vector<std::string>;
std::vector<CsvRow> parse_csv(std::string_view text, const std::string& file);
}  // namespace ptr
