#pragma once
// Quoting input inside messages: an error names what it saw, but never echoes
// a megabyte of garbage or a byte that is not UTF-8 (a JSON writer would throw
// on it, and a terminal would show noise).
#include <optional>
#include <string>
#include <string_view>

namespace ptr {

// At most `max_bytes` of `s`, control and non-UTF-8 bytes shown as \xNN, and
// "… (N bytes)" when cut.
std::string excerpt(std::string_view s, size_t max_bytes = 80);
// `s` with every byte that is not part of a valid UTF-8 sequence replaced by
// \xNN (valid text, including non-ASCII, is kept as is).
std::string valid_utf8(std::string_view s);
bool is_valid_utf8(std::string_view s);
// Escapes newlines and pipes so a config string stays inside one Markdown
// table cell or line.
std::string markdown_inline(std::string_view s);
// Natural order: runs of digits compare as numbers ("isl1024" < "isl4096" <
// "isl15000", "TP2" < "TP8" < "TP16"); the rest byte by byte.
bool natural_less(std::string_view a, std::string_view b);
// `s` without leading and trailing spaces, tabs, CR and LF.
std::string trim(std::string_view s);

// The whole of `s` as a finite number >= 0 ("7,914.56" too when
// `thousands_separators`), else nullopt: the parsers' one number rule.
std::optional<double> non_negative_number(std::string_view s, bool thousands_separators = false);

}  // namespace ptr
