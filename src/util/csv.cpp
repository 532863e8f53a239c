#include "util/csv.hpp"

#include "util/error.hpp"

namespace ptr {

std::vector<CsvRow> parse_csv(std::string_view text, const std::string& file) {
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  bool in_quotes = false, row_has_content = false;
  long line = 1;
  auto end_row = [&] {
    if (row_has_content || !field.empty()) row.push_back(field);
    rows.push_back(row);
    row.clear();
    field.clear();
    row_has_content = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"': in_quotes = true; row_has_content = true; break;
      case ',': row.push_back(field); field.clear(); row_has_content = true; break;
      case '\r': break;
      case '\n': end_row(); ++line; break;
      default: field.push_back(c); row_has_content = true;
    }
  }
  if (in_quotes) throw_input(file, "unterminated quoted CSV field", line);
  if (row_has_content || !field.empty()) end_row();
  return rows;
}

}  // namespace ptr
