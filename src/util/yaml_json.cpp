#include "util/yaml_json.hpp"

#include <fmt/format.h>
#include <set>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "util/error.hpp"
#include "util/text.hpp"

namespace ptr {

using json = nlohmann::json;

namespace {

// A YAML alias is a reference: a few hundred bytes of nested aliases expand to
// gigabytes ("billion laughs"). Expansion is bounded by a node budget.

json yaml_to_json(const YAML::Node& n, size_t& budget) {
  if (budget == 0)
    throw YAML::Exception(n.Mark(), fmt::format("the document expands to more than {} nodes through aliases; "
                                                "expected a plain config (alias bomb?)", kMaxYamlNodes));
  --budget;
  switch (n.Type()) {
    case YAML::NodeType::Null: return nullptr;
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (n.Tag() == "!") return s;  // quoted
      long l;
      double d;
      bool b;
      if (YAML::convert<long>::decode(n, l)) return l;
      if (YAML::convert<double>::decode(n, d)) return d;
      if (YAML::convert<bool>::decode(n, b)) return b;
      if (s == "~" || s == "null") return nullptr;
      return s;
    }
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const auto& e : n) a.push_back(yaml_to_json(e, budget));
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) throw YAML::Exception(kv.first.Mark(), "a mapping key must be a plain string");
        if (o.contains(kv.first.Scalar()))
          throw YAML::Exception(kv.first.Mark(), fmt::format("duplicate key '{}'", excerpt(kv.first.Scalar())));
        o[kv.first.Scalar()] = yaml_to_json(kv.second, budget);
      }
      return o;
    }
    default: return nullptr;
  }
}


// Every mapping in the document, aliases included (within the node budget):
// keys are plain strings and appear once (`cell_id: c1` then `cell_id: ../x`
// is an error, not "the last one wins").
void check_keys(const YAML::Node& n, size_t& budget) {
  if (budget == 0)
    throw YAML::Exception(n.Mark(), fmt::format("the document expands to more than {} nodes through aliases; "
                                                "expected a plain config (alias bomb?)", kMaxYamlNodes));
  --budget;
  if (n.IsSequence()) {
    for (const auto& e : n) check_keys(e, budget);
  } else if (n.IsMap()) {
    std::set<std::string> seen;
    for (const auto& kv : n) {
      if (!kv.first.IsScalar()) throw YAML::Exception(kv.first.Mark(), "a mapping key must be a plain string");
      if (!seen.insert(kv.first.Scalar()).second)
        throw YAML::Exception(kv.first.Mark(), fmt::format("duplicate key '{}'", excerpt(kv.first.Scalar())));
      check_keys(kv.second, budget);
    }
  }
}

}  // namespace

json yaml_to_json(const YAML::Node& n) {
  size_t budget = kMaxYamlNodes;
  return yaml_to_json(n, budget);
}

void check_yaml_keys(const YAML::Node& n) {
  size_t budget = kMaxYamlNodes;
  check_keys(n, budget);
}

json parse_yaml_document(const std::string& text, const std::string& file) {
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(text);
    if (docs.size() > 1)
      throw_input(file, fmt::format("{} YAML documents ('---' separators); expected one", docs.size()),
                  docs[1].Mark().line >= 0 ? docs[1].Mark().line + 1 : -1);
    if (docs.empty()) return nullptr;
    check_yaml_keys(docs[0]);
    return yaml_to_json(docs[0]);
  } catch (const YAML::DeepRecursion& e) {
    throw_input(file, "YAML nested too deeply", e.mark.line >= 0 ? e.mark.line + 1 : -1);
  } catch (const YAML::Exception& e) {
    throw_input(file, "malformed YAML: " + e.msg, e.mark.line >= 0 ? e.mark.line + 1 : -1);
  }
}

}  // namespace ptr
