#pragma once
// The trend page's data from the lake: earlier published campaigns whose
// points share a comparison key with `digests` (the current campaign's).
#include <set>
#include <string>

#include "analysis/history.hpp"
#include "lake/lake_db.hpp"

namespace ptr {

// At most `max_campaigns` earlier campaigns, the latest ones.
LakeHistory lake_history(const LakeUrl& url, const std::string& campaign_id, const std::set<std::string>& digests, size_t max_campaigns = 8);

}  // namespace ptr
