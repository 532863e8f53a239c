#include "lake/history.hpp"

#include <algorithm>

#include <cmath>
#include <filesystem>

#include "util/error.hpp"

namespace ptr {

namespace {

double as_double(const SqlValue& v) {
  if (auto d = std::get_if<double>(&v)) return *d;
  if (auto i = std::get_if<long long>(&v)) return static_cast<double>(*i);
  return NAN;
}

}  // namespace

LakeHistory lake_history(const LakeUrl& url, const std::string& campaign_id, const std::set<std::string>& digests, size_t max_campaigns) {
  LakeHistory h;
  h.lake = url.display;
  // Read only: a lake nobody published to has nothing to show (and is not created).
  if (url.backend == "sqlite" && !std::filesystem::exists(url.path))
    throw_usage("no lake at " + url.path + " for --history", "publish_to_lake creates it");
  auto db = open_lake(url);
  std::map<std::string, std::string> published;  // campaign -> published_at
  SqlResult best = db->query(
      "SELECT a.comparison_key, a.campaign_id, c.published_at, MAX(a.output_tok_s_per_gpu) FROM atlas_v1 a "
      "JOIN campaign_v1 c ON c.campaign_id = a.campaign_id WHERE a.status = 'ok' AND a.output_tok_s_per_gpu IS NOT NULL "
      "GROUP BY a.comparison_key, a.campaign_id, c.published_at");
  SqlResult sla = db->query(
      "SELECT a.comparison_key, t.campaign_id, c.published_at, t.output_tpm_per_gpu FROM tpm_v1 t "
      "JOIN campaign_v1 c ON c.campaign_id = t.campaign_id "
      "JOIN (SELECT DISTINCT campaign_id, cell_id, comparison_key FROM atlas_v1) a ON a.campaign_id = t.campaign_id AND a.cell_id = t.cell_id "
      "WHERE t.point_kind = 'sla' AND t.output_tpm_per_gpu IS NOT NULL");
  for (auto [result, target] : {std::pair{&best, &h.best_output_tok_s_per_gpu}, std::pair{&sla, &h.sla_output_tpm_per_gpu}})
    for (const auto& row : result->rows) {
      const auto& key = std::get<std::string>(row[0]);
      const auto& id = std::get<std::string>(row[1]);
      if (id == campaign_id) {
        h.this_published_at = std::get<std::string>(row[2]);
        continue;
      }
      if (!digests.count(key)) continue;
      (*target)[key][id] = as_double(row[3]);
      published[id] = std::get<std::string>(row[2]);
    }
  for (const auto& [id, at] : published) h.campaigns.push_back({id, at});
  std::sort(h.campaigns.begin(), h.campaigns.end(), [](const auto& a, const auto& b) { return std::tie(a.published_at, a.id) < std::tie(b.published_at, b.id); });
  if (h.campaigns.size() > max_campaigns) h.campaigns.erase(h.campaigns.begin(), h.campaigns.end() - static_cast<long>(max_campaigns));
  return h;
}

}  // namespace ptr
