#include "campaign/points.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

#include "util/stats.hpp"

namespace ptr {

namespace {

struct GroupKey {
  long concurrency;  // -1 when rate-driven
  double rate;       // NaN sorts last; only used when concurrency is -1
  std::string params;
  bool operator<(const GroupKey& o) const {
    if (concurrency != o.concurrency) return concurrency < o.concurrency;
    if (rate != o.rate) return rate < o.rate;
    return params < o.params;
  }
};

std::optional<double> mean_of(const std::vector<const RunResult*>& runs,
                              std::optional<double> (*get)(const RunResult&)) {
  std::vector<double> xs;
  for (const auto* r : runs)
    if (auto v = get(*r); v && std::isfinite(*v)) xs.push_back(*v);
  return stats::mean(xs);
}

std::optional<double> spread_of(const std::vector<const RunResult*>& runs,
                                std::optional<double> (*get)(const RunResult&)) {
  std::vector<double> xs;
  for (const auto* r : runs)
    if (auto v = get(*r); v && std::isfinite(*v)) xs.push_back(*v);
  return stats::sample_stdev(xs);
}

LatencyStat mean_stat(const std::vector<const RunResult*>& runs, LatencyStat RunResult::*m) {
  LatencyStat s;
  auto avg = [&](std::optional<double> LatencyStat::*f) {
    std::vector<double> xs;
    for (const auto* r : runs)
      if (auto v = (r->*m).*f; v && std::isfinite(*v)) xs.push_back(*v);
    return stats::mean(xs);
  };
  s.mean = avg(&LatencyStat::mean);
  s.median = avg(&LatencyStat::median);
  s.p90 = avg(&LatencyStat::p90);
  s.p99 = avg(&LatencyStat::p99);
  s.std = avg(&LatencyStat::std);
  return s;
}

json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::optional<double> per_request(const std::optional<double>& total, const std::optional<double>& completed) {
  if (!total || !completed || *completed <= 0) return std::nullopt;
  return *total / *completed;
}

bool close(const std::optional<double>& a, const std::optional<double>& b, double rel) {
  if (!a || !b) return true;  // unknown: cannot tell them apart
  return std::fabs(*a - *b) <= rel * std::max(std::fabs(*a), std::fabs(*b));
}

// Same prompt count and actual input/output lengths within 10%.
bool same_workload(const RunResult& a, const RunResult& b) {
  if (a.run_failed || b.run_failed) return true;
  if (a.num_prompts && b.num_prompts && *a.num_prompts != *b.num_prompts) return false;
  return close(per_request(a.total_input_tokens, a.completed), per_request(b.total_input_tokens, b.completed), 0.10) &&
         close(per_request(a.total_output_tokens, a.completed), per_request(b.total_output_tokens, b.completed), 0.10);
}

}  // namespace

std::vector<Point> build_points(const std::vector<RunResult>& runs, std::optional<long> gpus) {
  std::map<GroupKey, std::vector<const RunResult*>> groups;
  for (const auto& r : runs) {
    GroupKey k{r.max_concurrency.value_or(-1),
               r.max_concurrency ? 0.0 : r.request_rate.value_or(std::nan("")), r.params.dump()};
    if (std::isnan(k.rate)) k.rate = -1;
    groups[k].push_back(&r);
  }
  // Runs at one concurrency are trials of one point only if they ran the same
  // workload: a folder mixing ISL 1024 and 15000 results must not average them.
  std::vector<std::vector<const RunResult*>> clusters;
  for (const auto& [key, members] : groups) {
    std::vector<std::vector<const RunResult*>> local;
    for (const RunResult* r : members) {
      bool placed = false;
      for (auto& c : local)
        if (same_workload(*c.front(), *r)) {
          c.push_back(r);
          placed = true;
          break;
        }
      if (!placed) local.push_back({r});
    }
    for (auto& c : local) clusters.push_back(std::move(c));
  }
  std::vector<Point> points;
  for (const auto& all : clusters) {
    Point p;
    p.concurrency = all.front()->max_concurrency;
    p.request_rate = all.front()->request_rate;
    p.trials = static_cast<long>(all.size());
    std::vector<const RunResult*> ok;
    double completed = 0, failed = 0, prompts = 0;
    bool failed_known = false, prompts_known = true, any_run_failed = false;
    for (const auto* r : all) {
      PointSource src{r->file, r->format, r->format_version, r->line, r->run_number};
      p.source.push_back(src);
      for (const auto& w : r->warnings)
        if (std::find(p.warnings.begin(), p.warnings.end(), w) == p.warnings.end()) p.warnings.push_back(w);
      if (r->num_prompts) prompts += *r->num_prompts;
      else prompts_known = false;
      if (r->run_failed) {
        any_run_failed = true;
        if (r->num_prompts) {
          failed += *r->num_prompts;
          failed_known = true;
        }
        if (!p.error) p.error = r->error;
        continue;
      }
      if (r->error && !p.error) p.error = r->error;
      completed += r->completed.value_or(0);
      if (r->failed) {
        failed += *r->failed;
        failed_known = true;
      }
      if (r->completed && *r->completed > 0) ok.push_back(r);
      if (r->num_prompts && r->max_concurrency && *r->num_prompts < 2.0 * *r->max_concurrency)
        p.steady_window_undercount = true;
    }
    p.completed = static_cast<long>(std::llround(completed));
    if (failed_known) p.failed = static_cast<long>(std::llround(failed));
    if (prompts_known) p.num_prompts = static_cast<long>(std::llround(prompts));
    if (ok.empty()) {
      p.status = "failed";
      if (!p.error) p.error = "no request completed";
    } else if (any_run_failed || (p.failed && *p.failed > 0) || (p.num_prompts && *p.num_prompts > *p.completed)) {
      p.status = "partial";
    }
    if (p.steady_window_undercount)
      p.warnings.push_back(fmt::format("num_prompts < 2 x concurrency ({}): ramp-up and drain dominate the window; "
                                       "throughput is undercounted (~1.6-1.8x)", *p.concurrency));
    if (!ok.empty()) {
      p.duration_s = mean_of(ok, [](const RunResult& r) { return r.duration_s; });
      p.request_throughput_rps = mean_of(ok, [](const RunResult& r) { return r.request_throughput; });
      p.output_tok_s = mean_of(ok, [](const RunResult& r) { return r.output_throughput; });
      p.total_tok_s = mean_of(ok, [](const RunResult& r) { return r.total_token_throughput; });
      p.measured_concurrency = mean_of(ok, [](const RunResult& r) { return r.measured_concurrency; });
      p.ttft_ms = mean_stat(ok, &RunResult::ttft);
      p.tpot_ms = mean_stat(ok, &RunResult::tpot);
      p.itl_ms = mean_stat(ok, &RunResult::itl);
      p.e2el_ms = mean_stat(ok, &RunResult::e2el);
      p.mean_input_tokens = mean_of(ok, [](const RunResult& r) -> std::optional<double> {
        if (!r.total_input_tokens || !r.completed || *r.completed <= 0) return std::nullopt;
        return *r.total_input_tokens / *r.completed;
      });
      p.mean_output_tokens = mean_of(ok, [](const RunResult& r) -> std::optional<double> {
        if (!r.total_output_tokens || !r.completed || *r.completed <= 0) return std::nullopt;
        return *r.total_output_tokens / *r.completed;
      });
      if (p.output_tok_s && gpus && *gpus > 0) p.output_tok_s_per_gpu = *p.output_tok_s / *gpus;
      if (p.output_tok_s && p.concurrency && *p.concurrency > 0) p.tok_s_per_user = *p.output_tok_s / *p.concurrency;
      if (p.tpot_ms.mean && *p.tpot_ms.mean > 0) p.interactivity_tok_s = 1000.0 / *p.tpot_ms.mean;
    }
    p.spread = {
        {"n", ok.size()},
        {"output_tok_s", opt(spread_of(ok, [](const RunResult& r) { return r.output_throughput; }))},
        {"request_throughput_rps", opt(spread_of(ok, [](const RunResult& r) { return r.request_throughput; }))},
        {"ttft_ms_mean", opt(spread_of(ok, [](const RunResult& r) { return r.ttft.mean; }))},
        {"tpot_ms_mean", opt(spread_of(ok, [](const RunResult& r) { return r.tpot.mean; }))},
        {"itl_ms_mean", opt(spread_of(ok, [](const RunResult& r) { return r.itl.mean; }))},
        {"e2el_ms_mean", opt(spread_of(ok, [](const RunResult& r) { return r.e2el.mean; }))},
    };
    points.push_back(std::move(p));
  }
  return points;
}

std::string cell_status(const std::vector<Point>& points, const std::vector<long>& requested) {
  bool any_completed = false, all_ok = !points.empty();
  for (const auto& p : points) {
    if (p.status != "failed") any_completed = true;
    if (p.status != "ok") all_ok = false;
  }
  if (!any_completed) return "failed";
  for (long c : requested) {
    bool found = false;
    for (const auto& p : points)
      if (p.concurrency == c && p.status == "ok") found = true;
    if (!found) return "partial";
  }
  return all_ok ? "full" : "partial";
}

bool plot_ready(const Point& p) { return p.concurrency && p.status != "failed" && p.output_tok_s; }

void add_to_coverage(Coverage& cov, const AtlasCell& cell) {
  ++cov.cells;
  if (cell.status == "full") ++cov.full;
  else if (cell.status == "partial") ++cov.partial;
  else ++cov.failed;
  for (const auto& p : cell.points)
    if (plot_ready(p)) ++cov.plot_ready_points;
}

std::string Coverage::line() const {
  return fmt::format("Coverage: {} atlas cells | {} full sweeps | {} partial sweeps | {} failed cells | {} plot-ready "
                     "concurrency points",
                     cells, full, partial, failed, plot_ready_points);
}

json Coverage::to_json() const {
  return {{"atlas_cells", cells}, {"full_sweeps", full}, {"partial_sweeps", partial}, {"failed_cells", failed},
          {"plot_ready_points", plot_ready_points}, {"line", line()}};
}

}  // namespace ptr
