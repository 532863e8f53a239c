#include "ingest/discover.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <fmt/format.h>
#include <map>
#include <set>

#include "ingest/formats.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ptr {

namespace {

// Above this size a file whose format streams (formats.hpp parse_file) is read
// in chunks; every other document is read whole (util/fs.cpp caps that too).
constexpr uintmax_t kStreamFilesAboveBytes = 64u << 20;
// A document read whole is parsed in memory (peak ~2.5x its size): its bound.
constexpr uintmax_t kMaxDocumentBytes = 1u << 30;

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

const FormatAdapter* adapter_named(const std::string& name) {
  for (const auto& a : format_table())
    if (name == a.name) return &a;
  return nullptr;
}

Dedupe dedupe_of(const RunResult& r) {
  const FormatAdapter* a = adapter_named(r.adapter);
  return a ? a->dedupe : Dedupe::none;
}

// The same run seen through several files of one experiment (run=N.json,
// summary.json, summary.csv) has the same stamp, run number, concurrency,
// counts, duration, throughput and model.
std::string dedupe_key(const RunResult& r) {
  auto n = [](const std::optional<double>& v) { return v ? fmt::format("{:.17g}", *v) : std::string("-"); };
  return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}", r.arm, r.date.value_or("-"),
                     r.run_number ? std::to_string(*r.run_number) : "-",
                     r.max_concurrency ? std::to_string(*r.max_concurrency) : "-", n(r.completed), n(r.duration_s),
                     n(r.output_throughput), r.model_id.value_or("-"));
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

// Token counts a copy must share when both files state them: two runs of
// different prompt lengths stamped in the same second with equal timings are
// two runs, not one seen twice.
bool same_token_counts(const RunResult& a, const RunResult& b) {
  auto agree = [](const std::optional<double>& x, const std::optional<double>& y) { return !x || !y || *x == *y; };
  return agree(a.total_input_tokens, b.total_input_tokens) && agree(a.total_output_tokens, b.total_output_tokens);
}

void dedupe(IngestBatch& b) {
  std::vector<RunResult> kept;
  std::map<std::string, std::vector<size_t>> by_key;
  std::vector<RunResult> rounded, records;
  for (auto& r : b.results) {
    Dedupe d = dedupe_of(r);
    if (d == Dedupe::rounded_copy) {
      rounded.push_back(std::move(r));
      continue;
    }
    if (d == Dedupe::per_request_records) {
      records.push_back(std::move(r));
      continue;
    }
    if (d == Dedupe::same_run && !r.run_failed) {
      std::vector<size_t>& candidates = by_key[dedupe_key(r)];
      auto it = std::find_if(candidates.begin(), candidates.end(), [&](size_t i) { return same_token_counts(kept[i], r); });
      if (it != candidates.end()) {
        RunResult& other = kept[*it];
        if (r.fidelity > other.fidelity) std::swap(other, r);
        if (other.requests.empty() && !r.requests.empty()) {  // a lower-fidelity copy may still carry the requests
          other.requests = std::move(r.requests);
          other.requests_file = r.requests_file.empty() ? r.file : r.requests_file;
        }
        continue;  // the lower-fidelity copy of the same run is dropped
      }
      candidates.push_back(kept.size());
    }
    kept.push_back(std::move(r));
  }
  for (auto& rec : records) {
    bool covered = false;
    for (auto& k : kept)
      if (dedupe_of(k) == Dedupe::run_aggregate && records_belong_to(rec, k)) {
        // The aggregate's numbers stand; its requests come from the records.
        if (!covered && k.requests.empty() && !rec.requests.empty()) {
          k.requests = std::move(rec.requests);
          k.requests_file = rec.requests_file.empty() ? rec.file : rec.requests_file;
        }
        covered = true;
      }
    if (covered) {
      add_warning(b.warnings, {"duplicate_run", "per-request records of a run whose aggregate export is also imported; "
                                                "the aggregate is used", {}, rec.file, {}, {}, {}});
      continue;
    }
    kept.push_back(std::move(rec));
  }
  // An AIPerf sweep aggregate repeats the per-concurrency exports as means:
  // when those are imported too, they are the better source.
  kept.erase(std::remove_if(kept.begin(), kept.end(), [&](const RunResult& agg) {
               if (dedupe_of(agg) != Dedupe::sweep_aggregate) return false;
               for (const auto& k : kept)
                 if (dedupe_of(k) == Dedupe::run_aggregate && k.max_concurrency && k.max_concurrency == agg.max_concurrency) {
                   add_warning(b.warnings, {"duplicate_run", fmt::format("sweep aggregate entry for concurrency {} dropped: "
                                                                         "the per-run export {} is imported too",
                                                                         *agg.max_concurrency, k.file),
                                            {}, agg.file, {}, {}, agg.max_concurrency});
                   return true;
                 }
               return false;
             }),
             kept.end());
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

// A `vllm bench sweep` run sits in <experiment>/<SERVE--..-BENCH--..>/[<var>=<v>/]run=N.json;
// the experiment folder is the arm it belongs to.
std::string sweep_experiment_of(const std::string& rel) {
  std::filesystem::path p = std::filesystem::path(rel).parent_path();
  while (!p.empty()) {
    std::string name = p.filename().string();
    bool combination = name.rfind("SERVE-", 0) == 0 || name.rfind("BENCH-", 0) == 0 ||
                       name.rfind("STARTUP-", 0) == 0 || name.find('=') != std::string::npos;
    if (!combination) break;
    p = p.parent_path();
  }
  return p.generic_string();
}

// A UTF-8 byte-order mark (Windows editors write one) is not part of any
// format: every reader sees the text after it, so all formats treat it alike.
std::string_view without_bom(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text;
}

// The first `n` bytes of a regular file, cut after its last full line.
std::string read_head_lines(const std::filesystem::path& path, size_t n) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!f) throw_io(path.string(), std::string("cannot open file: ") + std::strerror(errno));
  std::string head(n, '\0');
  head.resize(std::fread(head.data(), 1, n, f.get()));
  if (auto nl = head.rfind('\n'); nl != std::string::npos) head.resize(nl + 1);
  return head;
}

// A large file of a line-per-record format is streamed: sniffed from its
// first MiB, then read a chunk at a time, never whole (README, "Memory
// bounds"). Null when the file's format is one read whole.
const FormatAdapter* streaming_adapter(const std::filesystem::path& abs, const std::string& shown, Sniff& sniff) {
  std::string head = read_head_lines(abs, 1u << 20);
  if (looks_binary(head)) return nullptr;
  const FormatAdapter* a = best_adapter(FileView{shown, without_bom(head)}, sniff);
  return a && a->parse_file ? a : nullptr;
}

void ingest_one(const std::filesystem::path& abs, const std::string& rel, bool explicit_file,
                const std::string& backend, IngestBatch& b) {
  const std::string shown = abs.string();
  auto skip = [&](const std::string& why) {
    if (explicit_file) throw_input(shown, why);
    b.skipped.push_back({abs, rel, "", why, false, 0});
    add_warning(b.warnings, {"skipped_file", "skipped: " + why, {}, shown, {}, {}, {}});
  };
  require_regular_file(abs);
  std::error_code ec;
  const auto size = std::filesystem::file_size(abs, ec);
  Products products;
  Sniff sniff;
  const FormatAdapter* a = nullptr;
  auto explain = [&](Error& e) {
    if (e.hint.empty()) e.hint = fmt::format("the file was detected as {} because it is a {}", a->name, sniff.why);
  };
  if (!ec && size > kStreamFilesAboveBytes && (a = streaming_adapter(abs, shown, sniff))) {
    try {
      a->parse_file(abs, shown, products);
    } catch (Error& e) {
      explain(e);
      throw;
    }
  }
  std::string text;  // whole documents only
  if (!a) {
    if (!ec && size > kMaxDocumentBytes)
      return skip(fmt::format("{:.0f} MiB is over the {} MiB limit for a document read whole (only line-per-record "
                              "files such as AIPerf profile_export.jsonl are streamed)",
                              static_cast<double>(size) / (1 << 20), kMaxDocumentBytes >> 20));
    text = read_file(abs);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
      return skip("empty file; expected a benchmark output (vLLM/SGLang JSON or stdout, AIPerf JSON/JSONL/CSV)");
    if (looks_binary(text)) return skip("binary file; expected a text benchmark output");
    FileView view{shown, without_bom(text)};
    sniff = {};
    a = best_adapter(view, sniff);
    if (!a) {
      if (auto why = near_miss(view)) return skip(*why);
      return skip("unknown format: not a vLLM bench serve/sweep result, SGLang bench_serving output, "
                  "bench stdout capture or AIPerf export");
    }
    try {
      a->parse(view, products);
    } catch (Error& e) {
      explain(e);
      throw;
    }
  }
  std::vector<RunResult>& rs = products.runs;
  if (!adapter_serves_backend(*a, backend, rs)) {
    std::string why = fmt::format("detected as {} ({}), which is not --backend {}", a->name, sniff.why, backend);
    if (explicit_file) throw_input(shown, why);
    b.skipped.push_back({abs, rel, a->name, why, false, 0});
    add_warning(b.warnings, {"skipped_file", "skipped: " + why, {}, shown, {}, {}, {}});
    return;
  }
  bool multi = rs.size() > 1 && a->runs_are_deployments;
  for (auto& r : rs) {
    r.file = rel;
    r.fidelity = a->fidelity;
    r.adapter = a->name;
    validate_run(r, shown);
    if (arm_from_sweep_folder(r)) r.arm = sweep_experiment_of(rel);
    r.from_multi_run_document = multi;
    for (auto& w : r.warnings) {
      w.file = rel;
      if (!w.concurrency) w.concurrency = r.max_concurrency;
    }
    bool no_latency = r.ttft.empty() && r.tpot.empty() && r.itl.empty() && r.e2el.empty();
    if (no_latency && !r.run_failed && r.completed.value_or(0) > 0)
      add_warning(r.warnings, {"no_latency", fmt::format("recognized as {} but it carries no TTFT, TPOT, ITL or E2EL "
                                                         "statistic; latency charts and SLA capacity leave it out", r.format),
                               {}, rel, {}, {}, r.max_concurrency});
  }
  b.files.push_back({abs, rel, a->name, sniff.why, a->product != ProductKind::runs, rs.size()});
  for (auto& r : rs) b.results.push_back(std::move(r));
  for (auto& t : products.telemetry) {
    t.file = rel;
    if (t.truncated)
      add_warning(b.warnings, {"truncated_capture", "the last record is cut short (the logger was stopped mid-write); left out",
                               {}, rel, {}, {}, {}});
    b.telemetry.push_back(std::move(t));
  }
  for (auto& m : products.model_configs) {
    m.file = rel;
    b.model_configs.push_back(std::move(m));
  }
  for (auto& t : products.roofline_tables) {
    t.file = rel;
    b.roofline_tables.push_back(std::move(t));
  }
  for (auto& k : products.kernel_profiles) {
    k.file = rel;
    b.kernel_profiles.push_back(std::move(k));
  }
}

// Every regular file under `dir` (hidden entries skipped). Special files,
// unreadable folders and broken links are named in a warning, never silently
// skipped; symbolic links to folders are not followed (no loops).
void walk_folder(const std::filesystem::path& dir, std::vector<std::filesystem::path>& files, Warnings& warnings) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) {
    add_warning(warnings, {"unreadable_folder", fmt::format("skipped folder: cannot read it ({})", ec.message()), {},
                           dir.string(), {}, {}, {}});
    return;
  }
  std::vector<fs::directory_entry> entries;
  for (; it != end; it.increment(ec)) {
    if (ec) {
      add_warning(warnings, {"unreadable_folder", fmt::format("listing stopped early ({})", ec.message()), {}, dir.string(),
                             {}, {}, {}});
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
      add_warning(warnings, {"skipped_file", "skipped: a symbolic link to a folder (not followed)", {}, e.path().string(), {}, {}, {}});
    } else if (fs::is_directory(st)) {
      walk_folder(e.path(), files, warnings);
    } else if (fs::is_regular_file(st)) {
      files.push_back(e.path());
    } else if (ec || st.type() == fs::file_type::not_found) {
      add_warning(warnings, {"skipped_file", "skipped: a dangling or looping symbolic link", {}, e.path().string(), {}, {}, {}});
    } else {
      add_warning(warnings, {"skipped_file", fmt::format("skipped: a {}, not a regular file", special_file_kind(st.type())), {},
                             e.path().string(), {}, {}, {}});
    }
  }
}

}  // namespace

IngestBatch ingest_paths(const std::vector<std::filesystem::path>& inputs, const std::string& backend) {
  std::vector<IngestRoot> roots;
  for (const auto& in : inputs) roots.push_back({in, {}});
  return ingest_roots(roots, backend);
}

IngestBatch ingest_roots(const std::vector<IngestRoot>& inputs, const std::string& backend) {
  const std::vector<std::string> backends = backend_choices();
  if (std::find(backends.begin(), backends.end(), backend) == backends.end()) {
    std::string list;
    for (const auto& b2 : backends) list += (list.empty() ? "" : ", ") + b2;
    throw_usage("unknown --backend '" + backend + "'", "expected one of " + list);
  }
  IngestBatch b;
  namespace fs = std::filesystem;
  std::set<std::string> tops;  // two inputs named alike stay apart: "run", "run.2"
  auto unique_top = [&](std::string top) {
    std::string t = top;
    for (int n = 2; !tops.insert(t).second; ++n) t = fmt::format("{}.{}", top, n);
    return t;
  };
  for (const auto& in : inputs) {
    std::error_code ec;
    if (!fs::exists(in.path, ec)) throw_io(in.path.string(), "no such file or folder");
    if (fs::is_directory(in.path, ec)) {
      std::vector<fs::path> files;
      walk_folder(in.path, files, b.warnings);
      std::sort(files.begin(), files.end());
      std::string top = in.name;
      if (top.empty()) {
        fs::path norm = fs::absolute(in.path).lexically_normal();
        top = norm.filename().string();
        if (top.empty()) top = norm.parent_path().filename().string();
        top = unique_top(top);
      }
      for (const auto& p : files) ingest_one(p, (fs::path(top) / fs::relative(p, in.path)).generic_string(), false, backend, b);
    } else {
      ingest_one(in.path, in.name.empty() ? unique_top(in.path.filename().string()) : in.name, true, backend, b);
    }
  }
  dedupe(b);
  return b;
}

void relocate(IngestBatch& b, const std::function<std::string(const std::string&)>& new_rel) {
  for (auto& f : b.files) f.rel = new_rel(f.rel);
  for (auto& t : b.telemetry) t.file = new_rel(t.file);
  for (auto& m : b.model_configs) m.file = new_rel(m.file);
  for (auto& t : b.roofline_tables) t.file = new_rel(t.file);
  for (auto& k : b.kernel_profiles) k.file = new_rel(k.file);
  for (auto& r : b.results) {
    r.file = new_rel(r.file);
    if (!r.requests_file.empty()) r.requests_file = new_rel(r.requests_file);
    if (arm_from_sweep_folder(r)) r.arm = sweep_experiment_of(r.file);
    for (auto& w : r.warnings)
      if (!w.file.empty()) w.file = new_rel(w.file);
  }
}

IngestBatch merge_batches(IngestBatch a, IngestBatch b) {
  for (auto& f : b.files) a.files.push_back(std::move(f));
  for (auto& s : b.skipped) a.skipped.push_back(std::move(s));
  for (auto& r : b.results) a.results.push_back(std::move(r));
  for (auto& t : b.telemetry) a.telemetry.push_back(std::move(t));
  for (auto& m : b.model_configs) a.model_configs.push_back(std::move(m));
  for (auto& t : b.roofline_tables) a.roofline_tables.push_back(std::move(t));
  for (auto& k : b.kernel_profiles) a.kernel_profiles.push_back(std::move(k));
  for (auto& w : b.warnings) add_warning(a.warnings, std::move(w));
  dedupe(a);
  return a;
}

std::vector<RunResult> ingest_text(const std::string& display_path, std::string_view text, std::string* format) {
  FileView view{display_path, without_bom(text)};
  Sniff sniff;
  const FormatAdapter* a = best_adapter(view, sniff);
  if (!a) throw_input(display_path, "unknown format");
  if (format) *format = a->name;
  Products p;
  a->parse(view, p);
  for (auto& r : p.runs) {
    r.fidelity = a->fidelity;
    r.adapter = a->name;
  }
  return p.runs;
}

}  // namespace ptr
