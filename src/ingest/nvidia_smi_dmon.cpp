// nvidia-smi dmon (text or --format csv; with or without -o DT; with or
// without --gpm-metrics): a GPU telemetry series. Columns are keyed by header
// name (they differ by driver and flags); the header repeats in long
// captures; '-' (GPM's first two samples) is a missing value, never 0. The
// -o DT stamps are the capturing host's local time. GPM columns (units
// "GPM:...") lag about one sample: the series marks them so.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "ingest/formats.hpp"
#include "model/telemetry_names.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/timestamp.hpp"

namespace ptr {

namespace {

std::vector<std::string> tokens(std::string_view line, bool csv) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    size_t b = cur.find_first_not_of(" \t\r"), e = cur.find_last_not_of(" \t\r");
    out.push_back(b == std::string::npos ? "" : cur.substr(b, e - b + 1));
    cur.clear();
  };
  if (csv) {
    for (char c : line) {
      if (c == ',') flush();
      else cur.push_back(c);
    }
    flush();
    return out;
  }
  return words_of(line);
}

const std::map<std::string, const char*>& column_names() {
  using namespace telemetry;
  static const std::map<std::string, const char*> m = {
      {"pwr", kPowerW},         {"gtemp", kGpuTempC},        {"sm", kGpuUtilPct},        {"mem", kMemUtilPct},
      {"mclk", kMemClockMhz},   {"pclk", kSmClockMhz},       {"gract", kGrActivePct},    {"smutil", kSmActivePct},
      {"smocc", kSmOccupancyPct}, {"mmaact", kTensorActivePct}, {"dram", kDramActivePct},  {"nvlrx", kNvlinkRxMibS},
      {"nvltx", kNvlinkTxMibS}, {"pcitx", kPcieTxMibS},      {"pcirx", kPcieRxMibS},
  };
  return m;
}

}  // namespace

Sniff sniff_nvidia_smi_dmon(const FileView& f) {
  auto ls = lines_of(head(f.text, 8192));
  std::vector<std::string_view> nonblank;
  for (auto l : ls)
    if (l.find_first_not_of(" \t\r") != std::string_view::npos) nonblank.push_back(l);
  if (nonblank.size() < 2 || nonblank[0].empty() || nonblank[0][0] != '#' || nonblank[1].empty() || nonblank[1][0] != '#') return {};
  bool csv = nonblank[0].find(',') != std::string_view::npos;
  auto names = tokens(nonblank[0].substr(1), csv);
  auto units = tokens(nonblank[1].substr(1), csv);
  bool gpu = std::find(names.begin(), names.end(), "gpu") != names.end();
  bool idx = std::find(units.begin(), units.end(), "Idx") != units.end();
  bool metric = std::any_of(names.begin(), names.end(), [](const std::string& n) { return column_names().count(n) > 0; });
  if (gpu && idx && metric) return {92, "'#gpu ... / #Idx ...' header lines (nvidia-smi dmon)"};
  return {};
}

void parse_nvidia_smi_dmon(const FileView& f, Products& out) {
  TelemetrySeries s;
  s.file = f.path;
  s.format = "nvidia-smi-dmon";
  std::vector<std::string> names;
  bool csv = false, dated = false;
  long line_no = 0;
  std::vector<double> stamps;
  for (auto line : lines_of(f.text)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (line[0] == '#') {
      csv = line.find(',') != std::string_view::npos;
      auto t = tokens(line.substr(1), csv);
      // The names line, then the units line (GPM columns say "GPM:%").
      if (std::find(t.begin(), t.end(), "gpu") != t.end()) {
        names = t;
        dated = !names.empty() && names[0] == "Date";
      } else if (t.size() == names.size()) {
        for (size_t i = 0; i < t.size(); ++i) {
          auto it = column_names().find(names[i]);
          if (t[i].rfind("GPM:", 0) == 0 && it != column_names().end()) s.lagged_metrics.insert(it->second);
        }
      }
      continue;
    }
    if (names.empty()) throw_input(f.path, "a data line before the '#gpu ...' header", line_no);
    auto v = tokens(line, csv);
    if (v.size() != names.size())
      throw_input(f.path, fmt::format("{} values for {} columns (header: {})", v.size(), names.size(), excerpt(std::string(line), 60)),
                  line_no);
    TelemetrySample sample;
    size_t first = 0;
    if (dated) {
      auto ts = parse_timestamp(v[0] + " " + v[1]);
      if (!ts) throw_input(f.path, "expected a date and time like 20261127 17:32:23 (-o DT)", line_no, "Date/Time");
      sample.t_s = ts->seconds;
      stamps.push_back(ts->seconds);
      first = 2;
    }
    for (size_t i = first; i < names.size(); ++i) {
      const std::string& val = v[i];
      if (names[i] == "gpu") {
        try {
          sample.gpu = std::stol(val);
        } catch (const std::exception&) {
          throw_input(f.path, "expected a GPU index, got '" + excerpt(val) + "'", line_no, "gpu");
        }
        continue;
      }
      auto it = column_names().find(names[i]);
      if (it == column_names().end() || val == "-" || val.empty() || val == "N/A") continue;
      auto x = non_negative_number(val);
      if (!x) throw_input(f.path, fmt::format("expected a number >= 0 or '-', got '{}'", excerpt(val)), line_no, names[i]);
      sample.metric[it->second] = *x;
    }
    s.samples.push_back(std::move(sample));
  }
  if (s.samples.empty()) throw_input(f.path, "no samples after the header");
  s.clock = dated ? "host-local" : "none";
  if (stamps.size() >= 2) {
    std::vector<double> d;
    for (size_t i = 1; i < stamps.size(); ++i)
      if (stamps[i] > stamps[i - 1]) d.push_back(stamps[i] - stamps[i - 1]);
    if (!d.empty()) {
      std::nth_element(d.begin(), d.begin() + static_cast<long>(d.size() / 2), d.end());
      s.sample_period_s = d[d.size() / 2];
    }
  }
  out.telemetry.push_back(std::move(s));
}

}  // namespace ptr
