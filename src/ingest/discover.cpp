#include "ingest/discover.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "ingest/formats.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ptr {

namespace {

bool looks_binary(std::string_view text) {
  auto h = text.substr(0, std::min<size_t>(text.size(), 4096));
  return h.find('\0') != std::string_view::npos;
}

const FormatAdapter* best_adapter(const FileView& f, Sniff& best) {
  const FormatAdapter* chosen = nullptr;
  for (const auto& a : format_table()) {
    Sniff s = a.sniff(f);
    if (s.confidence > best.confidence) {
      best = s;
      chosen = &a;
    }
  }
  return chosen;
}

bool backend_matches(const std::string& wanted, const FormatAdapter& a, const std::vector<RunResult>& rs) {
  if (wanted == "auto") return true;
  std::string b = a.backend;
  if (b.empty() && !rs.empty()) b = rs.front().backend;  // stdout captures: vllm or sglang
  if (wanted == "vllm" && b == "vllm-sweep") return true;  // a sweep run is a bench-serve file
  if (wanted == "vllm-sweep" && b == "vllm") {
    for (const auto& r : rs)
      if (!r.run_number) return false;
    return true;
  }
  return b == wanted;
}

std::string dedupe_key(const RunResult& r) {
  auto n = [](const std::optional<double>& v) { return v ? fmt::format("{:.17g}", *v) : std::string("-"); };
  return fmt::format("{}|{}|{}|{}|{}", r.date.value_or("-"), r.run_number ? std::to_string(*r.run_number) : "-",
                     r.max_concurrency ? std::to_string(*r.max_concurrency) : "-", n(r.completed), n(r.duration_s));
}

// Equal to the printed precision (2 decimals, rounded half away).
bool near2(const std::optional<double>& rounded, const std::optional<double>& exact) {
  if (!rounded || !exact) return !rounded && !exact;
  return std::fabs(*rounded - *exact) <= 0.0051 + 1e-9 * std::fabs(*exact);
}

// A rounded copy (stdout capture, AIPerf CSV) of a run we also have exactly.
bool is_rounded_copy(const RunResult& rounded, const RunResult& exact) {
  if (rounded.completed != exact.completed) return false;
  if (rounded.max_concurrency && exact.max_concurrency && rounded.max_concurrency != exact.max_concurrency) return false;
  return near2(rounded.duration_s, exact.duration_s) && near2(rounded.output_throughput, exact.output_throughput);
}

bool aiperf_family(const RunResult& r) { return r.backend == "aiperf"; }

// Per-request records belong to an aggregate export when their time range
// lies inside the aggregate's, or when they sit in the same folder as exactly
// one aggregate.
bool records_belong_to(const RunResult& rec, const RunResult& agg) {
  auto rs = rec.native.find("min_request_start_ns");
  auto am = agg.native.find("min_request_timestamp.avg");
  auto ax = agg.native.find("max_response_timestamp.avg");
  if (rs != rec.native.end() && am != agg.native.end() && ax != agg.native.end()) {
    double lo = rec.native["min_request_start_ns"].get<double>(), hi = rec.native["max_request_end_ns"].get<double>();
    double alo = am->get<double>(), ahi = ax->get<double>();
    return lo >= alo - 1e4 && hi <= ahi + 1e4;
  }
  return std::filesystem::path(rec.file).parent_path() == std::filesystem::path(agg.file).parent_path();
}

void dedupe(IngestBatch& b) {
  std::vector<RunResult> kept;
  std::map<std::string, size_t> by_key;
  std::vector<RunResult> rounded, records;
  for (auto& r : b.results) {
    if (r.fidelity == 0 || (aiperf_family(r) && r.format == "aiperf-profile-export-csv")) {
      rounded.push_back(std::move(r));
      continue;
    }
    if (r.format == "aiperf-profile-export-jsonl") {
      records.push_back(std::move(r));
      continue;
    }
    if (r.backend.rfind("vllm", 0) == 0 && !r.run_failed) {
      std::string k = dedupe_key(r);
      auto it = by_key.find(k);
      if (it != by_key.end()) {
        RunResult& other = kept[it->second];
        if (r.fidelity > other.fidelity) std::swap(other, r);
        continue;  // the lower-fidelity copy of the same run is dropped
      }
      by_key[k] = kept.size();
    }
    kept.push_back(std::move(r));
  }
  for (auto& rec : records) {
    bool covered = false;
    for (const auto& k : kept)
      if (k.format == "aiperf-profile-export-json" && records_belong_to(rec, k)) covered = true;
    if (covered) {
      b.warnings.push_back(fmt::format("{}: per-request records of a run whose aggregate export is also imported; "
                                       "the aggregate is used", rec.file));
      continue;
    }
    kept.push_back(std::move(rec));
  }
  for (auto& r : rounded) {
    bool dup = false;
    for (auto& k : kept) {
      if (k.fidelity > r.fidelity && is_rounded_copy(r, k)) {
        dup = true;
        if (!k.error && r.error) k.error = r.error;  // the capture saw the failure's cause
      }
    }
    if (dup) continue;
    kept.push_back(std::move(r));
  }
  std::stable_sort(kept.begin(), kept.end(), [](const RunResult& a, const RunResult& c) {
    if (a.file != c.file) return a.file < c.file;
    return a.line.value_or(-1) < c.line.value_or(-1);
  });
  b.results = std::move(kept);
  for (auto& f : b.files) {
    f.results = 0;
    for (const auto& r : b.results)
      if (r.file == f.rel) ++f.results;
  }
}

void ingest_one(const std::filesystem::path& abs, const std::string& rel, bool explicit_file,
                const std::string& backend, IngestBatch& b) {
  std::string text = read_file(abs);
  const std::string shown = abs.string();
  auto skip = [&](const std::string& why) {
    if (explicit_file) throw_input(shown, why);
    b.skipped.push_back({abs, rel, "", why, false, 0});
    b.warnings.push_back(fmt::format("skipped {}: {}", shown, why));
  };
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return skip("empty file; expected a benchmark output (vLLM/SGLang JSON or stdout, AIPerf JSON/JSONL/CSV)");
  if (looks_binary(text)) return skip("binary file; expected a text benchmark output");
  FileView view{shown, text};
  Sniff sniff;
  const FormatAdapter* a = best_adapter(view, sniff);
  if (!a)
    return skip("unknown format: not a vLLM bench serve/sweep result, SGLang bench_serving output, "
                "bench stdout capture or AIPerf export");
  std::vector<RunResult> rs;
  try {
    rs = a->parse(view);
  } catch (Error& e) {
    if (e.hint.empty()) e.hint = fmt::format("the file was detected as {} because it is a {}", a->name, sniff.why);
    throw;
  }
  if (!backend_matches(backend, *a, rs)) {
    std::string why = fmt::format("detected as {} ({}), which is not --backend {}", a->name, sniff.why, backend);
    if (explicit_file) throw_input(shown, why);
    b.skipped.push_back({abs, rel, a->name, why, false, 0});
    b.warnings.push_back(fmt::format("skipped {}: {}", shown, why));
    return;
  }
  for (auto& r : rs) {
    r.file = rel;
    for (auto& w : r.warnings) w = fmt::format("{}: {}", rel, w);
  }
  b.files.push_back({abs, rel, a->name, sniff.why, a->role == FileRole::telemetry, rs.size()});
  for (auto& r : rs) b.results.push_back(std::move(r));
}

// Every regular file under `dir` (hidden entries skipped). Special files,
// unreadable folders and broken links are named in a warning, never silently
// skipped; symbolic links to folders are not followed (no loops).
void walk_folder(const std::filesystem::path& dir, std::vector<std::filesystem::path>& files,
                 std::vector<std::string>& warnings) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) {
    warnings.push_back(fmt::format("skipped folder {}: cannot read it ({})", dir.string(), ec.message()));
    return;
  }
  std::vector<fs::directory_entry> entries;
  for (; it != end; it.increment(ec)) {
    if (ec) {
      warnings.push_back(fmt::format("folder {}: listing stopped early ({})", dir.string(), ec.message()));
      break;
    }
    entries.push_back(*it);
  }
  for (const auto& e : entries) {
    auto name = e.path().filename().string();
    if (!name.empty() && name[0] == '.') continue;
    auto link = e.symlink_status(ec);
    auto st = e.status(ec);
    if (fs::is_symlink(link) && fs::is_directory(st)) {
      warnings.push_back(fmt::format("skipped {}: a symbolic link to a folder (not followed)", e.path().string()));
    } else if (fs::is_directory(st)) {
      walk_folder(e.path(), files, warnings);
    } else if (fs::is_regular_file(st)) {
      files.push_back(e.path());
    } else if (ec || st.type() == fs::file_type::not_found) {
      warnings.push_back(fmt::format("skipped {}: a dangling or looping symbolic link", e.path().string()));
    } else {
      warnings.push_back(fmt::format("skipped {}: a {}, not a regular file", e.path().string(), special_file_kind(st.type())));
    }
  }
}

}  // namespace

IngestBatch ingest_paths(const std::vector<std::filesystem::path>& inputs, const std::string& backend) {
  static const std::vector<std::string> backends = {"auto", "vllm", "vllm-sweep", "sglang", "aiperf"};
  if (std::find(backends.begin(), backends.end(), backend) == backends.end())
    throw_usage("unknown --backend '" + backend + "'", "expected one of auto, vllm, vllm-sweep, sglang, aiperf");
  IngestBatch b;
  namespace fs = std::filesystem;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (!fs::exists(in, ec)) throw_io(in.string(), "no such file or folder");
    if (fs::is_directory(in, ec)) {
      std::vector<fs::path> files;
      walk_folder(in, files, b.warnings);
      std::sort(files.begin(), files.end());
      std::string top = fs::absolute(in).lexically_normal().filename().string();
      if (top.empty()) top = fs::absolute(in).lexically_normal().parent_path().filename().string();
      for (const auto& p : files) {
        std::string rel = (fs::path(top) / fs::relative(p, in)).generic_string();
        ingest_one(p, rel, false, backend, b);
      }
    } else {
      ingest_one(in, in.filename().string(), true, backend, b);
    }
  }
  dedupe(b);
  return b;
}

std::vector<RunResult> ingest_text(const std::string& display_path, std::string_view text, std::string* format) {
  FileView view{display_path, text};
  Sniff sniff;
  const FormatAdapter* a = best_adapter(view, sniff);
  if (!a) throw_input(display_path, "unknown format");
  if (format) *format = a->name;
  return a->parse(view);
}

}  // namespace ptr
