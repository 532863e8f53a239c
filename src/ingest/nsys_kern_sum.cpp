// Nsight Systems `nsys stats --report cuda_gpu_kern_sum --format csv`: one row
// per kernel name with its total GPU time over the profile. Column spellings
// vary across releases ("Time (%)" / "Time(%)", "Avg (ns)" / "Average"); the
// ones read here, "Total Time (ns)", "Instances" and "Name", have not. Lines
// nsys prints before the table (Processing ..., NOTICE) are skipped.
#include <cmath>
#include <fmt/format.h>

#include "ingest/formats.hpp"
#include "util/csv.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace ptr {

namespace {

struct Columns {
  size_t total, instances, name;
};

std::optional<std::pair<size_t, Columns>> header(const std::vector<CsvRow>& rows) {
  for (size_t i = 0; i < rows.size() && i < 64; ++i) {
    std::optional<size_t> total, instances, name;
    for (size_t c = 0; c < rows[i].size(); ++c) {
      const std::string& h = rows[i][c];
      if (h == "Total Time (ns)" || h == "Total Time") total = c;
      if (h == "Instances") instances = c;
      if (h == "Name") name = c;
    }
    if (total && instances && name) return std::make_pair(i, Columns{*total, *instances, *name});
  }
  return std::nullopt;
}

double number(const std::string& v, const std::string& file, size_t row, const char* key) {
  auto x = non_negative_number(v, true);
  if (!x) throw_input(file, fmt::format("row {}: '{}' is not a number >= 0", row, v), -1, key);
  return *x;
}

}  // namespace

Sniff sniff_nsys_kern_sum(const FileView& f) {
  std::string_view h = head(f.text, 8192);
  if (contains(h, "Total Time (ns)") && contains(h, "Instances") && contains(h, "Name") && !contains(h, "\"Metric Name\"") &&
      !contains(h, "Style") && !contains(h, "Num Calls"))
    return {90, "an Nsight Systems kernel summary header (Total Time (ns), Instances, Name: cuda_gpu_kern_sum)"};
  return {};
}

void parse_nsys_kern_sum(const FileView& f, Products& out) {
  auto rows = parse_csv(f.text, f.path);
  auto h = header(rows);
  if (!h) throw_input(f.path, "no kernel summary header (Total Time (ns), Instances, Name)");
  auto [head_row, cols] = *h;
  KernelProfile p;
  p.file = f.path;
  p.tool = "nsys";
  p.layout = "nsys-cuda-gpu-kern-sum-csv";
  for (size_t r = head_row + 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (row.size() == 1 && row[0].empty()) continue;
    size_t need = std::max({cols.total, cols.instances, cols.name});
    if (row.size() <= need) {
      if (row.size() == 1) continue;  // a note line nsys appends after the table
      throw_input(f.path, fmt::format("row {}: {} values, expected {}", r + 1, row.size(), rows[head_row].size()));
    }
    KernelRecord k;
    k.name = row[cols.name];
    if (k.name.empty()) throw_input(f.path, fmt::format("row {}: empty kernel name", r + 1), -1, "Name");
    k.total_time_ms = number(row[cols.total], f.path, r + 1, "Total Time (ns)") / 1e6;
    k.instances = static_cast<long>(number(row[cols.instances], f.path, r + 1, "Instances"));
    p.kernels.push_back(std::move(k));
  }
  if (p.kernels.empty()) throw_input(f.path, "the kernel summary has no rows", static_cast<long>(head_row) + 1);
  out.kernel_profiles.push_back(std::move(p));
}

}  // namespace ptr
