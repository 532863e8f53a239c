// nvidia-smi --query-gpu=... --format=csv[,nounits][,noheader]: a GPU
// telemetry series. Fields are keyed by the header (aliases canonicalised
// there: clocks.sm -> clocks.current.sm); units after values are stripped;
// [N/A] is missing. Stamps are the capturing host's local time.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "ingest/formats.hpp"
#include "model/telemetry_names.hpp"
#include "util/csv.hpp"
#include "util/error.hpp"
#include "util/text.hpp"
#include "util/timestamp.hpp"

namespace ptr {

namespace {

// "power.draw [W]" -> "power.draw"
std::string field_of(const std::string& header) {
  std::string h = trim(header);
  auto br = h.find(" [");
  return br == std::string::npos ? h : h.substr(0, br);
}

const std::map<std::string, const char*>& fields() {
  using namespace telemetry;
  static const std::map<std::string, const char*> m = {
      {"power.draw", kPowerW},
      {"power.draw.average", kPowerW},
      {"power.draw.instant", kPowerInstantW},
      {"utilization.gpu", kGpuUtilPct},
      {"utilization.memory", kMemUtilPct},
      {"clocks.current.sm", kSmClockMhz},
      {"clocks.sm", kSmClockMhz},
      {"clocks.current.memory", kMemClockMhz},
      {"clocks.mem", kMemClockMhz},
      {"temperature.gpu", kGpuTempC},
      {"memory.used", kMemUsedMib},
  };
  return m;
}

}  // namespace

Sniff sniff_nvidia_smi_query(const FileView& f) {
  std::string first(head(first_nonblank_line(f.text)));  // a header line: never the 1 GB line of a JSON document
  if (first.empty() || first[0] == '#' || first[0] == '{') return {};
  bool known = false;
  for (const auto& [name, canon] : fields()) known = known || first.find(name) != std::string::npos;
  if (known && (first.rfind("timestamp", 0) == 0 || first.find(", index") != std::string::npos ||
                first.find(" [W]") != std::string::npos || first.find(" [MHz]") != std::string::npos))
    return {88, "a header of nvidia-smi --query-gpu fields (timestamp, power.draw [W], ...)"};
  return {};
}

void parse_nvidia_smi_query(const FileView& f, Products& out) {
  auto rows = parse_csv(f.text, f.path);
  if (rows.empty()) throw_input(f.path, "empty nvidia-smi query CSV");
  std::vector<std::string> names;
  for (const auto& h : rows[0]) names.push_back(field_of(h));
  TelemetrySeries s;
  s.file = f.path;
  s.format = "nvidia-smi-query-csv";
  bool has_time = std::find(names.begin(), names.end(), "timestamp") != names.end();
  s.clock = has_time ? "host-local" : "none";
  std::map<long, double> last_t;
  std::vector<double> gaps;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() == 1 && trim(row[0]).empty()) continue;
    long line = static_cast<long>(r) + 1;
    // A logger killed mid-write leaves a partial last line without a newline.
    bool last_unterminated = r + 1 == rows.size() && !f.text.empty() && f.text.back() != '\n';
    if (row.size() != names.size() && last_unterminated) {
      s.truncated = true;
      continue;
    }
    if (row.size() != names.size())
      throw_input(f.path, fmt::format("{} values for {} header fields", row.size(), names.size()), line);
    TelemetrySample sample;
    for (size_t i = 0; i < names.size(); ++i) {
      std::string v = trim(row[i]);
      if (names[i] == "timestamp") {
        auto ts = parse_timestamp(v);
        if (!ts) throw_input(f.path, "expected a timestamp like 2026/11/27 17:32:23.788, got '" + excerpt(v) + "'", line, "timestamp");
        sample.t_s = ts->seconds;
        continue;
      }
      if (names[i] == "index") {
        try {
          sample.gpu = std::stol(v);
        } catch (const std::exception&) {
          throw_input(f.path, "expected a GPU index, got '" + excerpt(v) + "'", line, "index");
        }
        continue;
      }
      auto it = fields().find(names[i]);
      if (it == fields().end() || v.empty() || v.find("N/A") != std::string::npos || v.find("Not Supported") != std::string::npos)
        continue;
      size_t used = 0;
      double x = 0;
      try {
        x = std::stod(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      std::string rest = trim(v.substr(used));
      bool unit_ok = rest.empty() || rest == "W" || rest == "%" || rest == "MHz" || rest == "MiB" || rest == "C";
      if (used == 0 || !unit_ok || !std::isfinite(x) || x < 0)
        throw_input(f.path, fmt::format("expected a number (with its unit), got '{}'", excerpt(v)), line, names[i]);
      // Two spellings of one field (power.draw and power.draw.average): the first wins.
      sample.metric.emplace(it->second, x);
    }
    if (sample.t_s) {
      auto prev = last_t.find(sample.gpu);
      if (prev != last_t.end() && *sample.t_s > prev->second) gaps.push_back(*sample.t_s - prev->second);
      last_t[sample.gpu] = *sample.t_s;
    }
    s.samples.push_back(std::move(sample));
  }
  if (s.samples.empty()) throw_input(f.path, "no samples after the header");
  if (!gaps.empty()) {
    std::nth_element(gaps.begin(), gaps.begin() + static_cast<long>(gaps.size() / 2), gaps.end());
    s.sample_period_s = gaps[gaps.size() / 2];
  }
  out.telemetry.push_back(std::move(s));
}

}  // namespace ptr
