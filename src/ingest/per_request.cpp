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

void fill_missing(LatencyStat& have, const LatencyStat& computed) {
  if (!have.mean) have.mean = computed.mean;
  if (!have.median) have.median = computed.median;
  if (!have.p90) have.p90 = computed.p90;
  if (!have.p99) have.p99 = computed.p99;
  if (!have.std) have.std = computed.std;
}

static void check_agrees(const char* name, const std::optional<double>& file_v, const std::optional<double>& ours,
                         RunResult& r) {
  if (!file_v || !ours || !std::isfinite(*file_v)) return;
  double tol = 1e-6 * std::max(1.0, std::fabs(*file_v));
  if (std::fabs(*file_v - *ours) > tol)
    r.warnings.push_back(fmt::format("{}: file says {} but its per-request arrays give {}; kept the file's value",
                                     name, *file_v, *ours));
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
  for (size_t i = 0; i < n; ++i) {
    if (!ok(i)) continue;
    auto t = as_number((*ttfts)[i], file, "ttfts");
    if (!t) continue;
    ttft_s.push_back(*t);
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
    if (latency) e2el_s.push_back(*latency);
    if (latency && out_lens && i < out_lens->size()) {
      auto ol = as_number((*out_lens)[i], file, "output_lens");
      if (ol && *ol > 1) tpot_s.push_back((*latency - *t) / (*ol - 1));
    }
  }
  LatencyStat ttft = stat_of(ttft_s, 1000), tpot = stat_of(tpot_s, 1000), itl = stat_of(itl_s, 1000),
              e2el = stat_of(e2el_s, 1000);
  check_agrees("mean TTFT (ms)", r.ttft.mean, ttft.mean, r);
  check_agrees("p99 TTFT (ms)", r.ttft.p99, ttft.p99, r);
  check_agrees("mean ITL (ms)", r.itl.mean, itl.mean, r);
  fill_missing(r.ttft, ttft);
  fill_missing(r.tpot, tpot);
  fill_missing(r.itl, itl);
  fill_missing(r.e2el, e2el);
}

}  // namespace ptr
