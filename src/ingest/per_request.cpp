#include "ingest/per_request.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "util/json_lenient.hpp"
#include "util/stats.hpp"

namespace ptr {

LatencyStat stat_of(std::vector<double> values, double scale) {
  LatencyStat s;
  if (values.empty()) return s;
  auto sc = [&](std::optional<double> v) -> std::optional<double> {
    if (!v) return v;
    return *v * scale;
  };
  auto m = stats::mean(values);
  s.mean = sc(m);
  s.std = sc(stats::population_stdev(values, m));
  // Selection instead of a full sort: millions of pooled ITL gaps are common.
  s.median = sc(stats::percentile_select(values, 50));
  s.p90 = sc(stats::percentile_select(values, 90));
  s.p99 = sc(stats::percentile_select(values, 99));
  return s;
}

LatencyStat stat_from_keys(const json& o, const std::string& m, const std::string& file) {
  LatencyStat s;
  s.mean = number_at(o, "mean_" + m + "_ms", file);
  s.median = number_at(o, "median_" + m + "_ms", file);
  s.p90 = number_at(o, "p90_" + m + "_ms", file);
  s.p99 = number_at(o, "p99_" + m + "_ms", file);
  s.std = number_at(o, "std_" + m + "_ms", file);
  return s;
}

// The file's own statistic wins; arrays only fill what it lacks. Where both
// exist and differ by more than 1 %, the file's value is kept and the
// difference is named (the arrays may cover other requests than the file's
// statistic, e.g. only those that produced output).
static void keep_file_stats(const char* metric, LatencyStat& have, const LatencyStat& computed, RunResult& r) {
  auto one = [&](const char* stat, std::optional<double> LatencyStat::*f) {
    const auto& file_v = have.*f;
    const auto& ours = computed.*f;
    if (!file_v) {
      have.*f = ours;
      return;
    }
    if (!ours || !std::isfinite(*file_v)) return;
    if (std::fabs(*file_v - *ours) > 0.01 * std::max(std::fabs(*file_v), 1e-9))
      r.warn("file_stat_differs_from_arrays",
             fmt::format("{} {} (ms): the file says {:.6g}, its per-request arrays give {:.6g}; kept the file's value",
                         stat, metric, *file_v, *ours));
  };
  one("mean", &LatencyStat::mean);
  one("median", &LatencyStat::median);
  one("p90", &LatencyStat::p90);
  one("p99", &LatencyStat::p99);
  one("std", &LatencyStat::std);
}

void fill_from_per_request_arrays(const json& obj, RunResult& r, const std::string& file) {
  auto arr = [&](const char* k) -> const json* {
    auto it = obj.find(k);
    return (it != obj.end() && it->is_array()) ? &*it : nullptr;
  };
  const json* ttfts = arr("ttfts");
  const json* itls = arr("itls");
  const json* out_lens = arr("output_lens");
  const json* errors = arr("errors");
  const json* latencies = arr("latencies");
  if (!ttfts) return;
  r.has_per_request_arrays = true;
  size_t n = ttfts->size();
  auto ok = [&](size_t i) {
    if (errors && i < errors->size()) {
      const auto& e = (*errors)[i];
      if (e.is_string() && !e.get_ref<const std::string&>().empty()) return false;
      if (!e.is_null() && !e.is_string()) return false;
    }
    if (out_lens && i < out_lens->size() && (*out_lens)[i].is_number() && (*out_lens)[i].get<double>() <= 0)
      return false;
    return true;
  };
  std::vector<double> ttft_s, tpot_s, itl_s, e2el_s;
  r.requests.clear();
  r.requests.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (!ok(i)) continue;
    auto t = as_number((*ttfts)[i], file, "ttfts");
    if (!t) continue;
    ttft_s.push_back(*t);
    RequestSample sample;
    sample.ttft_ms = *t * 1000;
    double itl_sum = 0;
    if (itls && i < itls->size() && (*itls)[i].is_array()) {
      for (const auto& g : (*itls)[i]) {
        auto v = as_number(g, file, "itls");
        if (v) {
          itl_s.push_back(*v);
          itl_sum += *v;
        }
      }
    }
    // vLLM's latency is the last chunk's time minus the start, which is
    // ttft + sum(itls) when the file carries no latencies array.
    std::optional<double> latency;
    if (latencies && i < latencies->size()) latency = as_number((*latencies)[i], file, "latencies");
    else if (itls) latency = *t + itl_sum;
    if (latency) {
      e2el_s.push_back(*latency);
      sample.e2el_ms = *latency * 1000;
    }
    if (out_lens && i < out_lens->size()) {
      auto ol = as_number((*out_lens)[i], file, "output_lens");
      if (ol) sample.output_tokens = *ol;
      if (latency && ol && *ol > 1) {
        tpot_s.push_back((*latency - *t) / (*ol - 1));
        sample.tpot_ms = tpot_s.back() * 1000;
      }
    }
    r.requests.push_back(sample);
  }
  LatencyStat ttft = stat_of(ttft_s, 1000), tpot = stat_of(tpot_s, 1000), itl = stat_of(itl_s, 1000),
              e2el = stat_of(e2el_s, 1000);
  keep_file_stats("TTFT", r.ttft, ttft, r);
  keep_file_stats("TPOT", r.tpot, tpot, r);
  keep_file_stats("ITL", r.itl, itl, r);
  keep_file_stats("E2EL", r.e2el, e2el, r);
}

}  // namespace ptr
