// The campaign YAML with its tpm:, cost:, provenance: and cells blocks.
#include <string>

#include "campaign/config.hpp"
#include "fuzz_entry.hpp"
#include "util/error.hpp"

PTR_FUZZ_TARGET(campaign_config) {
  try {
    (void)ptr::parse_campaign_config(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  } catch (const ptr::Error&) {
  }
  return 0;
}
