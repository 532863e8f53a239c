#pragma once
// What the lake knows of a campaign's configurations before it (report_render
// --history): earlier published campaigns, matched on the comparison key
// (the configuration without the stack), with the numbers the trend page
// draws. Plain data: the lake fills it, the report draws it.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ptr {

struct LakeHistory {
  std::string lake;  // the URL, password elided
  struct Campaign {
    std::string id, published_at;
  };
  std::vector<Campaign> campaigns;  // earlier published ones with a match, oldest first
  // comparison digest -> campaign id -> value
  std::map<std::string, std::map<std::string, double>> best_output_tok_s_per_gpu;
  std::map<std::string, std::map<std::string, double>> sla_output_tpm_per_gpu;  // keyed by the digest of the SLA point's cell
  std::optional<std::string> this_published_at;  // when the current campaign is in the lake too
};

}  // namespace ptr
