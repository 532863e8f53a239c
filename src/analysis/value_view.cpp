#include "analysis/value_view.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "analysis/point_quality.hpp"
#include "model/identity.hpp"
#include "util/error.hpp"

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
void hbm_gap(const std::vector<const AtlasCell*>& all, const SolCeilings* ceilings, Frontier& out) {
  for (const AtlasCell* cp : all) {
    const AtlasCell& c = *cp;
    if (c.sweep_kind != "decode" || !ceilings) continue;
    const GpuCeiling* gpu = ceilings->for_hardware(c.hardware.value_or(""));
    if (!gpu || !(gpu->hbm_tb_s > 0)) continue;
    double worst = INFINITY, best = 0;
    long at = 0;
    for (const auto& p : c.points) {
      auto r = p.extra.find("roofline");
      if (r == p.extra.end() || !r->contains("delivered_hbm_tb_s_per_gpu") || !(*r)["delivered_hbm_tb_s_per_gpu"].is_number()) continue;
      double pct = (*r)["delivered_hbm_tb_s_per_gpu"].get<double>() / gpu->hbm_tb_s * 100;
      if (pct < worst) worst = pct, at = p.concurrency.value_or(0);
      best = std::max(best, pct);
    }
    if (!std::isfinite(worst)) continue;
    std::string title = fmt::format("Close the decode HBM gap of {} (batch, CUDA graphs, decode kernels)", c.cell_id);
    if (worst >= kHbmTargetPct) {
      // Every batch at the memory roof: the lever lost, and the wall is documented.
      Lever l{"decode_hbm_gap", title, "", "", "", 0, 3};
      l.why_lost = fmt::format("decode delivers {:.0f}-{:.0f} % of the HBM datasheet at every batch (page 7): nothing left to close", worst, best);
      out.refuted.push_back(l);
      out.wall += fmt::format("{}{}: decode at {:.0f}-{:.0f} % of the {} HBM datasheet (roofline sweep, page 7)", out.wall.empty() ? "" : "; ",
                              c.cell_id, worst, best, c.hardware.value_or(gpu->key));
      continue;
    }
    out.levers.push_back({"decode_hbm_gap", title,
                   fmt::format("decode at c={} delivers {:.0f} % of the HBM datasheet (byte-grounded, page 7)", at, worst),
                   fmt::format("up to {:.0f} % more decode tokens/s at that batch if it reached {:.0f} %", (kHbmTargetPct / worst - 1) * 100,
                               kHbmTargetPct),
                   "page 7 after the change: delivered HBM >= 75 % of datasheet at that batch; ncu (page 5) names the kernels below the roof",
                   std::min(1.0, (kHbmTargetPct - worst) / kHbmTargetPct), 3});
  }
}

// Two cells that differ only in `field` (e.g. mtp, parallel_strategy): where
// the winner changes with concurrency, split the serving tiers.
void crossovers(const std::vector<const AtlasCell*>& cells, const std::string& field, const std::string& what, Frontier& out) {
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
    if (!flips) {
      // Tested and refuted: one side wins (or ties) at every shared concurrency.
      auto [lo, hi] = std::minmax_element(delta.begin(), delta.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
      Lever l{"split_tiers_" + field, fmt::format("Split serving tiers on {} ({} vs {})", what, a.cell_id, b.cell_id), "", "", "", 0, 2};
      bool a_wins = lo->second > 0.03, b_wins = hi->second < -0.03;
      // The winner's lead over the loser, in the loser's units, whichever side wins.
      auto lead = [&](double d) { return (a_wins ? d : 1 / (1 + d) - 1) * 100; };
      double l1 = lead(lo->second), l2 = lead(hi->second);
      l.why_lost = a_wins || b_wins ? fmt::format("{} leads at every shared concurrency (by {:.0f}-{:.0f} % output tok/s/GPU): no tier to split",
                                                  a_wins ? a.cell_id : b.cell_id, std::min(l1, l2), std::max(l1, l2))
                                    : "no winner flips by more than 3 % across concurrency: no tier to split";
      out.refuted.push_back(l);
      continue;
    }
    double gain = 0;  // the winner's lead over the loser, at the concurrency where it is largest
    for (const auto& d : delta) gain = std::max(gain, std::max(1 + d.second, 1 / (1 + d.second)) - 1);
    out.levers.push_back({"split_tiers_" + field, fmt::format("Split serving tiers on {}: {} below c={}, the other above", what, a.cell_id, at),
                   fmt::format("{} vs {}: the output tok/s/GPU winner changes between c={} and c={}", a.cell_id, b.cell_id,
                               delta.front().first, delta.back().first),
                   fmt::format("up to {:.0f} % output tok/s/GPU in the tier where each wins", gain * 100),
                   "a routed (latency / throughput tier) run that matches each side's best at its concurrencies", std::min(1.0, gain), 2});
  }
}

}  // namespace

Frontier declared_frontier(const json& block, const std::string& file) {
  Frontier f;
  if (block.is_null()) return f;
  auto fail = [&](const std::string& key, const std::string& what) { throw_input(file, what, -1, "frontier" + key); };
  if (!block.is_object()) fail("", "must be a mapping with 'levers' (a list) and optionally 'wall' (a sentence)");
  for (const auto& [k, v] : block.items())
    if (k != "levers" && k != "wall") fail("." + k, "unknown key (expected levers or wall)");
  if (block.contains("wall")) {
    if (!block["wall"].is_string() || block["wall"].get<std::string>().empty()) fail(".wall", "must be a sentence naming the speed-of-light wall and its evidence");
    f.wall = block["wall"].get<std::string>();
  }
  if (!block.contains("levers")) return f;
  if (!block["levers"].is_array()) fail(".levers", "must be a list of levers");
  static const std::vector<std::string> keys = {"name", "expected_unlock", "cost", "gate", "value", "status", "why"};
  for (size_t i = 0; i < block["levers"].size(); ++i) {
    const json& l = block["levers"][i];
    std::string at = fmt::format(".levers[{}]", i);
    if (!l.is_object()) fail(at, "must be a mapping with name, expected_unlock, cost and gate");
    for (const auto& [k, v] : l.items())
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) fail(at + "." + k, "unknown key (expected name, expected_unlock, cost, gate, value, status, why)");
    for (const char* k : {"name", "expected_unlock", "gate"})
      if (!l.contains(k) || !l[k].is_string() || l[k].get<std::string>().empty()) fail(at + "." + k, "missing: a non-empty string is required");
    if (!l.contains("cost") || !l["cost"].is_number() || l["cost"].get<double>() < 1 || l["cost"].get<double>() > 3)
      fail(at + ".cost", "must be a number from 1 (a re-run) to 3 (engineering work)");
    double value = 0.1;
    if (l.contains("value")) {
      if (!l["value"].is_number() || l["value"].get<double>() < 0 || l["value"].get<double>() > 1)
        fail(at + ".value", "must be a number from 0 to 1 (the share of capacity the lever could move)");
      value = l["value"].get<double>();
    }
    std::string status = l.value("status", std::string("open"));
    if (!l.value("status", json("open")).is_string() || (status != "open" && status != "refuted")) fail(at + ".status", "must be open or refuted");
    Lever lever{"declared", l["name"].get<std::string>(), "declared in the campaign config (frontier:)", l["expected_unlock"].get<std::string>(),
                l["gate"].get<std::string>(), value, l["cost"].get<double>()};
    lever.source = "config";
    if (status == "refuted") {
      if (!l.contains("why") || !l["why"].is_string() || l["why"].get<std::string>().empty())
        fail(at + ".why", "a refuted lever needs 'why': what refuted it");
      lever.why_lost = l["why"].get<std::string>();
      f.refuted.push_back(lever);
    } else {
      if (l.contains("why")) fail(at + ".why", "only a refuted lever carries 'why'");
      f.levers.push_back(lever);
    }
  }
  return f;
}

Frontier value_view(const std::vector<AtlasCell>& cells, const SolCeilings* ceilings, const Frontier& declared) {
  std::vector<const AtlasCell*> all;
  for (const auto& c : cells) all.push_back(&c);
  return value_view(all, ceilings, declared);
}

Frontier value_view(const std::vector<const AtlasCell*>& all, const SolCeilings* ceilings, const Frontier& declared) {
  std::vector<const AtlasCell*> serving;
  for (const AtlasCell* c : all)
    if (!is_roofline_sweep(*c)) serving.push_back(c);
  Frontier out;
  hbm_gap(all, ceilings, out);
  crossovers(serving, "mtp", "MTP", out);
  crossovers(serving, "parallel_strategy", "TP vs EP", out);
  failed_or_partial(serving, out.levers);
  point_quality_levers(serving, out.levers);
  telemetry_lever(serving, out.levers);
  out.levers.insert(out.levers.end(), declared.levers.begin(), declared.levers.end());
  out.refuted.insert(out.refuted.end(), declared.refuted.begin(), declared.refuted.end());
  if (!declared.wall.empty()) out.wall += (out.wall.empty() ? "" : "; ") + declared.wall;
  // An empty frontier is a claim that the grind is over: only a documented wall makes it.
  if (out.levers.empty() && out.wall.empty())
    out.levers.push_back({"find_sol_wall", "Find the speed-of-light wall: run a roofline sweep (cell_run --roofline) or declare it",
                          "no open lever derived from the data and no documented speed-of-light wall",
                          "either a gap to close (a lever) or the wall that ends the grind",
                          "page 7: decode at >= 75 % of the HBM datasheet at every batch (the wall), or a point below it (a lever); "
                          "or the config's frontier.wall with its evidence",
                          0.2, 2});
  std::stable_sort(out.levers.begin(), out.levers.end(), [](const Lever& a, const Lever& b) { return a.score() > b.score(); });
  return out;
}

json frontier_to_json(const Frontier& f) {
  auto lever_json = [](const Lever& l) {
    json j = {{"id", l.id}, {"title", l.title}, {"source", l.source}, {"evidence", l.evidence}, {"expected_unlock", l.unlock},
              {"gate", l.gate}, {"value", l.value}, {"cost", l.cost}, {"score", l.score()}};
    if (!l.why_lost.empty()) j["why_lost"] = l.why_lost;
    return j;
  };
  json levers = json::array(), refuted = json::array();
  for (const auto& l : f.levers) levers.push_back(lever_json(l));
  for (const auto& l : f.refuted) refuted.push_back(lever_json(l));
  return {{"schema", "value_view_v1"}, {"levers", levers}, {"refuted", refuted}, {"wall", f.wall.empty() ? json() : json(f.wall)}};
}

std::string handoff_markdown(const Frontier& f, const std::string& campaign) {
  std::string md = fmt::format("# Handoff — the standing frontier of {}\n\nNext levers ranked by value ÷ cost (value: the share of "
                               "capacity a lever could move, 0-1; cost: 1 a re-run, 2 a configuration change, 3 engineering work).\n\n",
                               campaign);
  if (f.levers.empty()) md += "No open lever: the frontier ends at the speed-of-light wall below.\n\n";
  int i = 0;
  for (const auto& l : f.levers)
    md += fmt::format("## {}. {}\n\n- Evidence: {}\n- Expected unlock: {}\n- Gate: {}\n- value {:.2f}, cost {:g}, score {:.2f}\n\n", ++i,
                      l.title, l.evidence, l.unlock, l.gate, l.value, l.cost, l.score());
  if (!f.refuted.empty()) {
    md += "## Refuted levers (why they lost)\n\n";
    for (const auto& l : f.refuted) md += fmt::format("- {} — {}\n", l.title, l.why_lost);
    md += "\n";
  }
  md += "## Speed-of-light wall\n\n" + (f.wall.empty() ? std::string("Not documented yet.") : f.wall) + "\n";
  return md;
}

std::string next_lever_line(const Frontier& f) {
  if (f.levers.empty()) return "Next lever: none — the frontier ends at the speed-of-light wall: " + f.wall + " (value_view).";
  return fmt::format("Next lever: {} ({}).", f.levers.front().title, f.levers.front().unlock);
}

}  // namespace ptr
