// A roofline sweep as a table (docs/formats/roofline-bundle.md): one row per
// decode batch or prefill ISL point with its step time, tok/s and UTC window.
// Engine-free captures (a model run directly in PyTorch) write it; serving
// captures have bench outputs per point instead.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "ingest/formats.hpp"
#include "util/csv.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/timestamp.hpp"

namespace ptr {

namespace {
const std::vector<std::string>& columns() {
  static const std::vector<std::string> c = {"phase", "batch", "step_ms", "tok_s", "window_start_utc", "window_end_utc"};
  return c;
}
}  // namespace

Sniff sniff_roofline_table(const FileView& f) {
  std::string first(head(first_nonblank_line(f.text)));  // a header line: never the 1 GB line of a JSON document
  for (const auto& c : columns())
    if (first.find(c) == std::string::npos) return {};
  return {95, "a CSV header with phase, batch, step_ms, tok_s and window_start_utc/window_end_utc (roofline sweep table)"};
}

void parse_roofline_table(const FileView& f, Products& out) {
  auto rows = parse_csv(f.text, f.path);
  if (rows.empty()) throw_input(f.path, "empty roofline table");
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < rows[0].size(); ++i) col[rows[0][i]] = i;
  for (const auto& c : columns())
    if (!col.count(c)) throw_input(f.path, "missing column", 1, c);
  RooflineTable t;
  t.file = f.path;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    long line = static_cast<long>(r) + 1;
    if (row.size() == 1 && row[0].empty()) continue;
    if (row.size() != rows[0].size()) throw_input(f.path, fmt::format("{} values for {} columns", row.size(), rows[0].size()), line);
    auto cell = [&](const std::string& name) -> std::string { return col.count(name) ? row[col[name]] : std::string(); };
    auto number = [&](const std::string& name, bool required) -> std::optional<double> {
      std::string v = cell(name);
      if (v.empty()) {
        if (required) throw_input(f.path, "missing value", line, name);
        return std::nullopt;
      }
      size_t used = 0;
      double x = 0;
      try {
        x = std::stod(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != v.size() || !std::isfinite(x) || !(x > 0))
        throw_input(f.path, fmt::format("expected a number > 0, got '{}'", excerpt(v)), line, name);
      return x;
    };
    auto whole = [&](const std::string& name, bool required) -> std::optional<long> {
      auto x = number(name, required);
      if (!x) return std::nullopt;
      if (*x != std::floor(*x) || *x > 1e9) throw_input(f.path, "expected a whole number", line, name);
      return static_cast<long>(*x);
    };
    RooflineRow row_out;
    row_out.line = line;
    row_out.phase = cell("phase");
    if (row_out.phase != "decode" && row_out.phase != "prefill")
      throw_input(f.path, "expected decode or prefill, got '" + excerpt(row_out.phase) + "'", line, "phase");
    row_out.batch = *whole("batch", true);
    row_out.context = whole("context", row_out.phase == "decode");
    row_out.isl = whole("isl", row_out.phase == "prefill");
    row_out.steps = whole("steps", false);
    row_out.step_ms = *number("step_ms", true);
    row_out.tok_s = *number("tok_s", true);
    for (auto [name, slot] : {std::pair{"window_start_utc", &row_out.start_utc_s}, {"window_end_utc", &row_out.end_utc_s}}) {
      auto ts = parse_timestamp(cell(name));
      if (!ts || !ts->zone_known)
        throw_input(f.path, "expected a UTC time like 2026-11-27T17:32:32.026Z, got '" + excerpt(cell(name)) + "'", line, name);
      *slot = ts->seconds;
    }
    if (!(row_out.end_utc_s > row_out.start_utc_s)) throw_input(f.path, "the window ends before it starts", line, "window_end_utc");
    t.rows.push_back(row_out);
  }
  if (t.rows.empty()) throw_input(f.path, "no rows");
  out.roofline_tables.push_back(std::move(t));
}

}  // namespace ptr
