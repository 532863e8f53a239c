#include "lake/publish.hpp"

#include <chrono>
#include <cstdlib>
#include <thread>
#include <fmt/format.h>

#include "analysis/methodology.hpp"
#include "analysis/roofline/ceilings.hpp"
#include "analysis/tpm_export.hpp"
#include "campaign/operations.hpp"
#include "lake/atlas_table.hpp"
#include "lake/schema.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"
#include "util/sha256.hpp"
#include "util/time_utc.hpp"
#include "util/tool_config.hpp"

namespace ptr {

namespace {

using Rows = std::vector<std::vector<SqlValue>>;

SqlValue from_json(const json& v, SqlType t) {
  if (v.is_null()) return {};
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) {
    if (t == SqlType::integer) return static_cast<long long>(std::llround(v.get<double>()));
    return v.get<double>();
  }
  if (v.is_string()) return v.get<std::string>();
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A number of a JSON object (champion_select.json, a point's extra), else null.
SqlValue num(const json& j, const char* k) { return j.contains(k) && j[k].is_number() ? SqlValue(j[k].get<double>()) : SqlValue(); }

SqlValue opt(const std::optional<double>& v) { return v ? SqlValue(*v) : SqlValue(); }
SqlValue opt(const std::optional<std::string>& v) { return v ? SqlValue(*v) : SqlValue(); }

std::optional<double> mean_of(const AtlasCell& c, std::optional<double> Point::*m) {
  double sum = 0;
  int n = 0;
  for (const auto& p : c.points)
    if (p.status != "failed" && p.*m) sum += *(p.*m), ++n;
  return n ? std::optional<double>(sum / n) : std::nullopt;
}

struct CampaignRows {
  std::map<std::string, Rows> rows;  // table -> rows, in lake_tables() column order
  std::vector<std::string> gaps, strict_gaps;
};

void tpm_and_cost_rows(const Campaign& c, const std::vector<AtlasCell>& cells, const TpmConfig& cfg, CampaignRows& out) {
  const LakeTable& tpm = lake_table("tpm_v1");
  const LakeTable& cost = lake_table("cost_v1");
  std::map<std::string, const AtlasCell*> by_id;
  for (const auto& cell : cells) by_id[cell.cell_id] = &cell;
  for (const json& r : tpm_rows(compute_tpm(cells, cfg))) {
    std::vector<SqlValue> row = {c.id};
    for (const auto& col : tpm_columns()) row.push_back(from_json(r[col.name], tpm.columns[row.size()].type));
    const AtlasCell* cell = r["cell_id"].is_string() && by_id.count(r["cell_id"].get<std::string>()) ? by_id[r["cell_id"].get<std::string>()] : nullptr;
    row.push_back(cell ? opt(cell->engine) : SqlValue());
    row.push_back(cell ? opt(mean_of(*cell, &Point::mean_input_tokens)) : SqlValue());
    row.push_back(cell ? opt(mean_of(*cell, &Point::mean_output_tokens)) : SqlValue());
    row.push_back(cell ? opt(cell->cache_mode) : SqlValue());
    row.push_back(cell ? opt(cell->prefix_cache_hit_rate) : SqlValue());
    row.push_back(cfg.ttft_sla_ms);
    row.push_back(cfg.tpot_sla_ms);
    row.push_back(cfg.sla_percentile);
    out.rows["tpm_v1"].push_back(std::move(row));
    std::vector<SqlValue> crow = {c.id, r["group"].get<std::string>(), r["point"].get<std::string>()};
    for (size_t i = 3; i < cost.columns.size(); ++i) crow.push_back(from_json(r.value(cost.columns[i].name, json()), cost.columns[i].type));
    out.rows["cost_v1"].push_back(std::move(crow));
  }
}

void roofline_rows(const Campaign& c, const std::vector<AtlasCell>& cells, CampaignRows& out) {
  std::optional<SolCeilings> ceilings;
  if (find_tool_config("sol-ceilings.yaml", "SOL_CEILINGS_YAML", c.dir)) ceilings = load_sol_ceilings(c.dir);
  for (const auto& cell : cells) {
    if (!is_roofline_sweep(cell)) continue;
    const GpuCeiling* gpu = ceilings ? ceilings->for_hardware(cell.hardware.value_or("")) : nullptr;
    long idx = 0;
    for (const auto& p : cell.points) {
      const json& r = p.extra.value("roofline", json::object());
      const json& t = p.extra.value("telemetry", json::object());
      SqlValue hbm_pct;
      if (gpu && r.contains("delivered_hbm_tb_s_per_gpu") && r["delivered_hbm_tb_s_per_gpu"].is_number() && gpu->hbm_tb_s > 0)
        hbm_pct = r["delivered_hbm_tb_s_per_gpu"].get<double>() / gpu->hbm_tb_s * 100;
      out.rows["roofline_v1"].push_back({c.id, cell.cell_id, static_cast<long long>(idx++), opt(cell.sweep_kind), opt(cell.model), opt(cell.hardware),
                                         p.concurrency ? SqlValue(static_cast<long long>(*p.concurrency)) : SqlValue(),
                                         p.isl ? SqlValue(static_cast<long long>(*p.isl)) : SqlValue(), opt(p.output_tok_s), opt(p.total_tok_s),
                                         num(r, "arithmetic_intensity"), num(r, "flops_per_token"), num(r, "bytes_per_step"),
                                         num(r, "achieved_tflops_per_gpu"), num(r, "delivered_hbm_tb_s_per_gpu"), hbm_pct,
                                         num(t, "dram_active_pct"), num(t, "tensor_active_pct"), num(t, "sm_active_pct"), num(t, "power_w")});
    }
  }
}

void champion_rows(const Campaign& c, const json& ch, CampaignRows& out) {
  if (!ch.is_object()) return;
  const json& slo = ch.value("slo", json::object());
  long rank = 0;
  for (const auto& r : ch.value("ranked", json::array())) {
    std::string cell = r.value("cell", "");
    const json& welch = r.value("welch", json::object());
    out.rows["champion_v1"].push_back(
        {c.id, cell, static_cast<long long>(++rank), ch.value("champion", json()) == json(cell), ch.value("baseline", json()) == json(cell),
         from_json(r.value("engine", json()), SqlType::text), from_json(r.value("delivery", json()), SqlType::text),
         from_json(r.value("sol_rigor", json()), SqlType::text), from_json(ch.value("focus", json()), SqlType::text),
         from_json(ch.value("metric", json()), SqlType::text), num(r, "score"), num(r, "score_std"),
         r.contains("trials") && r["trials"].is_number() ? SqlValue(r["trials"].get<long long>()) : SqlValue(), num(r, "at_concurrency"),
         num(r, "delta_pct_vs_baseline"), num(welch, "p_two_sided"), from_json(ch.value("verdict_tier", ch.value("tier", json())), SqlType::text),
         num(slo, "tpot_sla_ms"), num(slo, "ttft_sla_ms"), from_json(slo.value("sla_percentile", json()), SqlType::text)});
  }
}

// The kill -9 test's hook: with PERFTUNEREPORT_TEST_PUBLISH_PAUSE=<file>, the
// publisher stops mid-transaction after its first table, says so in <file>
// and waits to be killed (tests/lake: the previous rows must survive).
void pause_for_kill_test(const std::string& table) {
  const char* marker = std::getenv("PERFTUNEREPORT_TEST_PUBLISH_PAUSE");
  if (!marker || !*marker) return;
  atomic_write(marker, table + "\n", false);
  std::this_thread::sleep_for(std::chrono::seconds(60));
}

}  // namespace

std::string default_lake_url(const fs::path& root, const std::string& flag, bool confine_sqlite) {
  std::string url = flag;
  if (url.empty())
    if (const char* env = std::getenv("PERFREPORT_LAKE"); env && *env) url = env;
  if (url.empty()) url = "sqlite://" + fs::absolute(root / "perf-lake.sqlite").lexically_normal().string();
  LakeUrl u = parse_lake_url(url);
  if (confine_sqlite && u.backend == "sqlite") {
    fs::path p = fs::absolute(root / u.path).lexically_normal(), r = fs::absolute(root).lexically_normal();
    auto rel = p.lexically_relative(r);
    if (rel.empty() || *rel.begin() == "..")
      throw_usage("the SQLite lake " + u.path + " lies outside the campaigns root", "over MCP a sqlite:// lake must be under " + r.string());
  }
  return url;
}

json publish_to_lake(const fs::path& root, const PublishRequest& req, Warnings& warnings) {
  Campaign c = open_campaign(root, req.campaign);
  FileLock lock(c.dir, "publish_to_lake", lock_wait_seconds());
  LakeUrl url = parse_lake_url(default_lake_url(root, req.lake, req.confine_sqlite));
  if (url.backend == "sqlite" && fs::path(url.path).is_relative()) url.path = (root / url.path).string();
  // The one hard requirement: the report exists and is not older than the atlas.
  fs::path report = c.dir / "report.pdf", status_file = c.dir / "report_status.json", atlas = c.dir / "atlas.jsonl";
  if (!fs::exists(report) || !fs::exists(status_file))
    throw_refusal("report_render has not run for " + c.id + ": a campaign is published with its report",
                  "perftunereport report_render --campaign " + c.id);
  if (fs::exists(atlas) && fs::last_write_time(report) < fs::last_write_time(atlas))
    throw_refusal("the report of " + c.id + " is older than its atlas: publishing would pair new rows with an old report",
                  "perftunereport report_render --campaign " + c.id);
  json status = parse_json_lenient(read_file(status_file), status_file.string());
  std::vector<AtlasCell> cells = read_atlas(c);
  TpmConfig cfg = discover_tpm_config(c.config.tpm, c.config.cost, (c.dir / "config.yaml").string());
  json champion;
  if (fs::path f = c.dir / "champion_select.json"; fs::exists(f)) champion = parse_json_lenient(read_file(f), f.string());

  CampaignRows rows;
  // What the campaign lacks: always recorded; --strict refuses on the seed's list.
  const json& cov = status.value("coverage", json::object());
  long plot_ready = cov.value("plot_ready_points", 0L);
  bool throughput = c.config.focus != "latency";
  bool page7 = false;
  for (const auto& p : status.value("pages", json::array())) page7 = page7 || p.value("id", "") == "page7";
  auto problems = methodology_problems(cells);
  auto strict_gap = [&](const std::string& g) {
    rows.gaps.push_back(g);
    rows.strict_gaps.push_back(g);
  };
  if (throughput && plot_ready > 0 && !page7) strict_gap("no roofline sweep page (page 7) for a throughput campaign: cell_run --roofline, import_roofline_sweep");
  if (throughput && plot_ready == 0) strict_gap("0 throughput-scatter points");
  if (!status.value("dcgm_grounded", false)) strict_gap("not DCGM-grounded (dcgm_correlate or cell_run --telemetry)");
  if (!problems.empty()) strict_gap(fmt::format("{} methodology problem(s)", problems.size()));
  std::string tier_recorded = champion.is_object() ? champion.value("verdict_tier", std::string("draft")) : "draft";
  if (c.config.verdict_tier == "verdict" && tier_recorded != "verdict")
    strict_gap(champion.is_object() ? "verdict claimed, recorded as draft: " + champion.value("downgrade_reason", std::string("the gates do not hold"))
                                    : "verdict claimed without a champion_select");
  if (!champion.is_object() && std::any_of(cells.begin(), cells.end(), [](const AtlasCell& x) { return x.arm.has_value(); }))
    rows.gaps.push_back("A/B arms without a champion_select");
  if (req.strict && !rows.strict_gaps.empty()) {
    std::string list;
    for (const auto& g : rows.strict_gaps) list += "\n  - " + g;
    throw_refusal(fmt::format("--strict: {} is not publishable ({} gap(s)); nothing written:{}", c.id, rows.strict_gaps.size(), list),
                  "close the gaps, or publish without --strict (the gaps are recorded on campaign_v1)");
  }

  for (const auto& cell : cells) {
    if (is_roofline_sweep(cell)) continue;
    long i = 0;
    std::vector<SqlValue> cell_values = atlas_cell_values(cell);
    for (const auto& p : cell.points) rows.rows["atlas_v1"].push_back(atlas_row(cell_values, p, i++));
  }
  tpm_and_cost_rows(c, cells, cfg, rows);
  roofline_rows(c, cells, rows);
  champion_rows(c, champion, rows);
  std::string published_at = utc_iso_now(), sha = sha256_file_hex(report);
  json gaps = rows.gaps;
  rows.rows["campaign_v1"].push_back(
      {c.id, c.config.slug, c.config.name, fs::relative(report, c.dir).string(), sha, cov.value("atlas_cells", 0LL), cov.value("full_sweeps", 0LL),
       cov.value("partial_sweeps", 0LL), cov.value("failed_cells", 0LL), static_cast<long long>(plot_ready), status.value("sol_complete", false),
       status.value("sol_rigor", std::string("none")), status.value("dcgm_grounded", false), c.config.focus, c.config.verdict_tier, tier_recorded,
       champion.is_object() ? from_json(champion.value("downgrade_reason", json()), SqlType::text) : SqlValue(),
       champion.is_object() ? from_json(champion.value("champion", json()), SqlType::text) : SqlValue(), static_cast<long long>(problems.size()),
       gaps.dump(), cfg.ttft_sla_ms, cfg.tpot_sla_ms, cfg.sla_percentile, published_at, std::string(PERFTUNEREPORT_VERSION)});

  auto db = open_lake(url);
  std::vector<int> migrated = migrate_lake(*db);
  json counts = json::object();
  {
    LakeTransaction tx(*db);
    for (const auto& t : lake_tables()) {
      db->query("DELETE FROM " + t.name + " WHERE campaign_id = ?", {c.id});
      const Rows& r = rows.rows[t.name];
      db->insert_rows(t.name, t.column_names(), r);
      counts[t.name] = r.size();
      pause_for_kill_test(t.name);
    }
    tx.commit();
  }
  for (const auto& g : rows.gaps) add_warning(warnings, {"lake_gap", g, {}, {}, {}, "recorded on campaign_v1.gaps_json", {}});
  return {{"campaign", c.id}, {"lake", url.display}, {"backend", url.backend}, {"rows", counts}, {"gaps", gaps},
          {"strict", req.strict}, {"migrations_applied", migrated}, {"published_at", published_at}, {"report_sha256", sha}};
}

}  // namespace ptr
