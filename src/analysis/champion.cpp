#include "analysis/champion.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "analysis/point_quality.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace ptr {

using json = nlohmann::json;

namespace {

bool lower_is_better(const ChampionConfig& cfg) { return cfg.focus == "latency"; }

// The focus metric at a measured point, with its trial std (null when one trial).
struct Measure {
  std::optional<double> value, sd;
  long n = 1;
};
Measure measure(const AtlasCell& cell, const Point& p, const ChampionConfig& cfg) {
  Measure m;
  m.n = p.trials;
  if (lower_is_better(cfg)) {
    m.value = stat_at(p.tpot_ms, cfg.tpm.sla_percentile);
    if (cfg.tpm.sla_percentile == "mean") m.sd = spread_of(p, "tpot_ms_mean");
  } else {
    m.value = p.output_tok_s_per_gpu;
    if (auto s = spread_of(p, "output_tok_s"); s && cell.gpus && *cell.gpus > 0) m.sd = *s / static_cast<double>(*cell.gpus);
  }
  return m;
}

const Point* at_concurrency(const AtlasCell& cell, long c) {
  for (const auto& p : cell.points)
    if (p.concurrency == c && plot_ready(p)) return &p;
  return nullptr;
}

std::optional<double> pct_better(double v, double base, bool lower_better) {
  if (!(base > 0)) return std::nullopt;
  return (lower_better ? base - v : v - base) / base * 100;
}

std::string canonical_workload(std::string d) {
  std::transform(d.begin(), d.end(), d.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* w : {"sharegpt", "sonnet", "random"})
    if (d.find(w) != std::string::npos) return w;
  if (d.find("code") != std::string::npos || d.find("humaneval") != std::string::npos) return "code";
  if (d == "aa" || d.find("artificial") != std::string::npos) return "aa";
  return d;
}

// The spread of Δ % = 100 (v/b - 1) from both arms' trial std (first-order
// propagation of a ratio); one side's alone when only it has trials.
std::optional<double> delta_pct_std(const Measure& v, const Measure& b) {
  if (!v.value || !b.value || !(*v.value > 0) || !(*b.value > 0) || (!v.sd && !b.sd)) return std::nullopt;
  double rv = v.sd.value_or(0) / *v.value, rb = b.sd.value_or(0) / *b.value;
  return *v.value / *b.value * std::sqrt(rv * rv + rb * rb) * 100;
}

struct Ranking {
  std::vector<ChampionCandidate> ranked;
  std::vector<std::string> unranked;
};

Ranking rank(const std::vector<const AtlasCell*>& cells, const AtlasCell& base, const ChampionConfig& cfg) {
  Ranking out;
  bool lower = lower_is_better(cfg);
  // Latency focus: every cell at the baseline's operating concurrency (the
  // highest it serves within the SLO).
  std::optional<long> matched;
  if (lower) {
    CellSla bs = cell_sla(base, cfg.tpm);
    if (bs.lo && bs.lo->concurrency) matched = *bs.lo->concurrency;
  }
  for (const AtlasCell* cell : cells) {
    ChampionCandidate c;
    c.cell = cell->cell_id;
    c.engine = cell->engine.value_or("?");
    c.delivery = cell->delivery.value_or("?");
    c.sol_rigor = cell->sol_rigor.value_or("none");
    if (lower) {
      const Point* p = matched ? at_concurrency(*cell, *matched) : nullptr;
      if (!p) {
        out.unranked.push_back(cell->cell_id + (matched ? fmt::format(": no measured point at c={}", *matched)
                                                        : ": the baseline meets the SLO at no tested concurrency"));
        continue;
      }
      Measure m = measure(*cell, *p, cfg);
      c.score = m.value;
      c.score_std = m.sd;
      c.trials = m.n;
      c.at_concurrency = static_cast<double>(*matched);
      c.sla_status = "matched concurrency";
    } else {
      CellSla s = cell_sla(*cell, cfg.tpm);
      if (!s.point) {
        out.unranked.push_back(cell->cell_id + ": " + s.status + (s.reason.empty() ? "" : " — " + s.reason));
        continue;
      }
      c.score = s.point->output_tok_s_per_gpu;
      c.trials = s.point->trials;
      c.at_concurrency = s.point->concurrency;
      c.sla_status = s.status;
      c.binding = s.point->binding_constraint.empty() ? s.status : s.point->binding_constraint;
      // Spread at the operating point: interpolated between the neighbours, like the value.
      Measure lo = measure(*cell, *s.lo, cfg);
      if (s.hi && s.t > 0) {
        Measure hi = measure(*cell, *s.hi, cfg);
        if (lo.sd && hi.sd) c.score_std = *lo.sd + (*hi.sd - *lo.sd) * s.t;
      } else {
        c.score_std = lo.sd;
      }
    }
    if (!c.score) {
      out.unranked.push_back(cell->cell_id + ": the focus metric is missing");
      continue;
    }
    if (auto corr = cell->extra.find("dcgm_correlation"); corr != cell->extra.end() && corr->contains("mean"))
      for (const char* k : {"dram_active_pct", "tensor_active_pct", "sm_active_pct"})
        if ((*corr)["mean"].contains(k)) c.telemetry[k] = (*corr)["mean"][k];
    out.ranked.push_back(std::move(c));
  }
  std::stable_sort(out.ranked.begin(), out.ranked.end(), [&](const auto& a, const auto& b) {
    return lower ? a.score.value() < b.score.value() : a.score.value() > b.score.value();
  });
  return out;
}

}  // namespace

ChampionResult select_champion(const std::vector<AtlasCell>& all, const ChampionConfig& cfg) {
  if (cfg.focus != "throughput" && cfg.focus != "latency") throw_usage("--focus must be throughput or latency");
  // An A/B campaign ranks its arms (with the baseline) only: a sweep cell of
  // another GPU beside them is not a candidate of the experiment.
  bool has_arms = std::any_of(all.begin(), all.end(), [](const AtlasCell& c) { return !is_roofline_sweep(c) && c.arm; });
  std::vector<const AtlasCell*> cells;
  const AtlasCell* base = nullptr;
  for (const auto& c : all) {
    if (is_roofline_sweep(c) || (has_arms && !c.arm && c.cell_id != cfg.baseline)) continue;
    cells.push_back(&c);
    if (c.cell_id == cfg.baseline) base = &c;
  }
  if (!base) throw_usage("baseline cell '" + cfg.baseline + "' is not a serving cell of the campaign",
                         "name it with --baseline CELL (an arm called baseline is found by itself)");
  bool lower = lower_is_better(cfg);
  ChampionResult r;
  Ranking rk = rank(cells, *base, cfg);
  r.ranked = std::move(rk.ranked);
  r.unranked = std::move(rk.unranked);
  for (auto& c : r.ranked) c.label = c.cell;
  const ChampionCandidate* b = nullptr;
  for (const auto& c : r.ranked)
    if (c.cell == base->cell_id) b = &c;
  // Against the baseline: at the operating point and per concurrency.
  for (auto& c : r.ranked) {
    const AtlasCell* cell = *std::find_if(cells.begin(), cells.end(), [&](const AtlasCell* x) { return x->cell_id == c.cell; });
    if (b && c.cell != b->cell) {
      c.delta_pct = pct_better(*c.score, *b->score, lower);
      if (c.score_std && b->score_std) c.vs_baseline = welch_t_test(*c.score, *c.score_std, c.trials, *b->score, *b->score_std, b->trials);
    }
    for (const auto& p : cell->points) {
      if (!plot_ready(p) || !p.concurrency) continue;
      Measure m = measure(*cell, p, cfg);
      if (!m.value) continue;
      json row = {{"concurrency", *p.concurrency}, {"value", *m.value}, {"std", m.sd ? json(*m.sd) : json()}, {"n", m.n}};
      if (const Point* bp = at_concurrency(*base, *p.concurrency); bp && c.cell != base->cell_id) {
        Measure bm = measure(*base, *bp, cfg);
        if (bm.value) {
          if (auto d = pct_better(*m.value, *bm.value, lower)) row["delta_pct"] = *d;
          if (auto sd = delta_pct_std(m, bm)) row["delta_pct_std"] = *sd;
          if (m.sd && bm.sd)
            if (auto w = welch_t_test(*m.value, *m.sd, m.n, *bm.value, *bm.sd, bm.n)) row["p"] = w->p_two_sided;
        }
      }
      c.per_concurrency.push_back(row);
    }
  }
  if (r.ranked.empty()) {
    r.unmet_gates.push_back("no cell has an operating point under the SLO");
    return r;
  }
  const ChampionCandidate& champ = r.ranked.front();
  r.champion = champ.cell;
  if (r.ranked.size() > 1) {
    r.runner_up = r.ranked[1].cell;
    r.margin_pct = pct_better(*champ.score, *r.ranked[1].score, lower);
  }
  // Sensitivity: the same ranking with the SLO 20 % tighter and looser.
  for (auto [name, factor] : {std::pair{"tighter_20pct", 0.8}, std::pair{"looser_20pct", 1.2}}) {
    ChampionConfig c2 = cfg;
    c2.tpm.tpot_sla_ms *= factor;
    c2.tpm.ttft_sla_ms *= factor;
    Ranking again = rank(cells, *base, c2);
    std::string pick = again.ranked.empty() ? "" : again.ranked.front().cell;
    r.sensitivity[name] = {{"tpot_slo_ms", c2.tpm.tpot_sla_ms}, {"ttft_slo_ms", c2.tpm.ttft_sla_ms}, {"pick", pick.empty() ? json() : json(pick)},
                           {"same_pick", pick == r.champion}};
  }
  r.sensitivity["survives"] = r.sensitivity["tighter_20pct"]["same_pick"].get<bool>() && r.sensitivity["looser_20pct"]["same_pick"].get<bool>();

  // VERDICT gates; the data wins over a flag, and a flag that contradicts it is an error.
  const AtlasCell& cc = **std::find_if(cells.begin(), cells.end(), [&](const AtlasCell* x) { return x->cell_id == champ.cell; });
  long data_trials = b ? std::min(champ.trials, b->trials) : champ.trials;
  if (cfg.trials && *cfg.trials > data_trials)
    throw_usage(fmt::format("--trials {} contradicts the data: the champion and the baseline have {} trial(s) at their operating points",
                            *cfg.trials, data_trials));
  if (data_trials < 3) r.unmet_gates.push_back(fmt::format("trials: {} at the operating point (a VERDICT needs >= 3, mean ± std)", data_trials));
  bool same = false;
  if (cc.node && base->node) {
    same = *cc.node == *base->node;
    if (cfg.same_node && *cfg.same_node && !same)
      throw_usage(fmt::format("--same-node contradicts the data: {} ran on {}, the baseline on {}", cc.cell_id, *cc.node, *base->node));
    if (!same) r.unmet_gates.push_back(fmt::format("same node: {} ran on {}, the baseline on {}", cc.cell_id, *cc.node, *base->node));
  } else {
    same = cfg.same_node.value_or(false);
    if (!same) r.unmet_gates.push_back("same node: not recorded (cell_run --telemetry records it; --same-node asserts it)");
  }
  std::set<std::string> measured;
  for (const AtlasCell* c : cells)
    if (c->dataset) measured.insert(canonical_workload(*c->dataset));
  std::set<std::string> present = measured;
  if (cfg.workloads_present) {
    for (const auto& w : *cfg.workloads_present)
      if (!measured.empty() && !measured.count(canonical_workload(w))) {
        std::string list;
        for (const auto& m : measured) list += (list.empty() ? "" : ", ") + m;
        throw_usage(fmt::format("--workloads-present names '{}', which no cell measured (the data has: {})", w, list));
      }
    if (measured.empty())
      for (const auto& w : *cfg.workloads_present) present.insert(canonical_workload(w));
  }
  std::string missing;
  for (const auto& w : cfg.required_workloads)
    if (!present.count(canonical_workload(w))) missing += (missing.empty() ? "" : ", ") + w;
  if (!missing.empty()) r.unmet_gates.push_back("workloads: the suite lacks " + missing);
  if (cfg.accuracy_gate != "pass") r.unmet_gates.push_back("accuracy gate: " + cfg.accuracy_gate + " (a VERDICT needs pass)");
  if (champ.sol_rigor != "L3" && champ.sol_rigor != "L4")
    r.unmet_gates.push_back("speed of light: the champion's sol_rigor is " + champ.sol_rigor + " (a VERDICT needs L3 or L4: dcgm_correlate)");
  r.tier = r.unmet_gates.empty() ? "verdict" : "draft";
  return r;
}

json ChampionResult::to_json(const ChampionConfig& cfg) const {
  json rows = json::array();
  for (const auto& c : ranked) {
    json j = {{"cell", c.cell},        {"engine", c.engine},       {"delivery", c.delivery},     {"sol_rigor", c.sol_rigor},
              {"score", *c.score},     {"score_std", c.score_std ? json(*c.score_std) : json()}, {"trials", c.trials},
              {"at_concurrency", c.at_concurrency}, {"sla_status", c.sla_status}, {"binding", c.binding},
              {"delta_pct_vs_baseline", c.delta_pct ? json(*c.delta_pct) : json()}, {"per_concurrency", c.per_concurrency},
              {"telemetry", c.telemetry}};
    if (c.vs_baseline) j["welch"] = {{"t", c.vs_baseline->t}, {"df", c.vs_baseline->df}, {"p_two_sided", c.vs_baseline->p_two_sided}};
    rows.push_back(j);
  }
  return {{"schema", "champion_select_v1"},
          {"focus", cfg.focus},
          {"metric", cfg.focus == "latency" ? fmt::format("{} TPOT ms at the baseline's operating concurrency (lower is better)", cfg.tpm.sla_percentile)
                                            : "output tok/s/GPU at the SLO operating point (tpm_summary's interpolation)"},
          {"slo", cfg.tpm.to_json()},
          {"baseline", cfg.baseline},
          {"ranked", rows},
          {"unranked", unranked},
          {"champion", champion.empty() ? json() : json(champion)},
          {"runner_up", runner_up.empty() ? json() : json(runner_up)},
          {"margin_pct", margin_pct ? json(*margin_pct) : json()},
          {"sensitivity", sensitivity},
          {"tier", tier},
          {"unmet_gates", unmet_gates}};
}

std::string champion_markdown(const ChampionResult& r, const ChampionConfig& cfg, const std::string& campaign) {
  bool lower = lower_is_better(cfg);
  std::string md = fmt::format("# Champion — {}\n\n", campaign);
  md += r.tier == "verdict" ? "**VERDICT**\n\n" : "**DRAFT** — unmet gates:\n\n";
  for (const auto& g : r.unmet_gates) md += "- " + markdown_inline(g) + "\n";
  if (!r.unmet_gates.empty()) md += "\n";
  md += fmt::format("Focus: {} ({}). SLO: {} TTFT <= {:g} ms, {} TPOT <= {:g} ms. Baseline: `{}`.\n\n", cfg.focus,
                    lower ? "TPOT at the baseline's operating concurrency, lower is better"
                          : "output tok/s/GPU at the SLO operating point, interpolated as tpm_summary does",
                    cfg.tpm.sla_percentile, cfg.tpm.ttft_sla_ms, cfg.tpm.sla_percentile, cfg.tpm.tpot_sla_ms, cfg.baseline);
  md += "| rank | cell | engine | delivery | score | ± std | trials | at c | binds | Δ % vs baseline | Welch p | sol_rigor | DRAM / tensor / SM % |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  size_t shown = 0;
  for (size_t i = 0; i < r.ranked.size(); ++i) {
    const auto& c = r.ranked[i];
    bool is_base = c.cell == cfg.baseline;
    if (!is_base && shown >= cfg.top) continue;
    if (!is_base) ++shown;
    std::string tel;
    for (const char* k : {"dram_active_pct", "tensor_active_pct", "sm_active_pct"})
      tel += (tel.empty() ? "" : " / ") + (c.telemetry.contains(k) ? fmt::format("{:.0f}", c.telemetry[k].get<double>()) : std::string("n/a"));
    md += fmt::format("| {} | `{}`{} | {} | {} | {:.1f} | {} | {} | {:.1f} | {} | {} | {} | {} | {} |\n", i + 1, c.cell,
                      is_base ? " (baseline)" : "", markdown_inline(c.engine), markdown_inline(c.delivery), *c.score,
                      c.score_std ? fmt::format("{:.1f}", *c.score_std) : "n/a", c.trials, c.at_concurrency,
                      c.binding.empty() ? "—" : c.binding, c.delta_pct ? fmt::format("{:+.1f}", *c.delta_pct) : "—",
                      c.vs_baseline ? fmt::format("{:.3g}", c.vs_baseline->p_two_sided) : "—", c.sol_rigor, tel);
  }
  if (!r.unranked.empty()) {
    md += "\nNot ranked:\n\n";
    for (const auto& u : r.unranked) md += "- " + markdown_inline(u) + "\n";
  }
  md += "\n## Δ % vs baseline per concurrency (Welch p in brackets)\n\n| cell |";
  std::set<long> cs;
  for (const auto& c : r.ranked)
    for (const auto& row : c.per_concurrency) cs.insert(row["concurrency"].get<long>());
  for (long c : cs) md += fmt::format(" c={} |", c);
  md += "\n|---|";
  for (size_t i = 0; i < cs.size(); ++i) md += "---|";
  md += "\n";
  for (const auto& c : r.ranked) {
    if (c.cell == cfg.baseline) continue;
    md += "| `" + c.cell + "` |";
    for (long conc : cs) {
      std::string cell = " — |";
      for (const auto& row : c.per_concurrency)
        if (row["concurrency"] == conc && row.contains("delta_pct"))
          cell = fmt::format(" {:+.1f}{} |", row["delta_pct"].get<double>(),
                             row.contains("p") ? fmt::format(" ({:.2g})", row["p"].get<double>()) : "");
      md += cell;
    }
    md += "\n";
  }
  if (!r.champion.empty()) {
    const auto& champ = r.ranked.front();
    md += "\n## Pick\n\n";
    std::string sig = "the difference to the baseline has no trial spread to test";
    if (champ.cell == cfg.baseline) sig = "the baseline itself ranks first: no variant beats it";
    else if (champ.vs_baseline)
      sig = fmt::format("Welch's t-test vs the baseline: t = {:.2f}, df = {:.1f}, p = {:.3g} ({} at 0.05)", champ.vs_baseline->t,
                        champ.vs_baseline->df, champ.vs_baseline->p_two_sided,
                        champ.vs_baseline->p_two_sided < 0.05 ? "significant" : "not significant");
    md += fmt::format("- Runner-up: {}{}.\n", r.runner_up.empty() ? "none" : "`" + r.runner_up + "`",
                      r.margin_pct ? fmt::format(", {:.1f} % behind", *r.margin_pct) : "");
    md += "- " + sig + ".\n";
    md += fmt::format("- Sensitivity: with the SLO 20 % tighter the pick is {}, 20 % looser {} ({}).\n",
                      r.sensitivity["tighter_20pct"]["pick"].is_string() ? "`" + r.sensitivity["tighter_20pct"]["pick"].get<std::string>() + "`" : "none",
                      r.sensitivity["looser_20pct"]["pick"].is_string() ? "`" + r.sensitivity["looser_20pct"]["pick"].get<std::string>() + "`" : "none",
                      r.sensitivity["survives"].get<bool>() ? "the pick survives both" : "the pick depends on the SLO");
    md += fmt::format("\n**{}RECOMMENDED FOR PRODUCTION: `{}`** ({}, delivery {}: the evidence is for that delivery only).\n",
                      r.tier == "verdict" ? "" : "DRAFT — ", r.champion, champ.engine, champ.delivery);
  }
  return md;
}

}  // namespace ptr
