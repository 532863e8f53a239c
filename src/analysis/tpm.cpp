#include "analysis/tpm.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "model/identity.hpp"
#include "util/error.hpp"

namespace ptr {

json TpmConfig::to_json() const {
  json c = json::object();
  for (const auto& [hw, r] : cost)
    c[hw] = {{"usd_per_gpu_hour", r.usd_per_gpu_hour}, {"estimate", r.estimate}, {"source", r.source}};
  return {{"ttft_sla_ms", ttft_sla_ms}, {"tpot_sla_ms", tpot_sla_ms}, {"sla_percentile", sla_percentile},
          {"gpus_per_node", gpus_per_node}, {"cost_per_gpu_hour", c}};
}

TpmConfig discover_tpm_config(const json& tpm, const json& cost, const std::string& file) {
  TpmConfig cfg;
  cfg.cost = {{"H100", {6.16, false, "default"}},
              {"H200", {6.31, false, "default"}},
              {"B200", {8.60, false, "default"}},
              {"GB300", {12.00, true, "default"}}};
  auto num = [&](const json& block, const char* key, const char* where) -> std::optional<double> {
    if (!block.is_object() || !block.contains(key) || block[key].is_null()) return std::nullopt;
    if (!block[key].is_number()) throw_input(file, std::string("expected a number in ") + where, -1, key);
    return block[key].get<double>();
  };
  if (auto v = num(tpm, "ttft_sla_ms", "tpm:")) cfg.ttft_sla_ms = *v;
  if (auto v = num(tpm, "tpot_sla_ms", "tpm:")) cfg.tpot_sla_ms = *v;
  if (auto v = num(tpm, "gpus_per_node", "tpm:")) {
    if (*v != std::floor(*v) || *v < 1 || *v > 4096) throw_input(file, "gpus_per_node must be a whole number between 1 and 4096", -1, "tpm.gpus_per_node");
    cfg.gpus_per_node = static_cast<long>(*v);
  }
  if (tpm.is_object() && tpm.contains("sla_percentile")) {
    if (!tpm["sla_percentile"].is_string()) throw_input(file, "expected mean, p50, p90 or p99", -1, "sla_percentile");
    cfg.sla_percentile = tpm["sla_percentile"].get<std::string>();
  }
  static const std::set<std::string> pcts = {"mean", "p50", "p90", "p99"};
  if (!pcts.count(cfg.sla_percentile))
    throw_input(file, "sla_percentile must be mean, p50, p90 or p99, got '" + cfg.sla_percentile + "'", -1, "sla_percentile");
  // Two shapes: {B200: 4.5, H100: {usd_per_gpu_hour: 6.16, estimate: true}}, or
  // the seed's {usd_per_gpu_hour: {B200: 4.5}[, estimate: {B200: true}]}.
  auto add_rate = [&](const std::string& hw, const json& v, bool estimate, const std::string& key) {
    double rate;
    if (v.is_number()) rate = v.get<double>();
    else if (v.is_object() && v.contains("usd_per_gpu_hour") && v["usd_per_gpu_hour"].is_number()) {
      rate = v["usd_per_gpu_hour"].get<double>();
      if (v.contains("estimate")) {
        if (!v["estimate"].is_boolean()) throw_input(file, "estimate must be true or false", -1, key + ".estimate");
        estimate = v["estimate"].get<bool>();
      }
    } else {
      throw_input(file, "cost entries are $/GPU-hour numbers or {usd_per_gpu_hour, estimate}", -1, key);
    }
    if (!(rate > 0) || !std::isfinite(rate)) throw_input(file, "a $/GPU-hour rate must be a finite number > 0", -1, key);
    cfg.cost[hw] = {rate, estimate, "config"};
  };
  if (!cost.is_null() && !cost.is_object()) throw_input(file, "cost: must be a mapping", -1, "cost");
  if (cost.is_object()) {
    if (auto by_hw = cost.find("usd_per_gpu_hour"); by_hw != cost.end()) {
      if (!by_hw->is_object()) throw_input(file, "expected a mapping of hardware to $/GPU-hour", -1, "cost.usd_per_gpu_hour");
      const json* est = cost.contains("estimate") ? &cost["estimate"] : nullptr;
      if (est && !est->is_object()) throw_input(file, "expected a mapping of hardware to true/false", -1, "cost.estimate");
      for (auto it = by_hw->begin(); it != by_hw->end(); ++it) {
        bool e = false;
        if (est && est->contains(it.key())) {
          if (!(*est)[it.key()].is_boolean()) throw_input(file, "expected true or false", -1, "cost.estimate." + it.key());
          e = (*est)[it.key()].get<bool>();
        }
        add_rate(it.key(), it.value(), e, "cost.usd_per_gpu_hour." + it.key());
      }
      for (auto it = cost.begin(); it != cost.end(); ++it)
        if (it.key() != "usd_per_gpu_hour" && it.key() != "estimate")
          throw_input(file, "with usd_per_gpu_hour: as a mapping, cost: may only hold it and estimate:", -1, "cost." + it.key());
    } else {
      for (auto it = cost.begin(); it != cost.end(); ++it) add_rate(it.key(), it.value(), false, "cost." + it.key());
    }
  }
  static const std::set<std::string> tpm_keys = {"ttft_sla_ms", "tpot_sla_ms", "sla_percentile", "gpus_per_node"};
  if (!tpm.is_null() && !tpm.is_object()) throw_input(file, "tpm: must be a mapping", -1, "tpm");
  if (tpm.is_object())
    for (auto it = tpm.begin(); it != tpm.end(); ++it)
      if (!tpm_keys.count(it.key()))
        throw_input(file, "unknown key; expected ttft_sla_ms, tpot_sla_ms, sla_percentile or gpus_per_node", -1,
                    "tpm." + it.key());
  if (!(cfg.ttft_sla_ms > 0) || !(cfg.tpot_sla_ms > 0) || !std::isfinite(cfg.ttft_sla_ms) || !std::isfinite(cfg.tpot_sla_ms))
    throw_input(file, "SLA thresholds must be finite numbers > 0", -1, "tpm");
  if (cfg.gpus_per_node < 1 || cfg.gpus_per_node > 4096) throw_input(file, "gpus_per_node must be between 1 and 4096", -1, "tpm.gpus_per_node");
  return cfg;
}

std::optional<double> stat_at(const LatencyStat& s, const std::string& pct) {
  if (pct == "mean") return s.mean;
  if (pct == "p50") return s.median;
  if (pct == "p90") return s.p90;
  if (pct == "p99") return s.p99;
  return std::nullopt;
}

namespace {

bool usable(const Point& p) {
  return p.status != "failed" && p.concurrency && p.output_tok_s_per_gpu && std::isfinite(*p.output_tok_s_per_gpu);
}

// The decode metric: TPOT, else ITL (both per output token).
std::optional<double> decode_ms(const Point& p, const std::string& pct) {
  if (auto v = stat_at(p.tpot_ms, pct)) return v;
  return stat_at(p.itl_ms, pct);
}

double lerp(double a, double b, double t) { return a + (b - a) * t; }

Basis basis_of(double out_per_gpu, std::optional<double> total_per_gpu, long replica_gpus, long node_gpus,
               const std::optional<CostRate>& cost) {
  Basis b;
  b.output_tpm_per_gpu = out_per_gpu * 60;
  b.output_tpm_per_replica = out_per_gpu * 60 * replica_gpus;
  b.output_tpm_per_node = out_per_gpu * 60 * node_gpus;
  if (total_per_gpu) {
    b.total_tpm_per_gpu = *total_per_gpu * 60;
    b.total_tpm_per_replica = *total_per_gpu * 60 * replica_gpus;
    b.total_tpm_per_node = *total_per_gpu * 60 * node_gpus;
  }
  if (cost && out_per_gpu > 0) b.usd_per_1m_output_tokens = cost->usd_per_gpu_hour / (out_per_gpu * 3600) * 1e6;
  if (cost && total_per_gpu && *total_per_gpu > 0)
    b.usd_per_1m_total_tokens = cost->usd_per_gpu_hour / (*total_per_gpu * 3600) * 1e6;
  return b;
}

// One cell's sweep: points sorted by concurrency. Scan up; the first point
// that violates an SLA bounds the search; between it and the last point that
// met both, interpolate each constraint's crossing on log2(concurrency) and
// take the earliest (the binding one).
}  // namespace

namespace {

// Power per GPU over a measured point's own window (dcgm_correlation.points,
// matched by concurrency), when the correlation has one.
std::optional<double> point_power(const AtlasCell& cell, const Point& p) {
  auto c = cell.extra.find("dcgm_correlation");
  if (c == cell.extra.end() || !c->is_object() || !c->contains("points") || !p.concurrency) return std::nullopt;
  for (const auto& pj : (*c)["points"])
    if (pj.value("concurrency", -1L) == *p.concurrency && pj.contains("power_watts_per_gpu") && pj["power_watts_per_gpu"].is_number())
      return pj["power_watts_per_gpu"].get<double>();
  return std::nullopt;
}

std::optional<double> cell_power(const AtlasCell& cell) {
  auto c = cell.extra.find("dcgm_correlation");
  if (c == cell.extra.end() || !c->is_object()) return std::nullopt;
  auto w = c->find("power_watts_per_gpu");
  return w != c->end() && w->is_number() ? std::optional<double>(w->get<double>()) : std::nullopt;
}

// Power and tokens/W at a TPM point lying `t` of the way from `lo` to `hi`
// (hi null: at lo).
void add_power(TpmPoint& tp, const AtlasCell& cell, const Point& lo, const Point* hi, double t) {
  auto a = point_power(cell, lo);
  auto b = hi && t > 0 ? point_power(cell, *hi) : a;
  if (a && b) {
    tp.power_watts_per_gpu = *a + (*b - *a) * (hi && t > 0 ? t : 0);
    tp.power_basis = "point window";
  } else if (auto m = cell_power(cell)) {
    tp.power_watts_per_gpu = *m;
    tp.power_basis = "cell window mean";
  }
  if (tp.power_watts_per_gpu && *tp.power_watts_per_gpu > 0) tp.tokens_per_watt = tp.output_tok_s_per_gpu / *tp.power_watts_per_gpu;
}

}  // namespace

CellSla cell_sla(const AtlasCell& cell, const TpmConfig& cfg) {
  std::vector<const Point*> pts;
  for (const auto& p : cell.points)
    if (usable(p)) pts.push_back(&p);
  std::sort(pts.begin(), pts.end(), [](const Point* a, const Point* b) { return *a->concurrency < *b->concurrency; });
  CellSla r;
  if (pts.empty()) {
    r.status = "no data";
    r.reason = "no measured point with output tok/s/GPU";
    return r;
  }
  const std::string& pct = cfg.sla_percentile;
  for (const Point* p : pts) {
    if (!decode_ms(*p, pct) || !stat_at(p->ttft_ms, pct)) {
      r.status = "no decode metric";
      r.reason = fmt::format("cell {} c={} lacks {} TTFT or TPOT/ITL", cell.cell_id, *p->concurrency, pct);
      return r;
    }
  }
  auto meets = [&](const Point* p) { return *stat_at(p->ttft_ms, pct) <= cfg.ttft_sla_ms && *decode_ms(*p, pct) <= cfg.tpot_sla_ms; };
  auto make = [&](const Point* p) {
    TpmPoint t;
    t.cell_id = cell.cell_id;
    t.max_num_batched_tokens = cell.max_num_batched_tokens;
    t.concurrency = static_cast<double>(*p->concurrency);
    t.output_tok_s_per_gpu = *p->output_tok_s_per_gpu;
    if (p->total_tok_s && cell.gpus && *cell.gpus > 0) t.total_tok_s_per_gpu = *p->total_tok_s / *cell.gpus;
    t.ttft_ms = stat_at(p->ttft_ms, pct);
    t.tpot_ms = decode_ms(*p, pct);
    t.quality = quality_of(*p);
    t.trials = p->trials;
    add_power(t, cell, *p, nullptr, 0);
    return t;
  };
  if (!meets(pts.front())) {
    r.status = "below sweep";
    const Point& p0 = *pts.front();
    std::string over;
    if (double v = *stat_at(p0.ttft_ms, pct); v > cfg.ttft_sla_ms) over = fmt::format("TTFT {:.0f} ms > {:g} ms", v, cfg.ttft_sla_ms);
    if (double v = *decode_ms(p0, pct); v > cfg.tpot_sla_ms)
      over += fmt::format("{}TPOT {:.1f} ms > {:g} ms", over.empty() ? "" : ", ", v, cfg.tpot_sla_ms);
    r.reason = fmt::format("already violated at the lowest tested concurrency (c={}): {}", *p0.concurrency, over);
    return r;
  }
  size_t i = 0;
  while (i + 1 < pts.size() && meets(pts[i + 1])) ++i;
  const Point* lo = pts[i];
  if (i + 1 == pts.size()) {
    r.point = make(lo);
    r.lo = lo;
    r.point->range_note = "above sweep";
    r.status = "above sweep";
    r.reason = fmt::format("the SLA still holds at the highest tested concurrency ({}); capacity may be higher", *lo->concurrency);
    return r;
  }
  const Point* hi = pts[i + 1];
  double x0 = std::log2(static_cast<double>(*lo->concurrency)), x1 = std::log2(static_cast<double>(*hi->concurrency));
  // Fraction of the way from lo to hi where a metric reaches its limit.
  auto crossing = [&](double v0, double v1, double limit) -> std::optional<double> {
    if (v1 <= limit) return std::nullopt;  // not violated by this metric
    if (v1 == v0) return 0.0;
    return std::clamp((limit - v0) / (v1 - v0), 0.0, 1.0);
  };
  auto t_ttft = crossing(*stat_at(lo->ttft_ms, pct), *stat_at(hi->ttft_ms, pct), cfg.ttft_sla_ms);
  auto t_tpot = crossing(*decode_ms(*lo, pct), *decode_ms(*hi, pct), cfg.tpot_sla_ms);
  double t = std::min(t_ttft.value_or(1.0), t_tpot.value_or(1.0));
  std::string binding = (t_ttft && (!t_tpot || *t_ttft <= *t_tpot)) ? "ttft" : "tpot";
  TpmPoint p = make(lo);
  if (t > 0) {
    p.concurrency = std::exp2(lerp(x0, x1, t));
    p.output_tok_s_per_gpu = lerp(*lo->output_tok_s_per_gpu, *hi->output_tok_s_per_gpu, t);
    TpmPoint h = make(hi);
    if (p.total_tok_s_per_gpu && h.total_tok_s_per_gpu) p.total_tok_s_per_gpu = lerp(*p.total_tok_s_per_gpu, *h.total_tok_s_per_gpu, t);
    else p.total_tok_s_per_gpu.reset();
    p.ttft_ms = lerp(*stat_at(lo->ttft_ms, pct), *stat_at(hi->ttft_ms, pct), t);
    p.tpot_ms = lerp(*decode_ms(*lo, pct), *decode_ms(*hi, pct), t);
    p.interpolated = t < 1.0;
    // An interpolated number inherits what is wrong with either neighbour.
    if (p.interpolated) p.quality = merged(quality_of(*lo), quality_of(*hi));
    if (p.interpolated) p.trials = std::min(lo->trials, hi->trials);
    p.power_watts_per_gpu.reset();
    p.tokens_per_watt.reset();
    add_power(p, cell, *lo, hi, t);
  }
  p.binding_constraint = binding;
  r.point = p;
  r.lo = lo;
  r.hi = hi;
  r.t = t;
  r.status = p.interpolated ? "interpolated" : "met";
  r.reason = fmt::format("{} binds between c={} and c={}", binding == "ttft" ? "TTFT" : "TPOT", *lo->concurrency, *hi->concurrency);
  return r;
}

std::vector<TpmGroup> compute_tpm(const std::vector<AtlasCell>& cells, const TpmConfig& cfg) {
  if (std::any_of(cells.begin(), cells.end(), is_roofline_sweep)) return compute_tpm(serving_cells(cells), cfg);
  // One row per variant: the identity without mbt, so the row says which mbt
  // won; arms tie-broken by cell id and workloads stay apart.
  const IdentityLabeler identity(cells, {"max_num_batched_tokens"});
  const IdentityLabeler short_label(cells, {"max_num_batched_tokens", "model", "isl", "osl"});
  std::map<std::string, TpmGroup> groups;
  for (const auto& cell : cells) {
    std::string key = identity.key(cell);
    TpmGroup& g = groups[key];
    if (g.key.empty()) {
      g.key = key;
      g.label = identity.label(cell);
      g.variant = short_label.label(cell);
      g.model = cell.model.value_or("?");
      g.hardware = cell.hardware.value_or("?");
      g.quant = cell.quant.value_or("?");
      g.strategy = cell.parallel_strategy.value_or("?");
      g.engine = cell.engine.value_or("?");
      g.tensor_parallel = cell.tensor_parallel.value_or(0);
      g.pipeline_parallel = cell.pipeline_parallel.value_or(1);
      g.replica_gpus = g.tensor_parallel * g.pipeline_parallel;
      g.mtp = cell.mtp.value_or(false);
      g.isl = cell.isl;
      g.osl = cell.osl;
      if (auto it = cfg.cost.find(g.hardware); it != cfg.cost.end()) g.cost = it->second;
      else if (!cell.hardware) g.cost_reason = "hardware unknown, so no $/GPU-hour applies";
      else g.cost_reason = fmt::format("no price for {} in the cost table (add cost.{} to the campaign config)", g.hardware, g.hardware);
      g.sla_status = "no data";
    }
    g.cells.push_back(cell.cell_id);
    std::string wl = fmt::format("ISL {} / OSL {} {} {}", cell.isl ? std::to_string(*cell.isl) : "?",
                                 cell.osl ? std::to_string(*cell.osl) : "?", cell.dataset.value_or("?"), cell.cache_mode.value_or("?"));
    if (std::find(g.workloads.begin(), g.workloads.end(), wl) == g.workloads.end()) g.workloads.push_back(wl);
    // Peak: the measured point with the highest output tok/s/GPU.
    for (const auto& p : cell.points) {
      if (!usable(p)) continue;
      if (!g.peak || *p.output_tok_s_per_gpu > g.peak->output_tok_s_per_gpu) {
        TpmPoint t;
        t.cell_id = cell.cell_id;
        t.max_num_batched_tokens = cell.max_num_batched_tokens;
        t.concurrency = static_cast<double>(*p.concurrency);
        t.output_tok_s_per_gpu = *p.output_tok_s_per_gpu;
        if (p.total_tok_s && cell.gpus && *cell.gpus > 0) t.total_tok_s_per_gpu = *p.total_tok_s / *cell.gpus;
        t.ttft_ms = stat_at(p.ttft_ms, cfg.sla_percentile);
        t.tpot_ms = decode_ms(p, cfg.sla_percentile);
        t.quality = quality_of(p);
        t.trials = p.trials;
        add_power(t, cell, p, nullptr, 0);
        g.peak = t;
      }
    }
    CellSla s = cell_sla(cell, cfg);
    // A group's SLA point is the best across its cells; a group with any cell
    // lacking a decode metric cannot promise an SLA from those rows.
    if (s.status == "no decode metric") {
      if (!g.sla) {
        g.sla_status = s.status;
        g.sla_reason = s.reason;
      }
      continue;
    }
    if (s.point && (!g.sla || s.point->output_tok_s_per_gpu > g.sla->output_tok_s_per_gpu)) {
      g.sla = s.point;
      g.sla_status = s.status;
      g.sla_reason = s.reason;
    } else if (!g.sla && (g.sla_status == "no data" || g.sla_status.empty())) {
      g.sla_status = s.status;
      g.sla_reason = s.reason;
    }
  }
  std::vector<TpmGroup> out;
  for (auto& [k, g] : groups) {
    if (!g.peak && g.sla_status == "no data") {
      long rate_runs = 0;
      for (const auto& cell : cells)
        if (std::find(g.cells.begin(), g.cells.end(), cell.cell_id) != g.cells.end())
          for (const auto& p : cell.points) rate_runs += rate_only(p);
      if (rate_runs > 0) {
        g.sla_status = "request-rate runs only";
        g.sla_reason = fmt::format("{} point{} {} request-rate run{} without a concurrency; capacity needs a concurrency sweep",
                                   rate_runs, rate_runs == 1 ? "" : "s", rate_runs == 1 ? "is a" : "are", rate_runs == 1 ? "" : "s");
      }
    }
    auto no_total = [](const std::optional<TpmPoint>& p) { return p && !p->total_tok_s_per_gpu; };
    if (no_total(g.peak) || no_total(g.sla)) g.total_reason = "the benchmark reported no total (input + output) token throughput";
    if (g.peak) g.peak->basis = basis_of(g.peak->output_tok_s_per_gpu, g.peak->total_tok_s_per_gpu, g.replica_gpus, cfg.gpus_per_node, g.cost);
    if (g.sla) g.sla->basis = basis_of(g.sla->output_tok_s_per_gpu, g.sla->total_tok_s_per_gpu, g.replica_gpus, cfg.gpus_per_node, g.cost);
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace ptr
