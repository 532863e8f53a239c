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
// One YAML document as JSON; malformed text is an input error naming the
// file and line.
nlohmann::json parse_yaml_document(const std::string& text, const std::string& file);

}  // namespace ptr
