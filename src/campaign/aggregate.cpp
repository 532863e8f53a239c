#include <algorithm>
#include <future>
#include <fmt/format.h>

#include "campaign/operations.hpp"
#include "model/atlas_reader.hpp"
#include "model/atlas_writer.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"
#include "util/mapped_file.hpp"

namespace ptr {

namespace {

// What dcgm_correlate wrote for the cell joins its atlas line (the report and
// the lake read the atlas), and the cell's speed-of-light rigor follows.
void attach_speed_of_light(AtlasCell& cell, const fs::path& dir) {
  fs::path corr = dir / "dcgm_correlation.json";
  if (fs::exists(corr)) {
    json j = parse_json_lenient(read_file(corr), corr.string());
    json summary = json::object();
    for (const char* k : {"window", "node", "samples_used", "mean", "dcgm_bandwidth_tb_s", "dcgm_bandwidth_pct_of_datasheet",
                          "tensor_tflops_per_gpu", "power_watts_per_gpu", "tokens_per_watt", "points"})
      if (j.contains(k)) summary[k] = j[k];
    if (j.contains("source") && j["source"].is_object()) summary["format"] = j["source"].value("format", "");
    cell.extra["dcgm_correlation"] = summary;
  }
  cell.sol_rigor = sol_rigor_of(cell, fs::exists(dir / "ncu.json"), fs::exists(dir / "kernels.json"));
}

}  // namespace

std::string sol_rigor_of(const AtlasCell& cell, bool has_ncu, bool has_kernels) {
  bool dram = false;
  if (auto c = cell.extra.find("dcgm_correlation"); c != cell.extra.end() && c->is_object())
    dram = c->contains("mean") && (*c)["mean"].contains("dram_active_pct");
  for (const auto& p : cell.points)
    if (auto t = p.extra.find("telemetry"); t != p.extra.end() && t->contains("dram_active_pct")) dram = true;
  return has_ncu ? "L4" : dram ? "L3" : has_kernels ? "L1" : "none";
}

AggregateResult aggregate_atlas(const fs::path& root, const std::string& campaign, Warnings& warnings) {
  Campaign c = open_campaign(root, campaign);
  FileLock lock(c.dir, "atlas_aggregate", lock_wait_seconds());
  AggregateResult out;
  std::error_code ec;
  if (fs::is_directory(c.cells_dir(), ec)) {
    for (const auto& e : fs::directory_iterator(c.cells_dir(), ec)) {
      if (!e.is_directory()) continue;
      fs::path norm = e.path() / "normalized.json";
      // A configured roofline sweep became its -decode/-prefill cells.
      if (!fs::exists(norm) && fs::exists(e.path() / "roofline_cells.json")) continue;
      if (!fs::exists(norm)) {
        add_warning(warnings, {"cell_not_imported", "no normalized.json (nothing imported yet); not in the atlas",
                               e.path().filename().string(), {}, {}, {}, {}});
        continue;
      }
      AtlasCell cell = cell_from_json(parse_json_lenient(read_file(norm), norm.string()), norm.string());
      attach_speed_of_light(cell, e.path());
      out.cells.push_back(std::move(cell));
    }
  }
  for (const auto& cc : c.config.cells) {
    bool present = std::any_of(out.cells.begin(), out.cells.end(),
                               [&](const AtlasCell& a) { return a.cell_id == cc.identity.cell_id; }) ||
                   fs::exists(c.cell_dir(cc.identity.cell_id) / "roofline_cells.json");
    if (!present)
      add_warning(warnings, {"cell_not_imported", "configured, but no data imported", cc.identity.cell_id, {}, {}, {}, {}});
  }
  return write_atlas(c, std::move(out.cells));
}

std::vector<AtlasCell> read_atlas(const Campaign& c) {
  fs::path atlas = c.dir / "atlas.jsonl";
  if (!fs::exists(atlas))
    throw_input(atlas.string(), "atlas not found", -1, {}, "run: perftunereport atlas_aggregate --campaign " + c.id);
  MappedFile file(atlas);
  std::string_view text = file.text();
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  // One cell per line, parsed on two threads when there are many (a
  // 4,000-cell atlas is 33 MB); an error names its line either way.
  std::vector<AtlasCell> cells(lines.size());
  std::vector<char> blank(lines.size(), 0);
  auto parse = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      if (lines[i].find_first_not_of(" \t\r") == std::string_view::npos) blank[i] = 1;
      else cells[i] = read_atlas_cell(lines[i], atlas.string(), static_cast<long>(i) + 1);
    }
  };
  size_t half = lines.size() > 256 ? lines.size() / 2 : lines.size();
  auto second = half < lines.size() ? std::async(std::launch::async, parse, half, lines.size()) : std::future<void>();
  std::exception_ptr first_error, second_error;
  try {
    parse(0, half);
  } catch (...) {
    first_error = std::current_exception();
  }
  try {
    if (second.valid()) second.get();
  } catch (...) {
    second_error = std::current_exception();
  }
  if (first_error) std::rethrow_exception(first_error);  // the earlier line's error
  if (second_error) std::rethrow_exception(second_error);
  size_t kept = 0;
  for (size_t i = 0; i < cells.size(); ++i)
    if (!blank[i]) {
      if (kept != i) cells[kept] = std::move(cells[i]);
      ++kept;
    }
  cells.resize(kept);
  return cells;
}

AggregateResult write_atlas(const Campaign& c, std::vector<AtlasCell> cells, bool durable) {
  AggregateResult out;
  out.cells = std::move(cells);
  std::sort(out.cells.begin(), out.cells.end(), [](const AtlasCell& a, const AtlasCell& b) { return a.cell_id < b.cell_id; });
  std::string lines;
  for (const auto& cell : out.cells) {
    append_atlas_line(cell, lines);
    add_to_coverage(out.coverage, cell);
  }
  out.atlas = c.dir / "atlas.jsonl";
  atomic_write(out.atlas, lines, durable);
  return out;
}

}  // namespace ptr
