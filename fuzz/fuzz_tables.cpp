// Small documented files read at render time: a cell's requests.csv and the
// speed-of-light ceilings YAML.
#include <string>

#include "analysis/roofline/ceilings.hpp"
#include "fuzz_entry.hpp"
#include "model/request_table.hpp"
#include "util/error.hpp"

PTR_FUZZ_TARGET(tables) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)ptr::parse_request_table(text, "requests.csv");
  } catch (const ptr::Error&) {
  }
  try {
    (void)ptr::parse_sol_ceilings(text, "ceilings.yaml");
  } catch (const ptr::Error&) {
  }
  return 0;
}
