#include "lake/presets.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace ptr {

const std::vector<LakePreset>& lake_presets() {
  static const std::vector<LakePreset> p = {
      {"best_tok_s_per_gpu", "Best output tok/s/GPU per model and hardware, campaign by campaign over time.",
       "SELECT a.model, a.hardware, c.published_at, a.campaign_id, MAX(a.output_tok_s_per_gpu) AS best_output_tok_s_per_gpu, "
       "COUNT(*) AS ok_points\n"
       "FROM atlas_v1 a JOIN campaign_v1 c ON c.campaign_id = a.campaign_id\n"
       "WHERE a.status = 'ok' AND a.output_tok_s_per_gpu IS NOT NULL\n"
       "GROUP BY a.model, a.hardware, c.published_at, a.campaign_id\n"
       "ORDER BY a.model IS NULL, a.model, a.hardware IS NULL, a.hardware, c.published_at, a.campaign_id"},
      {"regressions",
       "Points whose output tok/s/GPU fell more than 5 % against the previous published campaign with the same comparison key "
       "(configuration without the stack) and concurrency, with both engine versions.",
       "WITH pts AS (\n"
       "  SELECT a.comparison_key, a.concurrency, a.cell_id, a.campaign_id, c.published_at, a.engine_version, a.output_tok_s_per_gpu AS v\n"
       "  FROM atlas_v1 a JOIN campaign_v1 c ON c.campaign_id = a.campaign_id\n"
       "  WHERE a.status = 'ok' AND a.output_tok_s_per_gpu IS NOT NULL AND a.concurrency IS NOT NULL),\n"
       "lagged AS (\n"
       "  SELECT pts.*, LAG(v) OVER w AS prev_v, LAG(campaign_id) OVER w AS prev_campaign, LAG(engine_version) OVER w AS prev_engine_version\n"
       "  FROM pts WINDOW w AS (PARTITION BY comparison_key, concurrency ORDER BY published_at, campaign_id))\n"
       "SELECT campaign_id, prev_campaign, cell_id, concurrency, prev_v AS prev_output_tok_s_per_gpu, v AS output_tok_s_per_gpu,\n"
       "       100.0 * (v - prev_v) / prev_v AS delta_pct, prev_engine_version, engine_version\n"
       "FROM lagged WHERE prev_v > 0 AND v < 0.95 * prev_v\n"
       "ORDER BY delta_pct, campaign_id, cell_id, concurrency"},
      {"sla_tpm_per_dollar",
       "Output tokens per dollar at each variant's SLA point, latest campaign of each slug (v_latest_tpm), best first.",
       "SELECT t.campaign_id, t.variant, t.hardware, t.concurrency, t.output_tpm_per_gpu, t.usd_per_gpu_hour,\n"
       "       t.output_tpm_per_gpu * 60 / t.usd_per_gpu_hour AS output_tokens_per_usd, t.usd_per_1m_output_tokens, t.cost_estimate\n"
       "FROM v_latest_tpm t\n"
       "WHERE t.point_kind = 'sla' AND t.output_tpm_per_gpu IS NOT NULL AND t.usd_per_gpu_hour > 0\n"
       "ORDER BY output_tokens_per_usd DESC, t.campaign_id, t.variant"},
      {"champion_history", "Each published campaign's RECOMMENDED FOR PRODUCTION pick, its margin over the baseline and tier.",
       "SELECT c.published_at, ch.campaign_id, ch.cell_id, ch.engine, ch.delivery, ch.score, ch.delta_pct_vs_baseline, ch.welch_p,\n"
       "       ch.tier, ch.tpot_slo_ms\n"
       "FROM champion_v1 ch JOIN campaign_v1 c ON c.campaign_id = ch.campaign_id\n"
       "WHERE ch.is_champion\n"
       "ORDER BY c.published_at, ch.campaign_id"},
  };
  return p;
}

const LakePreset* find_preset(const std::string& name) {
  for (const auto& p : lake_presets())
    if (p.name == name) return &p;
  return nullptr;
}

namespace {

std::string cell_text(const SqlValue& v, bool exact) {
  if (auto d = std::get_if<double>(&v); d && !exact && std::isfinite(*d)) return fmt::format("{:.6g}", *d);
  return sql_text(v);
}

}  // namespace

std::string result_table(const SqlResult& r) {
  std::vector<size_t> width;
  for (const auto& c : r.columns) width.push_back(c.size());
  for (const auto& row : r.rows)
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], cell_text(row[i], false).size());
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i) out += fmt::format("{}{:<{}}", i ? "  " : "", cells[i], width[i]);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(r.columns);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  out += line(rule);
  for (const auto& row : r.rows) {
    std::vector<std::string> cells;
    for (const auto& v : row) cells.push_back(cell_text(v, false));
    out += line(cells);
  }
  return out + fmt::format("({} row{})\n", r.rows.size(), r.rows.size() == 1 ? "" : "s");
}

std::string result_csv(const SqlResult& r) {
  auto field = [](const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  };
  std::string out;
  for (size_t i = 0; i < r.columns.size(); ++i) out += (i ? "," : "") + field(r.columns[i]);
  out += "\n";
  for (const auto& row : r.rows) {
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + field(cell_text(row[i], true));
    out += "\n";
  }
  return out;
}

nlohmann::json result_json(const SqlResult& r) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : r.rows) {
    nlohmann::json o = nlohmann::json::object();
    for (size_t i = 0; i < row.size(); ++i) {
      const SqlValue& v = row[i];
      if (std::holds_alternative<std::monostate>(v)) o[r.columns[i]] = nullptr;
      else if (auto s = std::get_if<std::string>(&v)) o[r.columns[i]] = *s;
      else if (auto n = std::get_if<long long>(&v)) o[r.columns[i]] = *n;
      else if (auto d = std::get_if<double>(&v)) o[r.columns[i]] = std::isfinite(*d) ? nlohmann::json(*d) : nlohmann::json(sql_text(v));
      else o[r.columns[i]] = std::get<bool>(v);
    }
    rows.push_back(std::move(o));
  }
  return rows;
}

}  // namespace ptr
