#include "util/yaml_json.hpp"

#include <fmt/format.h>
#include <set>
#include <sstream>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
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

namespace {

// Sees only where each document starts: enough to count them.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& m) override { starts.push_back(m); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

long line_of(const YAML::Mark& m) { return m.line >= 0 ? m.line + 1 : -1; }

}  // namespace

YAML::Node load_single_yaml_document(const std::string& text, const std::string& file, const std::string& what) {
  try {
    // Count the documents first, with a parser that must move forward: on
    // some malformed streams yaml-cpp 0.7 reports the same empty document
    // again and again without consuming anything (what hangs LoadAll).
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentStarts docs;
    while (parser.HandleNextDocument(docs)) {
      size_t n = docs.starts.size();
      if (n >= 2 && docs.starts[n - 1].pos == docs.starts[n - 2].pos) {
        const YAML::Mark& at = docs.starts[n - 1];
        std::string near = at.pos >= 0 && static_cast<size_t>(at.pos) < text.size() ? excerpt(text.substr(at.pos, 20), 20) : "";
        throw_input(file, fmt::format("malformed YAML: the parser cannot go past '{}' (column {}); expected {}", near,
                                      at.column + 1, what),
                    line_of(at));
      }
    }
    if (docs.starts.size() > 1)
      throw_input(file, fmt::format("{} YAML documents ('---' separators); expected {}", docs.starts.size(), what),
                  line_of(docs.starts[1]));
    return docs.starts.empty() ? YAML::Node() : YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    throw_input(file, "YAML nested too deeply; expected " + what, line_of(e.mark));
  } catch (const YAML::Exception& e) {
    throw_input(file, "malformed YAML: " + e.msg, line_of(e.mark));
  }
}

json parse_yaml_document(const std::string& text, const std::string& file) {
  YAML::Node doc = load_single_yaml_document(text, file, "one document");
  if (!doc) return nullptr;
  try {
    check_yaml_keys(doc);
    return yaml_to_json(doc);
  } catch (const YAML::Exception& e) {
    throw_input(file, "malformed YAML: " + e.msg, line_of(e.mark));
  }
}

}  // namespace ptr
