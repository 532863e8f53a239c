// What `make fuzz` found (issue 9), each as the one clear input error it now
// is; the original inputs are replayed by fuzz_corpus_replay from
// fuzz/regressions/.
#include <gtest/gtest.h>

#include "campaign/config.hpp"
#include "model/atlas_cell.hpp"
#include "model/atlas_reader.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"
#include "util/yaml_json.hpp"

namespace ptr::test {
namespace {

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// yaml-cpp 0.7's LoadAll loops forever (allocating) on a stray ',' at the top
// level: campaign_init hung on a 1-byte config.
TEST(FuzzFindings, StrayCommaInYamlIsAnErrorNotAHang) {
  for (const char* text : {",", " ,", ",a", "[a],"}) {
    SCOPED_TRACE(text);
    std::string msg = error_of([&] { parse_campaign_config(text, "c.yaml"); });
    EXPECT_NE(msg.find("c.yaml:1: malformed YAML: the parser cannot go past ',"), std::string::npos) << msg;
    msg = error_of([&] { parse_yaml_document(text, "d.yaml"); });
    EXPECT_NE(msg.find("d.yaml:1: malformed YAML"), std::string::npos) << msg;
  }
  // Several documents are still named as such, a single one still loads.
  std::string msg = error_of([] { parse_yaml_document("a: 1\n---\nb: 2\n", "d.yaml"); });
  EXPECT_NE(msg.find("d.yaml:2: 2 YAML documents ('---' separators)"), std::string::npos) << msg;
  EXPECT_EQ(parse_yaml_document("a: 1\n", "d.yaml")["a"], 1);
}

// A number beyond a double's range escaped as nlohmann's out_of_range.
TEST(FuzzFindings, NumberBeyondDoubleRangeNamesItsLine) {
  std::string msg = error_of([] { parse_json_lenient("{\n  \"a\": 1,\n  \"b\": 1550.94882969E5658\n}", "n.json"); });
  EXPECT_NE(msg.find("n.json:3: number out of range: 1550.94882969E5658"), std::string::npos) << msg;
}

// An integer field holding 5.5e38 was cast to long (undefined behaviour).
TEST(FuzzFindings, HugeIntegerFieldIsAnInputError) {
  json cell = {{"schema", kAtlasCellSchema}, {"cell_id", "c"}, {"max_num_batched_tokens", 5.55556e38}};
  std::string msg = error_of([&] { cell_from_json(cell, "normalized.json"); });
  EXPECT_NE(msg.find("expected an integer within +-2^53"), std::string::npos) << msg;
  msg = error_of([] {
    read_atlas_cell(R"({"schema": "atlas_cell/v1", "cell_id": "c", "max_num_batched_tokens": 5.55556e38})", "atlas.jsonl", 4);
  });
  EXPECT_NE(msg.find("atlas.jsonl:4"), std::string::npos) << msg;
  EXPECT_NE(msg.find("expected an integer within +-2^53"), std::string::npos) << msg;
  // A value of the wrong type anywhere in the cell is one input error too.
  json bad = {{"schema", kAtlasCellSchema}, {"cell_id", "c"}, {"points", {{{"concurrency", 1}, {"source", {1, 2}}}}}};
  msg = error_of([&] { cell_from_json(bad, "normalized.json"); });
  EXPECT_NE(msg.find("normalized.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("wrong type in an atlas cell"), std::string::npos) << msg;
}

}  // namespace
}  // namespace ptr::test
