// The JSON and YAML readers under every parser: the lenient JSON reader (depth
// limit, duplicate keys, bare NaN/Infinity), JSON lines, the forward-only
// scanner of the large formats, and YAML to JSON (alias bombs, depth).
#include <string>

#include "fuzz_entry.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"
#include "util/json_scan.hpp"
#include "util/yaml_json.hpp"

PTR_FUZZ_TARGET(json_yaml) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)ptr::parse_json_lenient(text, "f.json");
  } catch (const ptr::Error&) {
  }
  try {
    (void)ptr::parse_json_lines(text, "f.jsonl");
  } catch (const ptr::Error&) {
  }
  try {
    ptr::JsonScanner s(text.data(), text.data() + text.size());
    while (!s.at_end()) s.skip_value();
  } catch (const ptr::JsonScanError&) {
  }
  try {
    (void)ptr::parse_yaml_document(text, "f.yaml");
  } catch (const ptr::Error&) {
  }
  return 0;
}
