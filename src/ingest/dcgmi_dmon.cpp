// `dcgmi dmon -e <ids>` text (reference §4.2): '#Entity' + short names, 'ID'
// + units, rows '<EntityGroup> <id> values...', N/A for no value, the header
// pair reprinted every 14 samples. Parsed by whitespace (column widths differ
// by version). Only GPU rows are kept. No timestamps: the capture's own
// bounds are the window (`clock` none).
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "ingest/dcgm_fields.hpp"
#include "ingest/formats.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace ptr {


Sniff sniff_dcgmi_dmon(const FileView& f) {
  std::string first(head(first_nonblank_line(f.text)));  // a header line: never the 1 GB line of a JSON document
  auto w = words_of(first);
  if (w.size() >= 2 && w[0] == "#Entity" && std::any_of(w.begin() + 1, w.end(), [](const std::string& s) { return dcgm_field_by_short_name(s); }))
    return {90, "'#Entity' header with DCGM short names (dcgmi dmon)"};
  return {};
}

void parse_dcgmi_dmon(const FileView& f, Products& out) {
  TelemetrySeries s;
  s.file = f.path;
  s.format = "dcgmi-dmon";
  s.clock = "none";
  std::vector<std::string> names;
  long line_no = 0;
  size_t start = 0;
  while (start <= f.text.size()) {
    size_t end = f.text.find('\n', start);
    if (end == std::string_view::npos) end = f.text.size();
    std::string_view line = f.text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    auto w = words_of(line);
    if (w.empty()) {
      if (end == f.text.size()) break;
      continue;
    }
    if (w[0] == "#Entity") {
      names.assign(w.begin() + 1, w.end());
      continue;
    }
    if (w[0] == "ID" || w[0] == "dmon") continue;  // the units line; "dmon was stopped due to receiving a signal"
    if (names.empty()) throw_input(f.path, "a data line before the '#Entity' header", line_no);
    if (w[0] != "GPU") continue;  // GPU_I, GPU_CI, Switch, CPU, ConnectX, links
    // "GPU 0 v1 v2 ...", or "GPU 0 LINK 3 ..." (a link row: skipped).
    if (w.size() >= 3 && w[2] == "LINK") continue;
    if (w.size() != names.size() + 2)
      throw_input(f.path, fmt::format("{} values for {} fields", w.size() < 2 ? 0 : w.size() - 2, names.size()), line_no);
    TelemetrySample sample;
    try {
      sample.gpu = std::stol(w[1]);
    } catch (const std::exception&) {
      throw_input(f.path, "expected a GPU id, got '" + excerpt(w[1]) + "'", line_no, "Entity");
    }
    for (size_t i = 0; i < names.size(); ++i) {
      const DcgmField* field = dcgm_field_by_short_name(names[i]);
      const std::string& v = w[i + 2];
      if (!field || v == "N/A") continue;
      auto x = non_negative_number(v);
      if (!x) throw_input(f.path, fmt::format("expected a number or N/A, got '{}'", excerpt(v)), line_no, names[i]);
      sample.metric[field->metric] = *x * field->scale;
    }
    s.samples.push_back(std::move(sample));
    if (end == f.text.size()) break;
  }
  if (s.samples.empty()) throw_input(f.path, "no GPU rows after the header");
  out.telemetry.push_back(std::move(s));
}

}  // namespace ptr
