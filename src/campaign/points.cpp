#include "campaign/points.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "util/error.hpp"
#include "util/stats.hpp"

namespace ptr {

namespace {

std::string opt_text(const std::optional<std::string>& s) { return s ? *s : "?"; }
std::string opt_text(const std::optional<double>& v) { return v ? fmt::format("{:.17g}", *v) : "?"; }
std::string opt_text(const std::optional<long>& v) { return v ? std::to_string(*v) : "?"; }

// Everything that must be equal for two runs to be trials of one point
// (the near-equal quantities are compared afterwards, see same_workload).
std::string trial_key(const RunResult& r, size_t index) {
  if (!r.max_concurrency && !r.request_rate) return fmt::format("#unmerged-{}", index);  // never merged
  return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", opt_text(r.max_concurrency), opt_text(r.request_rate),
                     opt_text(r.model_id), opt_text(r.api_backend), opt_text(r.endpoint_type), opt_text(r.tokenizer_id),
                     opt_text(r.dataset), opt_text(r.configured_input_len), opt_text(r.configured_output_len),
                     r.params.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::optional<double> per_request(const std::optional<double>& total, const std::optional<double>& completed) {
  if (!total || !completed || *completed <= 0) return std::nullopt;
  return *total / *completed;
}

bool close(const std::optional<double>& a, const std::optional<double>& b, double rel) {
  if (!a || !b) return true;  // unknown: cannot tell them apart
  return std::fabs(*a - *b) <= rel * std::max(std::fabs(*a), std::fabs(*b));
}

// Prompt count and measured input/output lengths within 10 %.
bool same_workload(const RunResult& a, const RunResult& b) {
  return close(a.num_prompts, b.num_prompts, 0.10) &&
         close(per_request(a.total_input_tokens, a.completed), per_request(b.total_input_tokens, b.completed), 0.10) &&
         close(per_request(a.total_output_tokens, a.completed), per_request(b.total_output_tokens, b.completed), 0.10);
}

std::optional<double> mean_of(const std::vector<const RunResult*>& runs, std::optional<double> (*get)(const RunResult&)) {
  std::vector<double> xs;
  for (const auto* r : runs)
    if (auto v = get(*r); v && std::isfinite(*v)) xs.push_back(*v);
  return stats::mean(xs);
}

std::optional<double> spread_of(const std::vector<const RunResult*>& runs, std::optional<double> (*get)(const RunResult&)) {
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

// The steady-window rule, for every backend alike: requests sent (num_prompts,
// else the config's, else completed + failed) below 2 x concurrency.
std::optional<bool> undercounted(const RunResult& r, const PointRules& rules) {
  if (!r.max_concurrency) return false;  // rate-driven: no concurrency to fill
  std::optional<double> n = r.num_prompts;
  if (!n && rules.configured_num_prompts) n = static_cast<double>(*rules.configured_num_prompts);
  if (!n && r.completed) n = *r.completed + r.failed.value_or(0);
  if (!n) return std::nullopt;
  return *n < 2.0 * *r.max_concurrency;
}

Point make_point(const std::vector<const RunResult*>& all, std::optional<long> gpus, const PointRules& rules,
                 Warnings& warnings) {
  Point p;
  p.concurrency = all.front()->max_concurrency;
  p.request_rate = all.front()->request_rate;
  p.trials = static_cast<long>(all.size());
  std::vector<const RunResult*> ok, measured;
  double completed = 0, failed = 0, prompts = 0;
  bool failed_known = false, prompts_known = true, any_run_failed = false, undercount_unknown = false;
  for (const auto* r : all) {
    p.source.push_back({r->file, r->format, r->format_version, r->line, r->run_number});
    for (auto w : r->warnings) {
      if (!w.concurrency) w.concurrency = p.concurrency;
      add_warning(warnings, std::move(w));
    }
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
    measured.push_back(r);
    if (r->error && !p.error) p.error = r->error;
    completed += r->completed.value_or(0);
    if (r->failed) {
      failed += *r->failed;
      failed_known = true;
    }
    if (r->completed && *r->completed > 0) ok.push_back(r);
    auto u = undercounted(*r, rules);
    if (u && *u) p.steady_window_undercount = true;
    else if (!u) undercount_unknown = true;
  }
  if (!p.steady_window_undercount && !measured.empty() && !undercount_unknown) p.steady_window_undercount = false;
  p.completed = static_cast<long>(std::llround(completed));
  if (failed_known) p.failed = static_cast<long>(std::llround(failed));
  if (prompts_known) p.num_prompts = static_cast<long>(std::llround(prompts));
  if (ok.empty()) {
    p.status = "failed";
    if (!p.error) p.error = "no request completed";
  } else if (any_run_failed || (p.failed && *p.failed > 0) || (p.num_prompts && *p.num_prompts > *p.completed)) {
    p.status = "partial";
  }
  if (p.steady_window_undercount.value_or(false))
    add_warning(warnings, {"undercount",
                           fmt::format("fewer than 2 x concurrency ({}) requests: ramp-up and drain dominate the window; "
                                       "throughput is undercounted (~1.6-1.8x)", *p.concurrency),
                           {}, {}, {}, "re-run with num_prompts >= 2 x concurrency", p.concurrency});
  // An all-failed run still measured how long it took.
  p.duration_s = mean_of(ok.empty() ? measured : ok, [](const RunResult& r) { return r.duration_s; });
  if (!ok.empty()) {
    p.request_throughput_rps = mean_of(ok, [](const RunResult& r) { return r.request_throughput; });
    p.output_tok_s = mean_of(ok, [](const RunResult& r) { return r.output_throughput; });
    p.total_tok_s = mean_of(ok, [](const RunResult& r) { return r.total_token_throughput; });
    p.measured_concurrency = mean_of(ok, [](const RunResult& r) { return r.measured_concurrency; });
    p.ttft_ms = mean_stat(ok, &RunResult::ttft);
    p.tpot_ms = mean_stat(ok, &RunResult::tpot);
    p.itl_ms = mean_stat(ok, &RunResult::itl);
    p.e2el_ms = mean_stat(ok, &RunResult::e2el);
    p.mean_input_tokens = mean_of(ok, [](const RunResult& r) { return per_request(r.total_input_tokens, r.completed); });
    p.mean_output_tokens = mean_of(ok, [](const RunResult& r) { return per_request(r.total_output_tokens, r.completed); });
    if (p.output_tok_s && gpus && *gpus > 0) p.output_tok_s_per_gpu = *p.output_tok_s / *gpus;
    if (p.output_tok_s && p.concurrency && *p.concurrency > 0) p.tok_s_per_user = *p.output_tok_s / *p.concurrency;
    if (p.tpot_ms.mean && *p.tpot_ms.mean > 0) p.interactivity_tok_s = 1000.0 / *p.tpot_ms.mean;
  }
  if (all.size() == 1 && all.front()->reported_trials) {
    // The file already averaged its trials (AIPerf sweep aggregate): keep its count and spread.
    p.trials = *all.front()->reported_trials;
    p.spread = all.front()->reported_spread;
    return p;
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
  // Several runs of one document merged as trials: the document may hold
  // different deployments that its numbers cannot tell apart.
  std::map<std::string, long> per_document;
  for (const auto* r : all)
    if (r->from_multi_run_document) ++per_document[r->file];
  for (const auto& [file, n] : per_document)
    if (n > 1)
      add_warning(warnings, {"trials_from_one_document",
                             fmt::format("{} runs found in this one document were merged as trials of one point; "
                                         "check they measured the same deployment",
                                         n),
                             {}, file, {}, "split the document per deployment if they did not", p.concurrency});
  return p;
}

}  // namespace

void check_runs_fit_one_cell(const std::vector<RunResult>& runs, const std::string& cell, bool allow_mixed_models,
                             Warnings& warnings) {
  struct Key {
    const char* name;
    std::optional<std::string> (*get)(const RunResult&);
  };
  static const Key keys[] = {
      {"sweep output folder", [](const RunResult& r) { return r.arm.empty() ? std::nullopt : std::optional(r.arm); }},
      {"model", [](const RunResult& r) { return r.model_id; }},
      {"client backend", [](const RunResult& r) { return r.api_backend; }},
      {"endpoint type", [](const RunResult& r) { return r.endpoint_type; }},
      {"tokenizer", [](const RunResult& r) { return r.tokenizer_id; }},
  };
  for (const auto& k : keys) {
    const RunResult* first = nullptr;
    for (const auto& r : runs) {
      if (r.run_failed) continue;  // a failure record measured nothing
      auto v = k.get(r);
      if (!v) continue;
      if (!first) {
        first = &r;
        continue;
      }
      auto f = k.get(*first);
      if (*f == *v) continue;
      std::string what = fmt::format("{} holds runs with different {}: {} ({} = {}) and {} ({} = {})", cell, k.name,
                                     first->file, k.name, *f, r.file, k.name, *v);
      bool model_like = std::string(k.name) == "model" || std::string(k.name) == "tokenizer";
      if (model_like && allow_mixed_models) {
        add_warning(warnings, {"mixed_models", what + "; kept as separate points (--allow-mixed-models)", cell, r.file,
                               k.name, {}, {}});
        break;
      }
      std::string hint = std::string(k.name) == "sweep output folder"
                             ? "import each arm into its own cell (an A/B bundle: import_variant_ab)"
                         : std::string(k.name) == "model"
                             ? "import each model into its own cell, or pass --allow-mixed-models"
                             : "import each into its own cell";
      throw Error(ErrorKind::input, "one cell cannot hold these runs: " + what, first->file, -1, k.name, hint);
    }
  }
}

std::vector<Point> build_points(const std::vector<RunResult>& runs, std::optional<long> gpus, const PointRules& rules,
                                Warnings& warnings) {
  // Exact identity first, then the near-equal workload within each group.
  std::map<std::string, std::vector<const RunResult*>> groups;
  std::vector<const RunResult*> failures;
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunResult& r = runs[i];
    if (r.run_failed) failures.push_back(&r);
    else groups[trial_key(r, i)].push_back(&r);
  }
  std::vector<std::vector<const RunResult*>> clusters;
  for (const auto& [key, members] : groups) {
    std::vector<std::vector<const RunResult*>> local;
    for (const RunResult* r : members) {
      auto c = std::find_if(local.begin(), local.end(), [&](const auto& cl) { return same_workload(*cl.front(), *r); });
      if (c == local.end()) local.push_back({r});
      else c->push_back(r);
    }
    for (auto& c : local) clusters.push_back(std::move(c));
  }
  // A failure record (it measured nothing) is a failed trial of the point at
  // its concurrency and rate; with no such point it is a failed point alone.
  for (const RunResult* f : failures) {
    auto match = std::find_if(clusters.begin(), clusters.end(), [&](const auto& cl) {
      const RunResult& m = *cl.front();
      return !m.run_failed && f->max_concurrency && m.max_concurrency == f->max_concurrency &&
             (!f->request_rate || !m.request_rate || *f->request_rate == *m.request_rate) &&
             close(f->num_prompts, m.num_prompts, 0.10);
    });
    if (match != clusters.end()) match->push_back(f);
    else {
      auto same = std::find_if(clusters.begin(), clusters.end(), [&](const auto& cl) {
        return cl.front()->run_failed && cl.front()->max_concurrency == f->max_concurrency && f->max_concurrency;
      });
      if (same != clusters.end()) same->push_back(f);
      else clusters.push_back({f});
    }
  }
  std::sort(clusters.begin(), clusters.end(), [](const auto& a, const auto& b) {
    auto ka = std::make_tuple(a.front()->max_concurrency.value_or(-1), a.front()->request_rate.value_or(-1.0), a.front()->file);
    auto kb = std::make_tuple(b.front()->max_concurrency.value_or(-1), b.front()->request_rate.value_or(-1.0), b.front()->file);
    return ka < kb;
  });
  std::vector<Point> points;
  for (const auto& all : clusters) points.push_back(make_point(all, gpus, rules, warnings));
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

void add_to_coverage(Coverage& cov, const AtlasCell& cell) {
  if (is_roofline_sweep(cell)) return;
  ++cov.cells;
  if (cell.status == "full") ++cov.full;
  else if (cell.status == "partial") ++cov.partial;
  else ++cov.failed;
  for (const auto& p : cell.points) {
    if (plot_ready(p)) ++cov.plot_ready_points;
    if (rate_only(p)) ++cov.rate_only_points;
  }
}

std::string Coverage::line() const {
  return fmt::format("Coverage: {} atlas cells | {} full sweeps | {} partial sweeps | {} failed cells | {} plot-ready "
                     "concurrency points",
                     cells, full, partial, failed, plot_ready_points);
}

json Coverage::to_json() const {
  return {{"atlas_cells", cells}, {"full_sweeps", full},   {"partial_sweeps", partial}, {"failed_cells", failed},
          {"plot_ready_points", plot_ready_points},       {"request_rate_points", rate_only_points}, {"line", line()}};
}

}  // namespace ptr
