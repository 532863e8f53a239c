#include "lake/schema.hpp"

#include <fmt/format.h>
#include <functional>

#include "analysis/tpm_export.hpp"
#include "lake/atlas_table.hpp"
#include "lake/presets.hpp"
#include "util/error.hpp"
#include "util/time_utc.hpp"

namespace ptr {

namespace {

using T = SqlType;

// tpm_summary's columns, typed as the column table declares; two names that
// SQL reserves or overloads are renamed (group -> group_key, point -> point_kind).
std::string tpm_lake_name(const std::string& n) { return n == "group" ? "group_key" : n == "point" ? "point_kind" : n; }

SqlType tpm_type(const std::string& kind) {
  return kind == "integer" ? T::integer : kind == "real" ? T::real : kind == "bool" ? T::boolean : T::text;
}

std::vector<LakeTable> build_tables() {
  std::vector<LakeTable> t;
  t.push_back({"campaign_v1", "One row per published campaign: what the report says about itself.",
               {{"campaign_id", T::text, "", "Campaign id (the folder name)."},
                {"slug", T::text, "", "Campaign slug: the same study over time shares it."},
                {"name", T::text, "", "Campaign name from its config."},
                {"report_path", T::text, "", "The report as published (inside the campaign)."},
                {"report_sha256", T::text, "", "SHA-256 of the report PDF at publish time: a later render changes nothing here until republished."},
                {"atlas_cells", T::integer, "cells", "Serving cells in the atlas."},
                {"full_sweeps", T::integer, "cells", "Cells with every requested concurrency ok."},
                {"partial_sweeps", T::integer, "cells", "Cells with some points failed or missing."},
                {"failed_cells", T::integer, "cells", "Cells with no ok point."},
                {"plot_ready_points", T::integer, "points", "Points placed on the throughput scatter."},
                {"sol_complete", T::boolean, "", "The report has its speed-of-light pages (report_status)."},
                {"sol_rigor", T::text, "", "none | L1 | L3 | L4 (report_status)."},
                {"dcgm_grounded", T::boolean, "", "GPU telemetry grounds the speed of light (report_status)."},
                {"focus", T::text, "", "latency | throughput | mixed."},
                {"verdict_tier_claimed", T::text, "", "draft | verdict as the config claims."},
                {"verdict_tier", T::text, "", "draft | verdict as recorded (a claim the gates do not support is draft)."},
                {"downgrade_reason", T::text, "", "Why a verdict claim was recorded as draft."},
                {"recommended_cell", T::text, "", "champion_select's pick (null without one)."},
                {"methodology_problems", T::integer, "", "Methodology problems found in the atlas."},
                {"gaps_json", T::text, "", "What the campaign lacks (JSON list of sentences), also warned at publish."},
                {"ttft_sla_ms", T::real, "ms", "TTFT limit behind tpm_v1 (the config's tpm: block)."},
                {"tpot_sla_ms", T::real, "ms", "TPOT limit behind tpm_v1."},
                {"sla_percentile", T::text, "", "Statistic the limits apply to."},
                {"published_at", T::text, "UTC", "When it was published (ISO 8601, UTC)."},
                {"tool_version", T::text, "", "perftunereport version that published it."}},
               {"campaign_id"}});
  LakeTable atlas{"atlas_v1", "One row per (campaign, cell, point): the full descriptor and every metric of the point.", atlas_columns(),
                  {"campaign_id", "cell_id", "point_index"}};
  t.push_back(atlas);
  LakeTable tpm{"tpm_v1", "tpm_summary's rows (peak and SLA point per group), every basis, recomputed with the campaign's config.", {}, {}};
  tpm.columns.push_back({"campaign_id", T::text, "", "Campaign."});
  for (const auto& c : tpm_columns()) tpm.columns.push_back({tpm_lake_name(c.name), tpm_type(c.kind), c.unit, c.doc});
  for (const LakeColumn& c : std::vector<LakeColumn>{
           {"engine", T::text, "", "Engine of the row's cell."},
           {"mean_isl", T::real, "tokens", "Mean input tokens per request over the row's cell's ok points."},
           {"mean_osl", T::real, "tokens", "Mean output tokens per request over the row's cell's ok points."},
           {"cache_mode", T::text, "", "warm | cold of the row's cell."},
           {"prefix_cache_hit_rate", T::real, "", "Prefix-cache hit rate of the row's cell, when recorded."},
           {"ttft_sla_ms", T::real, "ms", "TTFT limit used."},
           {"tpot_sla_ms", T::real, "ms", "TPOT limit used."},
           {"sla_percentile", T::text, "", "Statistic the limits apply to."}})
    tpm.columns.push_back(c);
  tpm.key = {"campaign_id", "group_key", "point_kind"};
  t.push_back(tpm);
  t.push_back({"cost_v1", "Cost and energy per tpm_v1 row: $/1M tokens at the rate used, tokens per watt.",
               {{"campaign_id", T::text, "", "Campaign."},
                {"group_key", T::text, "", "tpm_v1's group."},
                {"point_kind", T::text, "", "peak | sla."},
                {"hardware", T::text, "", "Accelerator."},
                {"output_tok_s_per_gpu", T::real, "tok/s/GPU", "The point's output rate per GPU."},
                {"usd_per_gpu_hour", T::real, "$/GPU-h", "Rate used."},
                {"cost_estimate", T::boolean, "", "true when the rate is an estimate."},
                {"usd_per_1m_output_tokens", T::real, "$", "$ per 1M output tokens."},
                {"usd_per_1m_total_tokens", T::real, "$", "$ per 1M input + output tokens."},
                {"power_watts_per_gpu", T::real, "W", "GPU power while the point ran."},
                {"tokens_per_watt", T::real, "tok/J", "Output tokens per joule per GPU."},
                {"power_basis", T::text, "", "point window | cell window mean."},
                {"cost_note", T::text, "", "Why there is no $ figure, when there is none."}},
               {"campaign_id", "group_key", "point_kind"}});
  t.push_back({"roofline_v1", "One row per roofline-sweep point (decode batch or prefill ISL): where it sits and what the GPU did.",
               {{"campaign_id", T::text, "", "Campaign."},
                {"cell_id", T::text, "", "Sweep cell."},
                {"point_index", T::integer, "", "Position of the point in the cell."},
                {"phase", T::text, "", "decode | prefill."},
                {"model", T::text, "", "Model."},
                {"hardware", T::text, "", "Accelerator."},
                {"concurrency", T::integer, "requests", "Decode batch (prefill: prompts per step)."},
                {"isl", T::integer, "tokens", "Prompt length (prefill points)."},
                {"output_tok_s", T::real, "tok/s", "Decode output rate."},
                {"total_tok_s", T::real, "tok/s", "Prefill token rate."},
                {"arithmetic_intensity", T::real, "FLOP/byte", "Of one step, from the model shape."},
                {"flops_per_token", T::real, "FLOP", "From the model shape."},
                {"bytes_per_step", T::real, "bytes", "From the model shape."},
                {"achieved_tflops_per_gpu", T::real, "TFLOP/s", "Model FLOPs x measured rate per GPU."},
                {"delivered_hbm_tb_s_per_gpu", T::real, "TB/s", "Model bytes x steps per second per GPU."},
                {"delivered_hbm_pct", T::real, "%", "Delivered HBM over the GPU's datasheet bandwidth."},
                {"dram_active_pct", T::real, "%", "DCGM DRAM activity over the point's window."},
                {"tensor_active_pct", T::real, "%", "DCGM tensor-pipe activity."},
                {"sm_active_pct", T::real, "%", "DCGM SM activity."},
                {"power_w", T::real, "W", "GPU power."}},
               {"campaign_id", "cell_id", "point_index"}});
  t.push_back({"champion_v1", "champion_select's candidates, as the report's page 8 shows them.",
               {{"campaign_id", T::text, "", "Campaign."},
                {"cell_id", T::text, "", "Candidate cell."},
                {"rank", T::integer, "", "1 = the pick."},
                {"is_champion", T::boolean, "", "The RECOMMENDED FOR PRODUCTION cell."},
                {"is_baseline", T::boolean, "", "The baseline arm."},
                {"engine", T::text, "", "Engine."},
                {"delivery", T::text, "", "Delivery the number is evidence for."},
                {"sol_rigor", T::text, "", "Speed-of-light evidence of the cell."},
                {"focus", T::text, "", "throughput | latency."},
                {"metric", T::text, "", "What score measures."},
                {"score", T::real, "", "The focus metric at the operating point (tok/s/GPU or ms)."},
                {"score_std", T::real, "", "Its std across trials."},
                {"trials", T::integer, "runs", "Trials behind it."},
                {"at_concurrency", T::real, "requests", "Where it was taken (fractional when interpolated)."},
                {"delta_pct_vs_baseline", T::real, "%", "Better than the baseline by (positive = better)."},
                {"welch_p", T::real, "", "Welch's two-sided p against the baseline."},
                {"tier", T::text, "", "draft | verdict of the selection."},
                {"tpot_slo_ms", T::real, "ms", "TPOT limit."},
                {"ttft_slo_ms", T::real, "ms", "TTFT limit."},
                {"sla_percentile", T::text, "", "Statistic the limits apply to."}},
               {"campaign_id", "cell_id"}});
  return t;
}

std::string create_table_sql(const LakeTable& t) {
  std::string cols;
  for (const auto& c : t.columns) cols += fmt::format("  {} {},\n", c.name, sql_type_name(c.type));
  std::string key;
  for (const auto& k : t.key) key += (key.empty() ? "" : ", ") + k;
  return fmt::format("CREATE TABLE {} (\n{}  PRIMARY KEY ({})\n)", t.name, cols, key);
}

// Views both backends accept; Grafana-ready.
const char* const kViews[] = {
    "CREATE VIEW v_campaign_history AS SELECT campaign_id, slug, name, published_at, atlas_cells, plot_ready_points, sol_rigor, "
    "dcgm_grounded, verdict_tier, recommended_cell, methodology_problems, report_sha256 FROM campaign_v1",
    "CREATE VIEW v_latest_tpm AS SELECT t.* FROM tpm_v1 t JOIN campaign_v1 c ON c.campaign_id = t.campaign_id "
    "WHERE c.published_at = (SELECT MAX(c2.published_at) FROM campaign_v1 c2 WHERE c2.slug = c.slug)",
};

struct Migration {
  int version;
  const char* description;
  std::function<std::vector<std::string>()> statements;
};

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> m = {
      {1, "atlas_v1, campaign_v1, tpm_v1, cost_v1, roofline_v1, champion_v1; v_campaign_history, v_latest_tpm",
       [] {
         std::vector<std::string> s;
         for (const auto& t : lake_tables()) s.push_back(create_table_sql(t));
         s.push_back("CREATE INDEX atlas_v1_comparison ON atlas_v1 (comparison_key, concurrency)");
         for (const char* v : kViews) s.push_back(v);
         return s;
       }},
  };
  return m;
}

}  // namespace

std::vector<std::string> LakeTable::column_names() const {
  std::vector<std::string> out;
  for (const auto& c : columns) out.push_back(c.name);
  return out;
}

const std::vector<LakeTable>& lake_tables() {
  static const std::vector<LakeTable> t = build_tables();
  return t;
}

const LakeTable& lake_table(const std::string& name) {
  for (const auto& t : lake_tables())
    if (t.name == name) return t;
  throw std::logic_error("no lake table " + name);
}

const char* sql_type_name(SqlType t) {
  switch (t) {
    case T::integer: return "BIGINT";
    case T::real: return "DOUBLE PRECISION";
    case T::boolean: return "BOOLEAN";
    default: return "TEXT";
  }
}

std::vector<int> migrate_lake(LakeDb& db) {
  // Under the publishers' lock: two first publishes racing to create the
  // bookkeeping table would collide (PostgreSQL's IF NOT EXISTS is not atomic).
  std::vector<int> applied;
  LakeTransaction tx(db);
  db.exec("CREATE TABLE IF NOT EXISTS lake_migrations (version BIGINT PRIMARY KEY, description TEXT, applied_at TEXT)");
  SqlResult r = db.query("SELECT MAX(version) FROM lake_migrations");
  long long current = r.rows.empty() || std::holds_alternative<std::monostate>(r.rows[0][0]) ? 0 : std::get<long long>(r.rows[0][0]);
  if (current > kLakeSchemaVersion)
    throw_refusal(fmt::format("the lake is at schema version {}, newer than this build's {}", current, kLakeSchemaVersion),
                  "publish with a newer perftunereport");
  for (const auto& m : migrations()) {
    if (m.version <= current) continue;
    for (const auto& s : m.statements()) db.exec(s);
    db.query("INSERT INTO lake_migrations (version, description, applied_at) VALUES (?, ?, ?)",
             {static_cast<long long>(m.version), std::string(m.description), utc_iso_now()});
    applied.push_back(m.version);
  }
  tx.commit();
  return applied;
}

std::string lake_schema_markdown() {
  std::string md = fmt::format(
      "# Perf lake schema (version {})\n\nGenerated from the code by `perftunereport-gendocs` (src/lake/schema.cpp, "
      "src/lake/presets.cpp); do not edit. Types are as created on both backends (SQLite stores BOOLEAN as 0/1 and "
      "perftunereport reads it back as a bool). How to publish and query: docs/lake.md.\n\n## Tables\n\n",
      kLakeSchemaVersion);
  for (const auto& t : lake_tables()) {
    std::string key;
    for (const auto& k : t.key) key += (key.empty() ? "`" : ", `") + k + "`";
    md += fmt::format("### `{}`\n\n{} Key: {}.\n\n| column | type | unit | meaning |\n|---|---|---|---|\n", t.name, t.doc, key);
    for (const auto& c : t.columns) {
      std::string doc = c.doc;
      for (auto p = doc.find('|'); p != std::string::npos; p = doc.find('|', p + 2)) doc.replace(p, 1, "\\|");
      md += fmt::format("| `{}` | {} | {} | {} |\n", c.name, sql_type_name(c.type), c.unit, doc);
    }
    md += "\n";
  }
  md += "## Views (created by migration 1)\n\n";
  for (const char* v : kViews) md += fmt::format("```sql\n{}\n```\n\n", v);
  md += "## lake_query presets\n\n";
  for (const auto& p : lake_presets()) md += fmt::format("### `{}`\n\n{}\n\n```sql\n{}\n```\n\n", p.name, p.question, p.sql);
  md.pop_back();
  return md;
}

}  // namespace ptr
