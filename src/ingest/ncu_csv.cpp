// Nsight Compute CSV exports (ncu --csv: --page details, --section X,
// --metrics, --page raw, a report re-exported with --import). Two layouts:
// "long" (one row per metric: ID, Kernel Name, Section Name, Metric Name,
// Metric Unit, Metric Value, plus rule rows without a metric) and "raw" (one
// row per launch, one column per metric, an optional units row). Numbers
// carry thousands separators; n/a is no value; units are chosen per row by
// ncu (byte/Kbyte/Mbyte, ns/us/ms), so every value is converted by its own unit.
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "ingest/formats.hpp"
#include "util/csv.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace ptr {

namespace {

enum class Field { duration_us, dram_pct, memory_pct, sm_pct, dram_read, dram_write, dram_bytes, flop };

// Metric names (SOL section rows and raw metric names) -> what they give.
const std::map<std::string, Field>& metric_fields() {
  static const std::map<std::string, Field> m = {
      {"Duration", Field::duration_us},
      {"gpu__time_duration.sum", Field::duration_us},
      {"DRAM Throughput", Field::dram_pct},
      {"dram__throughput.avg.pct_of_peak_sustained_elapsed", Field::dram_pct},
      {"gpu__dram_throughput.avg.pct_of_peak_sustained_elapsed", Field::dram_pct},
      {"Memory Throughput", Field::memory_pct},
      {"gpu__compute_memory_throughput.avg.pct_of_peak_sustained_elapsed", Field::memory_pct},
      {"Compute (SM) Throughput", Field::sm_pct},
      {"SM Throughput", Field::sm_pct},
      {"sm__throughput.avg.pct_of_peak_sustained_elapsed", Field::sm_pct},
      {"dram__bytes_read.sum", Field::dram_read},
      {"dram__bytes_write.sum", Field::dram_write},
      {"dram__bytes.sum", Field::dram_bytes},
      {"flop_count_hp.sum", Field::flop},
      {"flop_count_sp.sum", Field::flop},
      {"flop_count_dp.sum", Field::flop},
  };
  return m;
}

bool is_percent_field(Field f) { return f == Field::dram_pct || f == Field::memory_pct || f == Field::sm_pct; }

// The factor from `unit` to the field's unit (us, %, bytes, FLOPs); nullopt
// when the unit does not fit (e.g. "Memory Throughput" in Gbyte/s in the
// Memory Workload Analysis section, which is not the % of peak).
std::optional<double> unit_factor(Field f, const std::string& unit, bool unit_known) {
  if (is_percent_field(f)) return unit == "%" || (!unit_known && unit.empty()) ? std::optional<double>(1) : std::nullopt;
  if (f == Field::duration_us) {
    static const std::map<std::string, double> t = {{"ns", 1e-3}, {"nsecond", 1e-3}, {"us", 1},     {"usecond", 1},
                                                    {"ms", 1e3},  {"msecond", 1e3},  {"s", 1e6},    {"second", 1e6}};
    if (!unit_known && unit.empty()) return 1e-3;  // raw page without units: ncu's base unit, ns
    auto it = t.find(unit);
    return it == t.end() ? std::nullopt : std::optional<double>(it->second);
  }
  if (f == Field::flop) return unit.empty() || unit == "inst" ? std::optional<double>(1) : std::nullopt;
  static const std::map<std::string, double> b = {{"byte", 1},     {"Kbyte", 1e3},  {"Mbyte", 1e6},  {"Gbyte", 1e9},
                                                  {"Tbyte", 1e12}, {"KB", 1e3},     {"MB", 1e6},     {"GB", 1e9},
                                                  {"Kibyte", 1024.0}, {"Mibyte", 1048576.0}, {"Gibyte", 1073741824.0}};
  if (unit.empty()) return 1;
  auto it = b.find(unit);
  return it == b.end() ? std::nullopt : std::optional<double>(it->second);
}

// "7,914.56" -> 7914.56; "n/a" and "" -> nullopt; anything else not a number is an error.
std::optional<double> ncu_number(const std::string& v, const std::string& file, size_t row, const std::string& metric) {
  if (v.empty() || v == "n/a" || v == "N/A") return std::nullopt;
  auto x = non_negative_number(v, true);
  if (!x) throw_input(file, fmt::format("row {}: '{}' is not a number >= 0 (or n/a)", row, v), -1, metric);
  return x;
}

struct Launch {
  KernelRecord k;
  std::optional<double> read, write, bytes, flop;
};

void apply(Launch& l, Field f, double v) {
  auto set_once = [](std::optional<double>& dst, double x) {
    if (!dst) dst = x;  // the SOL row and its raw metric agree; keep the first
  };
  switch (f) {
    case Field::duration_us: set_once(l.k.duration_us, v); break;
    case Field::dram_pct: set_once(l.k.dram_pct, v); break;
    case Field::memory_pct: set_once(l.k.memory_pct, v); break;
    case Field::sm_pct: set_once(l.k.sm_pct, v); break;
    case Field::dram_read: set_once(l.read, v); break;
    case Field::dram_write: set_once(l.write, v); break;
    case Field::dram_bytes: set_once(l.bytes, v); break;
    case Field::flop: l.flop = l.flop.value_or(0) + v; break;
  }
}

KernelRecord finish(Launch& l) {
  if (l.bytes) l.k.dram_bytes = l.bytes;
  else if (l.read || l.write) l.k.dram_bytes = l.read.value_or(0) + l.write.value_or(0);
  l.k.flop_count = l.flop;
  return l.k;
}

std::optional<size_t> header_row(const std::vector<CsvRow>& rows) {
  for (size_t i = 0; i < rows.size() && i < 64; ++i) {
    bool id = false, kernel = false;
    for (const auto& c : rows[i]) {
      id = id || c == "ID";
      kernel = kernel || c == "Kernel Name";
    }
    if (id && kernel) return i;
  }
  return std::nullopt;
}

// "548  \"<default domain>:decode:none:...\" " -> "decode" (the push/pop range name).
std::optional<std::string> nvtx_range(const std::string& v) {
  size_t q = v.find("<default domain>:");
  if (q == std::string::npos) return std::nullopt;
  size_t start = q + 17, end = v.find(':', start);
  std::string name = v.substr(start, end == std::string::npos ? std::string::npos : end - start);
  return name.empty() || name == "none" ? std::nullopt : std::optional<std::string>(name);
}

}  // namespace

Sniff sniff_ncu_csv(const FileView& f) {
  std::string_view h = head(f.text, 16384);
  if (contains(h, "\"Kernel Name\"") && contains(h, "\"ID\"") &&
      (contains(h, "\"Metric Name\"") || contains(h, "gpu__time_duration") || contains(h, "\"Grid Size\"")))
    return {90, "an Nsight Compute CSV header (ID, Kernel Name, Section/Metric Name or metric columns)"};
  return {};
}

void parse_ncu_csv(const FileView& f, Products& out) {
  auto rows = parse_csv(f.text, f.path);
  auto h = header_row(rows);
  if (!h) throw_input(f.path, "no Nsight Compute header (a row with \"ID\" and \"Kernel Name\")");
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < rows[*h].size(); ++i) col.emplace(rows[*h][i], i);
  std::optional<size_t> nvtx_col;
  for (size_t i = 0; i < rows[*h].size(); ++i)
    if (rows[*h][i].rfind("thread Domain:", 0) == 0) nvtx_col = i;
  auto at = [](const CsvRow& r, size_t i) -> const std::string& {
    static const std::string none;
    return i < r.size() ? r[i] : none;
  };
  KernelProfile p;
  p.file = f.path;
  p.tool = "ncu";
  bool long_layout = col.count("Metric Name") && col.count("Metric Value");
  p.layout = long_layout ? "ncu-csv-long" : "ncu-csv-raw";
  std::vector<std::pair<std::string, Launch>> launches;  // by ID, in file order
  auto launch_of = [&](const CsvRow& r) -> Launch& {
    const std::string& id = at(r, col["ID"]);
    for (auto& [k, l] : launches)
      if (k == id) return l;
    Launch l;
    l.k.name = at(r, col["Kernel Name"]);
    try {
      l.k.id = std::stol(id);
    } catch (const std::exception&) {
    }
    if (nvtx_col) l.k.nvtx = nvtx_range(at(r, *nvtx_col));
    launches.emplace_back(id, std::move(l));
    return launches.back().second;
  };
  if (long_layout) {
    size_t name = col["Metric Name"], unit = col.count("Metric Unit") ? col["Metric Unit"] : SIZE_MAX, value = col["Metric Value"];
    for (size_t r = *h + 1; r < rows.size(); ++r) {
      const CsvRow& row = rows[r];
      if (row.size() <= col["Kernel Name"] || at(row, col["ID"]).empty()) continue;  // blank or foreign line
      Launch& l = launch_of(row);
      const std::string& metric = at(row, name);
      if (metric.empty()) continue;  // a rule row (advice text, no metric)
      auto fld = metric_fields().find(metric);
      if (fld == metric_fields().end()) continue;
      auto v = ncu_number(at(row, value), f.path, r + 1, metric);
      auto factor = unit_factor(fld->second, unit == SIZE_MAX ? "" : at(row, unit), unit != SIZE_MAX);
      if (v && factor) apply(l, fld->second, *v * *factor);
    }
  } else {
    // Raw page: a units row follows the header when its ID cell is empty.
    std::optional<size_t> units;
    size_t first = *h + 1;
    if (first < rows.size() && at(rows[first], col["ID"]).empty()) units = first++;
    for (size_t r = first; r < rows.size(); ++r) {
      const CsvRow& row = rows[r];
      if (at(row, col["ID"]).empty()) continue;
      Launch& l = launch_of(row);
      for (const auto& [metric, fld] : metric_fields()) {
        auto c = col.find(metric);
        if (c == col.end()) continue;
        auto v = ncu_number(at(row, c->second), f.path, r + 1, metric);
        auto factor = unit_factor(fld, units ? at(rows[*units], c->second) : "", units.has_value());
        if (v && factor) apply(l, fld, *v * *factor);
      }
    }
  }
  for (auto& [id, l] : launches) {
    if (l.k.name.empty()) throw_input(f.path, "launch " + id + " has no kernel name", -1, "Kernel Name");
    p.kernels.push_back(finish(l));
  }
  if (p.kernels.empty()) throw_input(f.path, "no kernel launches after the header", static_cast<long>(*h) + 1, {},
                                     "export with ncu --csv --page details (or --page raw) from a report that profiled kernels");
  out.kernel_profiles.push_back(std::move(p));
}

}  // namespace ptr
