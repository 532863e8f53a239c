#include "analysis/baseline_diff.hpp"

#include <cmath>
#include <fmt/format.h>

#include "analysis/point_quality.hpp"
#include "analysis/significance.hpp"
#include "model/identity.hpp"

namespace ptr {

using json = nlohmann::json;

namespace {

struct Metric {
  const char* name;
  bool higher_better;
  std::optional<double> (*value)(const Point&);
  const char* spread_key;  // trial std in Point::spread, when kept
  double spread_scale_by_gpus;
};

const std::vector<Metric>& metrics() {
  static const std::vector<Metric> m = {
      {"output_tok_s_per_gpu", true, [](const Point& p) { return p.output_tok_s_per_gpu; }, "output_tok_s", 1},
      {"ttft_ms_mean", false, [](const Point& p) { return p.ttft_ms.mean; }, "ttft_ms_mean", 0},
      {"tpot_ms_mean", false, [](const Point& p) { return p.tpot_ms.mean; }, "tpot_ms_mean", 0},
  };
  return m;
}

std::optional<double> sd_of(const AtlasCell& c, const Point& p, const Metric& m) {
  auto s = spread_of(p, m.spread_key);
  if (!s) return std::nullopt;
  if (m.spread_scale_by_gpus > 0) {
    if (!c.gpus || *c.gpus <= 0) return std::nullopt;
    return *s / static_cast<double>(*c.gpus);
  }
  return s;
}

}  // namespace

DiffResult diff_campaigns(const std::vector<AtlasCell>& fresh, const std::vector<AtlasCell>& baseline, const DiffConfig& cfg) {
  DiffResult r;
  for (const auto& n : fresh) {
    if (is_roofline_sweep(n)) continue;
    std::string key = comparison_key(n);
    const AtlasCell* o = nullptr;
    std::string why;
    for (const auto& b : baseline) {
      if (is_roofline_sweep(b) || comparison_key(b) != key) continue;
      if (n.delivery != b.delivery && !cfg.cross_delivery) {
        why = fmt::format("the baseline's matching cell {} has delivery {}, this one {} (a number is evidence only for its own "
                          "delivery; --cross-delivery compares them)", b.cell_id, b.delivery.value_or("?"), n.delivery.value_or("?"));
        continue;
      }
      o = &b;
      break;
    }
    if (!o) {
      r.unmatched.push_back({{"cell", n.cell_id}, {"why", why.empty() ? "no cell of the baseline has the same configuration (comparison key)" : why}});
      continue;
    }
    json stack = json::object();
    auto ns = stack_fields(n), os = stack_fields(*o);
    for (size_t i = 0; i < ns.size() && i < os.size(); ++i)
      if (ns[i].second != os[i].second) stack[ns[i].first] = {{"baseline", os[i].second}, {"new", ns[i].second}};
    for (const auto& p : n.points) {
      if (!plot_ready(p) || !p.concurrency) continue;
      const Point* q = nullptr;
      for (const auto& x : o->points)
        if (plot_ready(x) && x.concurrency == p.concurrency) q = &x;
      if (!q) {
        r.unmatched.push_back({{"cell", n.cell_id}, {"concurrency", *p.concurrency}, {"why", "the baseline has no measured point at this concurrency"}});
        continue;
      }
      for (const auto& m : metrics()) {
        auto a = m.value(p), b = m.value(*q);
        if (!a || !b || !(*b > 0)) continue;
        double delta = (*a - *b) / *b * 100;
        double better = m.higher_better ? delta : -delta;
        json row = {{"cell", n.cell_id},        {"baseline_cell", o->cell_id}, {"concurrency", *p.concurrency}, {"metric", m.name},
                    {"new", *a},                {"baseline", *b},              {"delta_pct", delta},            {"stack_differences", stack}};
        auto sa = sd_of(n, p, m), sb = sd_of(*o, *q, m);
        std::optional<WelchResult> w;
        if (sa && sb) w = welch_t_test(*a, *sa, p.trials, *b, *sb, q->trials);
        if (w) row["welch_p"] = w->p_two_sided;
        bool beyond_noise = !w || w->p_two_sided < 0.05;  // no spread known: the threshold alone decides (said)
        row["noise"] = !w ? "unknown (one trial)" : beyond_noise ? "beyond" : "within";
        std::string verdict = "unchanged";
        if (std::fabs(delta) > cfg.threshold_pct && beyond_noise) verdict = better < 0 ? "regression" : "improvement";
        else if (std::fabs(delta) > cfg.threshold_pct) verdict = "within noise";
        row["verdict"] = verdict;
        if (verdict == "regression") ++r.regressions;
        if (verdict == "improvement") ++r.improvements;
        r.matches.push_back(row);
      }
    }
  }
  return r;
}

json DiffResult::to_json(const DiffConfig& cfg) const {
  return {{"schema", "baseline_diff_v1"}, {"threshold_pct", cfg.threshold_pct}, {"cross_delivery", cfg.cross_delivery},
          {"regressions", regressions},   {"improvements", improvements},       {"matches", matches},
          {"unmatched", unmatched}};
}

std::string diff_markdown(const DiffResult& r, const DiffConfig& cfg, const std::string& fresh_id, const std::string& base_id) {
  std::string md = fmt::format("# Baseline diff — {} against {}\n\n{} regression(s), {} improvement(s) beyond {:g} % and the trials' "
                               "noise (Welch p < 0.05 where spread is known).{}\n\n",
                               fresh_id, base_id, r.regressions, r.improvements, cfg.threshold_pct,
                               cfg.cross_delivery ? " Points of different delivery ARE compared (--cross-delivery)." : "");
  md += "| cell | c | metric | baseline | new | Δ % | Welch p | verdict | stack differences |\n|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& m : r.matches) {
    if (m["verdict"] == "unchanged") continue;
    std::string stack;
    for (auto it = m["stack_differences"].begin(); it != m["stack_differences"].end(); ++it)
      stack += (stack.empty() ? "" : "; ") + it.key() + " " + it.value()["baseline"].get<std::string>() + " → " + it.value()["new"].get<std::string>();
    md += fmt::format("| `{}` | {} | {} | {:.4g} | {:.4g} | {:+.1f} | {} | {} | {} |\n", m["cell"].get<std::string>(),
                      m["concurrency"].get<long>(), m["metric"].get<std::string>(), m["baseline"].get<double>(), m["new"].get<double>(),
                      m["delta_pct"].get<double>(), m.contains("welch_p") ? fmt::format("{:.3g}", m["welch_p"].get<double>()) : "—",
                      m["verdict"].get<std::string>(), stack.empty() ? "—" : stack);
  }
  if (!r.unmatched.empty()) {
    md += "\n## Not compared\n\n";
    for (const auto& u : r.unmatched)
      md += fmt::format("- `{}`{}: {}\n", u["cell"].get<std::string>(),
                        u.contains("concurrency") ? fmt::format(" c={}", u["concurrency"].get<long>()) : "", u["why"].get<std::string>());
  }
  return md;
}

}  // namespace ptr
