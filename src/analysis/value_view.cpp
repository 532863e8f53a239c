#include "analysis/value_view.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "analysis/point_quality.hpp"
#include "model/identity.hpp"

namespace ptr {

using json = nlohmann::json;

namespace {

constexpr double kHbmTargetPct = 75;

void failed_or_partial(const std::vector<const AtlasCell*>& cells, std::vector<Lever>& out) {
  std::vector<std::string> failed, partial;
  for (const auto* c : cells) {
    if (c->status == "failed") failed.push_back(c->cell_id);
    else if (c->status == "partial") partial.push_back(c->cell_id);
  }
  if (failed.empty() && partial.empty()) return;
  std::string list;
  for (const auto& v : {failed, partial})
    for (const auto& id : v) list += (list.empty() ? "" : ", ") + id;
  out.push_back({"rerun_failed", "Re-run the failed and partial cells",
                 fmt::format("{} failed, {} partial cell(s): {}", failed.size(), partial.size(), list),
                 "the missing points of the sweep; a failed cell may hold the best configuration",
                 "the re-run completes every requested concurrency (cell status full)",
                 std::min(1.0, 0.2 * static_cast<double>(failed.size() + partial.size())), 1});
}

void point_quality_levers(const std::vector<const AtlasCell*>& cells, std::vector<Lever>& out) {
  long under = 0, noisy = 0;
  std::string under_at, noisy_at;
  for (const auto* c : cells)
    for (const auto& p : c->points) {
      if (!plot_ready(p)) continue;
      PointQuality q = quality_of(p);
      if (q.undercount && ++under <= 3) under_at += fmt::format("{}{} c={}", under_at.empty() ? "" : ", ", c->cell_id, p.concurrency.value_or(0));
      if (q.high_variance && ++noisy <= 3)
        noisy_at += fmt::format("{}{} c={} (CV {:.0f} %)", noisy_at.empty() ? "" : ", ", c->cell_id, p.concurrency.value_or(0),
                                q.output_cv.value_or(0) * 100);
    }
  if (under > 0)
    out.push_back({"rerun_undercount", "Re-run undercounted points with num_prompts >= 2 x concurrency",
                   fmt::format("{} point(s) whose request count never reached a steady window: {}{}", under, under_at, under > 3 ? " ..." : ""),
                   "honest throughput at high concurrency (an undercounted window reads low or noisy)",
                   "the re-run's output tok/s/GPU settles within the trials' noise", 0.3, 1});
  if (noisy > 0)
    out.push_back({"more_trials", "Add trials where run-to-run noise exceeds 10 %",
                   fmt::format("{} point(s) with CV > 10 %: {}{}", noisy, noisy_at, noisy > 3 ? " ..." : ""),
                   "a ranking whose gaps are larger than the noise (champion_select's Welch test)",
                   "with 3+ trials the CV drops under 10 % or the gap is shown to be noise", 0.25, 1});
}

void telemetry_lever(const std::vector<const AtlasCell*>& cells, std::vector<Lever>& out) {
  long ungrounded = 0;
  for (const auto* c : cells)
    if (c->sol_rigor.value_or("none") != "L3" && c->sol_rigor.value_or("none") != "L4") ++ungrounded;
  if (ungrounded == 0) return;
  out.push_back({"capture_telemetry", "Capture GPU telemetry to ground speed of light (cell_run --telemetry, dcgm_correlate)",
                 fmt::format("{} of {} cell(s) have no DRAM-activity evidence (sol_rigor below L3)", ungrounded, cells.size()),
                 "knowing whether decode is memory-bound at each point: the gate of every kernel-level lever, and a VERDICT gate",
                 "dcgm_correlation.json per cell; sol_rigor L3", 0.35, 1});
}

// Roofline sweeps: decode points below 75 % of the HBM datasheet.
void hbm_gap(const std::vector<AtlasCell>& all, const SolCeilings* ceilings, std::vector<Lever>& out) {
  for (const auto& c : all) {
    if (c.sweep_kind != "decode" || !ceilings) continue;
    const GpuCeiling* gpu = ceilings->for_hardware(c.hardware.value_or(""));
    if (!gpu || !(gpu->hbm_tb_s > 0)) continue;
    double worst = 100;
    long at = 0;
    for (const auto& p : c.points) {
      auto r = p.extra.find("roofline");
      if (r == p.extra.end() || !r->contains("delivered_hbm_tb_s_per_gpu") || !(*r)["delivered_hbm_tb_s_per_gpu"].is_number()) continue;
      double pct = (*r)["delivered_hbm_tb_s_per_gpu"].get<double>() / gpu->hbm_tb_s * 100;
      if (pct < worst) worst = pct, at = p.concurrency.value_or(0);
    }
    if (worst >= kHbmTargetPct) continue;
    out.push_back({"decode_hbm_gap", fmt::format("Close the decode HBM gap of {} (batch, CUDA graphs, decode kernels)", c.cell_id),
                   fmt::format("decode at c={} delivers {:.0f} % of the HBM datasheet (byte-grounded, page 7)", at, worst),
                   fmt::format("up to {:.0f} % more decode tokens/s at that batch if it reached {:.0f} %", (kHbmTargetPct / worst - 1) * 100,
                               kHbmTargetPct),
                   "page 7 after the change: delivered HBM >= 75 % of datasheet at that batch; ncu (page 5) names the kernels below the roof",
                   std::min(1.0, (kHbmTargetPct - worst) / kHbmTargetPct), 3});
  }
}

// Two cells that differ only in `field` (e.g. mtp, parallel_strategy): where
// the winner changes with concurrency, split the serving tiers.
void crossovers(const std::vector<const AtlasCell*>& cells, const std::string& field, const std::string& what, std::vector<Lever>& out) {
  std::map<std::string, std::vector<const AtlasCell*>> groups;
  for (const auto* c : cells) groups[identity_key(*c, {field, "arm", "knob"})].push_back(c);
  for (const auto& [key, g] : groups) {
    if (g.size() != 2) continue;
    const AtlasCell& a = *g[0];
    const AtlasCell& b = *g[1];
    std::vector<std::pair<long, double>> delta;  // c -> (a - b) / b
    for (const auto& p : a.points)
      for (const auto& q : b.points)
        if (plot_ready(p) && plot_ready(q) && p.concurrency && p.concurrency == q.concurrency && p.output_tok_s_per_gpu &&
            q.output_tok_s_per_gpu && *q.output_tok_s_per_gpu > 0)
          delta.push_back({*p.concurrency, *p.output_tok_s_per_gpu / *q.output_tok_s_per_gpu - 1});
    std::sort(delta.begin(), delta.end());
    if (delta.size() < 2) continue;
    bool flips = false;
    long at = 0;
    for (size_t i = 1; i < delta.size(); ++i)
      if ((delta[i - 1].second > 0.03 && delta[i].second < -0.03) || (delta[i - 1].second < -0.03 && delta[i].second > 0.03))
        flips = true, at = delta[i].first;
    if (!flips) continue;
    double gain = 0;  // the winner's lead over the loser, at the concurrency where it is largest
    for (const auto& d : delta) gain = std::max(gain, std::max(1 + d.second, 1 / (1 + d.second)) - 1);
    out.push_back({"split_tiers_" + field, fmt::format("Split serving tiers on {}: {} below c={}, the other above", what, a.cell_id, at),
                   fmt::format("{} vs {}: the output tok/s/GPU winner changes between c={} and c={}", a.cell_id, b.cell_id,
                               delta.front().first, delta.back().first),
                   fmt::format("up to {:.0f} % output tok/s/GPU in the tier where each wins", gain * 100),
                   "a routed (latency / throughput tier) run that matches each side's best at its concurrencies", std::min(1.0, gain), 2});
  }
}

}  // namespace

std::vector<Lever> value_view(const std::vector<AtlasCell>& all, const SolCeilings* ceilings) {
  std::vector<const AtlasCell*> serving;
  for (const auto& c : all)
    if (!is_roofline_sweep(c)) serving.push_back(&c);
  std::vector<Lever> out;
  hbm_gap(all, ceilings, out);
  crossovers(serving, "mtp", "MTP", out);
  crossovers(serving, "parallel_strategy", "TP vs EP", out);
  failed_or_partial(serving, out);
  point_quality_levers(serving, out);
  telemetry_lever(serving, out);
  std::stable_sort(out.begin(), out.end(), [](const Lever& a, const Lever& b) { return a.score() > b.score(); });
  return out;
}

json levers_to_json(const std::vector<Lever>& levers) {
  json arr = json::array();
  for (const auto& l : levers)
    arr.push_back({{"id", l.id}, {"title", l.title}, {"evidence", l.evidence}, {"expected_unlock", l.unlock}, {"gate", l.gate},
                   {"value", l.value}, {"cost", l.cost}, {"score", l.score()}});
  return {{"schema", "value_view_v1"}, {"levers", arr}};
}

std::string handoff_markdown(const std::vector<Lever>& levers, const std::string& campaign) {
  std::string md = fmt::format("# Handoff — the standing frontier of {}\n\nNext levers ranked by value ÷ cost (value: the share of "
                               "capacity a lever could move, 0-1; cost: 1 a re-run, 2 a configuration change, 3 engineering work).\n\n",
                               campaign);
  if (levers.empty()) md += "No lever derived from the data.\n";
  int i = 0;
  for (const auto& l : levers)
    md += fmt::format("## {}. {}\n\n- Evidence: {}\n- Expected unlock: {}\n- Gate: {}\n- value {:.2f}, cost {:g}, score {:.2f}\n\n", ++i,
                      l.title, l.evidence, l.unlock, l.gate, l.value, l.cost, l.score());
  return md;
}

std::string next_lever_line(const std::vector<Lever>& levers) {
  if (levers.empty()) return "Next lever: none derived from the data (value_view).";
  return fmt::format("Next lever: {} ({}).", levers.front().title, levers.front().unlock);
}

}  // namespace ptr
