#pragma once
// YAML read safely: aliases expand within a node budget (a few hundred bytes
// of nested aliases would otherwise expand to gigabytes), every mapping key
// is a plain string that appears once, nesting depth is bounded.
#include <string>

#include <nlohmann/json.hpp>

namespace YAML {
class Node;
}

namespace ptr {

inline constexpr size_t kMaxYamlNodes = 200000;

// Throws YAML::Exception (with its mark) on an alias bomb or a duplicate key.
void check_yaml_keys(const YAML::Node& n);
nlohmann::json yaml_to_json(const YAML::Node& n);
// The one document of a YAML text (a null node when it is empty); several
// documents or malformed text are an input error naming the file and line
// (`what` says what the document should be). Never LoadAll: yaml-cpp 0.7's
// loops forever on a stray ',' (jbeder/yaml-cpp#1040).
YAML::Node load_single_yaml_document(const std::string& text, const std::string& file, const std::string& what);
// One YAML document as JSON; malformed text is an input error naming the
// file and line.
nlohmann::json parse_yaml_document(const std::string& text, const std::string& file);

}  // namespace ptr
