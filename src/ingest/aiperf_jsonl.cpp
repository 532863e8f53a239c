// AIPerf profile_export.jsonl: one line per request. We recompute the run's
// statistics from the records (successful = no error, not cancelled, phase
// 'profiling' when present, numeric TTFT). Files can be gigabytes, so this
// path uses the streaming scanner, not a DOM.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <cstring>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <thread>
#include <unordered_map>

#include "ingest/formats.hpp"
#include "ingest/per_request.hpp"
#include "util/error.hpp"
#include "util/json_scan.hpp"
#include "util/stats.hpp"

namespace ptr {

Sniff sniff_aiperf_jsonl(const FileView& f) {
  auto line = first_nonblank_line(f.text);
  if (contains(line, "\"metadata\"") && contains(line, "\"metrics\"") &&
      (contains(line, "\"request_start_ns\"") || contains(line, "\"x_request_id\"") || contains(line, "\"session_num\"")))
    return {90, "JSONL with metadata{request_start_ns..} + metrics{tag:{value,unit}} (AIPerf per-request records)"};
  return {};
}

namespace {

// Pooled inter-chunk gaps can run to tens of millions of values; past this
// many we keep a fine log histogram (2^-12 relative bins) instead of values.
constexpr size_t kExactPoolLimit = 16'000'000;

struct Pool {
  std::vector<double> values;
  std::unordered_map<uint64_t, uint64_t> hist;
  size_t count = 0;
  double sum = 0, sum_sq = 0;
  void add(double v) {
    ++count;
    sum += v;
    sum_sq += v * v;
    if (hist.empty() && values.size() < kExactPoolLimit) {
      values.push_back(v);
      return;
    }
    if (hist.empty())
      for (double x : values) bucket(x);
    values.clear();
    values.shrink_to_fit();
    bucket(v);
  }
  void bucket(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    ++hist[bits >> 40];
  }
  bool exact() const { return hist.empty(); }
  LatencyStat stat() const {
    if (exact()) return stat_of(values, 1.0);
    LatencyStat s;
    s.mean = sum / count;
    s.std = std::sqrt(std::max(0.0, sum_sq / count - *s.mean * *s.mean));
    std::vector<std::pair<uint64_t, uint64_t>> b(hist.begin(), hist.end());
    std::sort(b.begin(), b.end());
    auto q = [&](double pct) {
      uint64_t target = static_cast<uint64_t>(std::ceil(pct / 100.0 * count));
      uint64_t acc = 0;
      for (auto& [k, n] : b) {
        acc += n;
        if (acc >= target) {
          uint64_t lo = k << 40, hi = ((k + 1) << 40) - 1;
          double a, z;
          std::memcpy(&a, &lo, sizeof a);
          std::memcpy(&z, &hi, sizeof z);
          return (a + z) / 2;
        }
      }
      return 0.0;
    };
    s.median = q(50);
    s.p90 = q(90);
    s.p99 = q(99);
    return s;
  }
};

struct Record {
  bool profiling = true, cancelled = false, error = false;
  int64_t start_ns = 0, end_ns = 0;
  std::optional<double> ttft, latency, itl, isl, osl;
};

// What one thread accumulates over its share of the lines.
struct Accum {
  std::vector<double> ttft, latency, itl;
  std::vector<RequestSample> requests;
  Pool icl;
  double sum_isl = 0, sum_osl = 0;
  size_t ok = 0, errored = 0, total = 0, skipped_phase = 0;
  int64_t min_start = std::numeric_limits<int64_t>::max(), max_end = std::numeric_limits<int64_t>::min();
  const char* error_at = nullptr;  // first malformed spot, with its message
  std::string error_what;

  void merge(Accum& o) {
    ttft.insert(ttft.end(), o.ttft.begin(), o.ttft.end());
    latency.insert(latency.end(), o.latency.begin(), o.latency.end());
    itl.insert(itl.end(), o.itl.begin(), o.itl.end());
    requests.insert(requests.end(), o.requests.begin(), o.requests.end());
    if (icl.exact() && o.icl.exact() && icl.values.size() + o.icl.values.size() <= kExactPoolLimit) {
      icl.values.insert(icl.values.end(), o.icl.values.begin(), o.icl.values.end());
      icl.count += o.icl.count;
      icl.sum += o.icl.sum;
      icl.sum_sq += o.icl.sum_sq;
    } else {
      for (double v : o.icl.values) icl.add(v);
    }
    for (auto& [k, n] : o.icl.hist) {
      // Histogram counts cannot be replayed as values; fold them in as buckets.
      if (icl.hist.empty()) {
        for (double x : icl.values) icl.bucket(x);
        icl.values.clear();
      }
      icl.hist[k] += n;
    }
    icl.count += o.icl.hist.empty() ? 0 : o.icl.count;
    sum_isl += o.sum_isl;
    sum_osl += o.sum_osl;
    ok += o.ok;
    errored += o.errored;
    total += o.total;
    skipped_phase += o.skipped_phase;
    min_start = std::min(min_start, o.min_start);
    max_end = std::max(max_end, o.max_end);
  }
};

Record scan_record(JsonScanner& s, std::vector<double>& icl_line) {
  Record r;
  std::string_view k;
  bool first = true;
  s.begin_object();
  while (s.next_key(k, first)) {
    if (k == "metadata") {
      bool f2 = true;
      s.begin_object();
      while (s.next_key(k, f2)) {
        if (k == "benchmark_phase") {
          if (s.peek() == '"') r.profiling = s.string() == "profiling";
          else s.skip_value();
        } else if (k == "was_cancelled") {
          if (s.peek() == 't' || s.peek() == 'f') r.cancelled = s.boolean();
          else s.skip_value();
        } else if (k == "request_start_ns" && s.peek() != 'n') {
          r.start_ns = s.integer();
        } else if (k == "request_end_ns" && s.peek() != 'n') {
          r.end_ns = s.integer();
        } else {
          s.skip_value();
        }
      }
    } else if (k == "metrics") {
      bool f2 = true;
      s.begin_object();
      while (s.next_key(k, f2)) {
        std::optional<double>* target = k == "time_to_first_token"       ? &r.ttft
                                        : k == "request_latency"         ? &r.latency
                                        : k == "inter_token_latency"     ? &r.itl
                                        : k == "input_sequence_length"   ? &r.isl
                                        : k == "output_sequence_length"  ? &r.osl
                                                                         : nullptr;
        bool is_icl = k == "inter_chunk_latency";
        if (!target && !is_icl) {
          s.skip_value();
          continue;
        }
        bool f3 = true;
        s.begin_object();
        std::string_view mk;
        while (s.next_key(mk, f3)) {
          if (mk != "value") {
            s.skip_value();
          } else if (is_icl && s.peek() == '[') {
            bool f4 = true;
            s.begin_array();
            while (s.next_element(f4)) icl_line.push_back(s.number());
          } else if (target && s.peek() != 'n' && s.peek() != '[') {
            *target = s.number();
          } else {
            s.skip_value();
          }
        }
      }
    } else if (k == "error") {
      r.error = !s.null_or_skip();
    } else {
      s.skip_value();
    }
  }
  if (!s.at_end()) throw JsonScanError{nullptr, "trailing characters after the record"};
  return r;
}

// Scans whole lines in [begin, end); records the first malformed spot instead
// of throwing, so it can run on a worker thread.
void scan_lines(const char* begin, const char* end, Accum& a) {
  std::vector<double> icl_line;
  const char* line = begin;
  while (line < end) {
    const char* nl = static_cast<const char*>(std::memchr(line, '\n', end - line));
    const char* le = nl ? nl : end;
    JsonScanner s(line, le);
    if (s.at_end()) {
      line = le + 1;
      continue;
    }
    icl_line.clear();
    Record r;
    try {
      r = scan_record(s, icl_line);
    } catch (const JsonScanError& e) {
      a.error_at = e.where ? e.where : line;
      a.error_what = e.what;
      return;
    }
    ++a.total;
    if (!r.profiling) {
      ++a.skipped_phase;
    } else {
      if (r.start_ns) a.min_start = std::min(a.min_start, r.start_ns);
      if (r.end_ns) a.max_end = std::max(a.max_end, r.end_ns);
      if (r.error || r.cancelled || !r.ttft || !std::isfinite(*r.ttft)) {
        ++a.errored;
      } else {
        ++a.ok;
        a.ttft.push_back(*r.ttft);
        if (r.latency) a.latency.push_back(*r.latency);
        if (r.itl) a.itl.push_back(*r.itl);
        if (r.isl) a.sum_isl += *r.isl;
        if (r.osl) a.sum_osl += *r.osl;
        RequestSample sample;
        sample.ttft_ms = *r.ttft;
        if (r.itl && std::isfinite(*r.itl)) sample.tpot_ms = *r.itl;  // AIPerf's inter_token_latency is TPOT per request
        if (r.latency && std::isfinite(*r.latency)) sample.e2el_ms = *r.latency;
        if (r.osl && std::isfinite(*r.osl)) sample.output_tokens = *r.osl;
        a.requests.push_back(sample);
        for (double v : icl_line) a.icl.add(v);
      }
    }
    line = le + 1;
  }
}

// One record is a few kB (a 200-gap inter-chunk array); a line past this is
// not a record, and holding it would unbound the streamed reader's memory.
constexpr size_t kMaxRecordLineBytes = 64u << 20;

long newlines(const char* b, const char* e) { return static_cast<long>(std::count(b, e, '\n')); }

// Folds whole lines into one Accum, a chunk at a time, so a file of any size
// is read in bounded memory (the streamed path) or in place (a text in memory).
// A chunk above 8 MiB is split at a line boundary and scanned on two threads.
class RecordsReader {
 public:
  explicit RecordsReader(std::string path) : path_(std::move(path)) {}

  void feed(const char* begin, const char* end) {
    const char* mid = end;
    if (end - begin > (8 << 20)) {
      const char* half = begin + (end - begin) / 2;
      const char* nl = static_cast<const char*>(std::memchr(half, '\n', end - half));
      if (nl) mid = nl + 1;
    }
    Accum a, b;
    std::thread worker;
    if (mid < end) worker = std::thread([&] { scan_lines(mid, end, b); });
    scan_lines(begin, mid, a);
    if (worker.joinable()) worker.join();
    for (Accum* part : {&a, &b})
      if (part->error_at)
        throw_input(path_, fmt::format("malformed AIPerf record ({})", part->error_what),
                    lines_before_ + 1 + newlines(begin, part->error_at));
    lines_before_ += newlines(begin, end);
    total_.merge(a);
    total_.merge(b);
  }

  RunResult finish();
  long lines_read() const { return lines_before_; }

 private:
  std::string path_;
  long lines_before_ = 0;
  Accum total_;
};

RunResult RecordsReader::finish() {
  Accum& a = total_;
  if (a.total == 0) throw_input(path_, "empty file; expected AIPerf per-request records");
  RunResult r;
  r.file = path_;
  r.format = "aiperf-profile-export-jsonl";
  r.format_version = "records";
  r.backend = "aiperf";
  r.has_per_request_arrays = true;
  r.requests = std::move(a.requests);
  r.completed = static_cast<double>(a.ok);
  r.failed = static_cast<double>(a.errored);
  r.ttft = stat_of(std::move(a.ttft), 1.0);
  r.tpot = stat_of(std::move(a.itl), 1.0);
  double lat_sum = 0;
  for (double v : a.latency) lat_sum += v;
  r.e2el = stat_of(std::move(a.latency), 1.0);
  r.itl = a.icl.stat();
  if (!a.icl.exact())
    r.warn("approximate_percentiles", fmt::format("{} inter-chunk gaps: ITL percentiles from a 2^-12 log histogram", a.icl.count));
  if (a.max_end > a.min_start) {
    double dur = (a.max_end - a.min_start) / 1e9;
    r.duration_s = dur;
    r.request_throughput = a.ok / dur;
    r.output_throughput = a.sum_osl / dur;
    r.total_token_throughput = (a.sum_isl + a.sum_osl) / dur;
    r.measured_concurrency = lat_sum / 1000.0 / dur;
    r.native["min_request_start_ns"] = a.min_start;
    r.native["max_request_end_ns"] = a.max_end;
  }
  r.total_input_tokens = a.sum_isl;
  r.total_output_tokens = a.sum_osl;
  r.native["records_total"] = a.total;
  r.native["records_non_profiling"] = a.skipped_phase;
  r.warn("no_concurrency", "per-request records carry no concurrency setting; import profile_export_aiperf.json with them");
  return r;
}

}  // namespace

std::vector<RunResult> parse_aiperf_jsonl(const FileView& f) {
  RecordsReader reader(f.path);
  reader.feed(f.text.data(), f.text.data() + f.text.size());
  return {reader.finish()};
}

std::vector<RunResult> parse_aiperf_jsonl_file(const std::filesystem::path& file, const std::string& shown,
                                               size_t chunk_bytes) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rb"), std::fclose);
  if (!in) throw_io(shown, std::string("cannot open file: ") + std::strerror(errno));
  RecordsReader reader(shown);
  std::string buf;
  size_t carried = 0;  // an unfinished last line, moved to the front
  bool first = true;
  for (;;) {
    buf.resize(carried + chunk_bytes);
    size_t got = std::fread(buf.data() + carried, 1, chunk_bytes, in.get());
    if (std::ferror(in.get())) throw_io(shown, "read error");
    size_t have = carried + got;
    size_t skip = first && std::string_view(buf.data(), have).substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    first = false;
    bool eof = got < chunk_bytes;
    std::string_view data(buf.data() + skip, have - skip);
    size_t cut = eof ? data.size() : data.rfind('\n') + 1;  // npos + 1 == 0: no full line yet
    if (cut > 0) reader.feed(data.data(), data.data() + cut);
    carried = data.size() - cut;
    if (carried > kMaxRecordLineBytes)
      throw_input(shown, fmt::format("a record longer than {} MiB (no line break); expected one JSON record per line",
                                     kMaxRecordLineBytes >> 20), reader.lines_read() + 1);
    std::memmove(buf.data(), data.data() + cut, carried);
    if (eof) break;
  }
  return {reader.finish()};
}

}  // namespace ptr
