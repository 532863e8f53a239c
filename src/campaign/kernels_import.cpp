#include "campaign/kernels_import.hpp"

#include <fmt/format.h>

#include "analysis/kernel_category.hpp"
#include "campaign/layout.hpp"
#include "ingest/discover.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

namespace {

fs::path cell_with_data(const Campaign& c, const std::string& cell) {
  fs::path dir = c.cell_dir(cell);
  if (!fs::exists(dir / "normalized.json"))
    throw_input((dir / "normalized.json").string(), "cell '" + cell + "' has no data yet", -1, {},
                "import its benchmark results first (import_perf_bench, import_roofline_sweep or cell_run)");
  return dir;
}

// The one kernel profile of `file`, from the profiler `tool` asks for ("" = either).
KernelProfile profile_of(const fs::path& file, const std::string& tool, Warnings& warnings) {
  IngestBatch batch = ingest_paths({file}, "auto");
  for (const auto& w : batch.warnings) add_warning(warnings, w);
  if (batch.kernel_profiles.empty())
    throw_input(file.string(), tool.empty() ? "not a kernel profile (expected kernels_v1 JSON, an nsys cuda_gpu_kern_sum CSV or an ncu CSV)"
                                            : "not an Nsight Compute CSV export",
                -1, {}, tool.empty() ? "nsys stats --report cuda_gpu_kern_sum --format csv -o kern report.nsys-rep"
                                     : "ncu --csv --page details --import report.ncu-rep > kernels.csv");
  KernelProfile p = std::move(batch.kernel_profiles.front());
  if (!tool.empty() && p.tool != tool)
    throw_usage(fmt::format("{} is {} output ({})", file.string(), p.tool, p.layout), "import it with import_kernels");
  for (auto& k : p.kernels) k.category = kernel_category(k.name);
  return p;
}

// A label safe as a file name: [A-Za-z0-9._-], at most 48 characters.
std::string safe_label(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (out.size() >= 48) break;
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
    out += ok ? ch : '_';
  }
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  return out.empty() ? "capture" : out;
}

json share_json(const KernelBreakdown& b) {
  json s = json::object();
  for (const char* c : kKernelCategories) s[c] = b.share_pct(c);
  return s;
}

}  // namespace

json import_kernels(const fs::path& root, const KernelsImportRequest& req, Warnings& warnings) {
  Campaign c = open_campaign(root, req.campaign);
  fs::path dir = cell_with_data(c, req.cell);
  FileLock lock(c.dir, "import_kernels " + req.cell, lock_wait_seconds());
  require_regular_file(req.file);
  std::string text = read_file(req.file);
  KernelBreakdown b;
  size_t kernels = 0;
  bool ours = text.find("\"kernels_v1\"") != std::string::npos;
  if (ours) {
    b = kernel_breakdown_from_json(parse_json_lenient(text, req.file.string()), req.file.string());
    kernels = b.top_kernels.size();
    if (b.source_format.empty()) b.source_format = "kernels_v1";
  } else {
    KernelProfile p = profile_of(req.file, "", warnings);
    if (p.tool == "ncu") {
      // One profiled step: each launch's own duration. ncu serializes
      // launches and flushes caches, so the shares are indicative.
      for (auto& k : p.kernels)
        if (k.duration_us) k.total_time_ms = *k.duration_us / 1000, k.instances = 1;
      add_warning(warnings, {"kernels_from_ncu", "categories from an Nsight Compute capture: launch durations of one profiled "
                                                 "step, serialized with caches flushed; an nsys summary of a steady window is the "
                                                 "better source", req.cell, req.file.string(), {}, "import the capture with import_ncu too (page 5)", {}});
    }
    b = breakdown_of(p.kernels);
    b.source_format = p.layout;
    kernels = p.kernels.size();
  }
  if (!(b.total_ms() > 0)) throw_input(req.file.string(), "the profile has no GPU time", -1, "Total Time (ns)");
  if (req.scope) b.scope = *req.scope;
  std::string raw = "raw/kernels/" + safe_label(req.file.filename().string());
  fs::create_directories(dir / "raw" / "kernels");
  atomic_copy(req.file, dir / raw);
  if (!ours || b.source_file.empty()) b.source_file = raw;
  json out = kernel_breakdown_to_json(b);
  atomic_write(dir / "kernels.json", out.dump(2) + "\n");
  if (b.share_pct("other") > 25)
    add_warning(warnings, {"kernels_unclassified", fmt::format("{:.0f}% of GPU time is in kernels no rule names (category other)",
                                                               b.share_pct("other")),
                           req.cell, raw, {}, "the rules are in docs/formats/kernels.md; a kernels_v1 file may carry its own categories", {}});
  return {{"written", (dir / "kernels.json").string()}, {"cell", req.cell}, {"source", raw}, {"format", b.source_format},
          {"kernels", kernels}, {"total_ms", b.total_ms()}, {"share_pct", share_json(b)}};
}

json import_ncu(const fs::path& root, const NcuImportRequest& req, Warnings& warnings) {
  Campaign c = open_campaign(root, req.campaign);
  fs::path dir = cell_with_data(c, req.cell);
  FileLock lock(c.dir, "import_ncu " + req.cell, lock_wait_seconds());
  require_regular_file(req.csv);
  KernelProfile p = profile_of(req.csv, "ncu", warnings);
  NcuCapture cap;
  cap.label = safe_label(req.label ? *req.label : req.csv.stem().string());
  cap.layout = p.layout;
  cap.kernels = std::move(p.kernels);
  cap.file = "raw/ncu/" + cap.label + ".csv";
  std::vector<NcuCapture> captures;
  fs::path ncu = dir / "ncu.json";
  if (fs::exists(ncu)) captures = ncu_captures_from_json(parse_json_lenient(read_file(ncu), ncu.string()), ncu.string());
  bool replaced = false;
  for (auto& existing : captures)
    if (existing.label == cap.label) {
      existing = cap;
      replaced = true;
    }
  if (!replaced) captures.push_back(cap);
  fs::create_directories(dir / "raw" / "ncu");
  atomic_copy(req.csv, dir / cap.file);
  atomic_write(ncu, ncu_captures_to_json(captures).dump(2) + "\n");
  size_t with_time = 0;
  for (const auto& k : cap.kernels) with_time += k.duration_us ? 1 : 0;
  if (with_time < cap.kernels.size())
    add_warning(warnings, {"ncu_no_duration", fmt::format("{} of {} launches carry no duration (Duration / gpu__time_duration.sum)",
                                                          cap.kernels.size() - with_time, cap.kernels.size()),
                           req.cell, cap.file, {}, "profile with --section SpeedOfLight so page 5 can rank kernels by time", {}});
  json top = json::array();
  for (const auto& s : summarize_by_name(cap)) {
    if (top.size() == 5) break;
    json t = {{"name", s.name}, {"category", s.category}, {"launches", s.launches}, {"total_us", s.total_us}};
    if (s.dram_pct) t["dram_pct"] = *s.dram_pct;
    if (s.sm_pct) t["sm_pct"] = *s.sm_pct;
    top.push_back(t);
  }
  return {{"written", ncu.string()}, {"cell", req.cell}, {"label", cap.label}, {"layout", cap.layout}, {"source", cap.file},
          {"launches", cap.kernels.size()}, {"replaced", replaced}, {"captures", captures.size()}, {"top_kernels", top}};
}

}  // namespace ptr
