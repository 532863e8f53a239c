#include "model/request_table.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

#include "util/csv.hpp"
#include "util/error.hpp"
#include "util/stats.hpp"

namespace ptr {

namespace {

constexpr const char* kHeader = "point,trial,ttft_ms,tpot_ms,e2el_ms,output_tokens";

void append_value(std::string& out, double v) {
  out += ',';
  if (std::isfinite(v)) fmt::format_to(std::back_inserter(out), "{}", v);  // shortest text that reads back exactly
}

double value_of(const std::string& s, const std::string& file, long line, const char* column) {
  if (s.empty()) return NAN;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v < 0)
    throw_input(file, fmt::format("{} must be a finite number >= 0 or empty, got '{:.40}'", column, s), line, column,
                "requests.csv is written by import_perf_bench; re-import the cell to rebuild it");
  return v;
}

long index_of(const std::string& s, const std::string& file, long line, const char* column) {
  long v = -1;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0)
    throw_input(file, fmt::format("{} must be an index >= 0, got '{:.40}'", column, s), line, column,
                "requests.csv is written by import_perf_bench; re-import the cell to rebuild it");
  return v;
}

}  // namespace

std::string request_table_csv(const std::vector<RequestRow>& rows) {
  std::string out = kHeader;
  out += '\n';
  out.reserve(rows.size() * 40 + out.size());
  for (const auto& r : rows) {
    fmt::format_to(std::back_inserter(out), "{},{}", r.point, r.trial);
    append_value(out, r.sample.ttft_ms);
    append_value(out, r.sample.tpot_ms);
    append_value(out, r.sample.e2el_ms);
    append_value(out, r.sample.output_tokens);
    out += '\n';
  }
  return out;
}

std::vector<RequestRow> parse_request_table(std::string_view text, const std::string& file) {
  auto csv = parse_csv(text, file);
  if (csv.empty() || csv.front().empty()) throw_input(file, "empty file; expected the header " + std::string(kHeader));
  std::string header;
  for (const auto& h : csv.front()) header += (header.empty() ? "" : ",") + h;
  if (header != kHeader) throw_input(file, fmt::format("unexpected header '{:.80}'; expected {}", header, kHeader), 1);
  std::vector<RequestRow> rows;
  rows.reserve(csv.size() - 1);
  for (size_t i = 1; i < csv.size(); ++i) {
    const auto& c = csv[i];
    long line = static_cast<long>(i + 1);
    if (c.empty() || (c.size() == 1 && c[0].empty())) continue;
    if (c.size() != 6) throw_input(file, fmt::format("{} fields; expected 6 ({})", c.size(), kHeader), line);
    RequestRow r;
    r.point = index_of(c[0], file, line, "point");
    r.trial = index_of(c[1], file, line, "trial");
    r.sample = {value_of(c[2], file, line, "ttft_ms"), value_of(c[3], file, line, "tpot_ms"),
                value_of(c[4], file, line, "e2el_ms"), value_of(c[5], file, line, "output_tokens")};
    rows.push_back(r);
  }
  return rows;
}

RequestDistribution distribution_of(std::vector<double> values) {
  RequestDistribution d;
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
  std::sort(values.begin(), values.end());
  d.sorted = std::move(values);
  d.p50 = stats::percentile_sorted(d.sorted, 50);
  d.p90 = stats::percentile_sorted(d.sorted, 90);
  d.p99 = stats::percentile_sorted(d.sorted, 99);
  return d;
}

}  // namespace ptr
