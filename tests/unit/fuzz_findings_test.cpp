// What `make fuzz` found (issue 9), each as the one clear input error it now
// is; the original inputs are replayed by fuzz_corpus_replay from
// fuzz/regressions/.
#include <gtest/gtest.h>

#include "analysis/roofline/model_shape.hpp"
#include "campaign/config.hpp"
#include "model/atlas_cell.hpp"
#include "model/atlas_reader.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
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

// A model's config.json with a field of the wrong type ("model_type": 32)
// escaped shape_from_config as nlohmann's type_error; a non-object quant
// config and an absurd layer count (the per-layer tables are sized by it) too.
TEST(FuzzFindings, ModelConfigFieldsOfTheWrongTypeNameTheirKey) {
  std::string good = read_file(source_dir() / "tests/data/llama-3.1-8b-config.json");
  auto with = [&](const std::string& key, const std::string& value) {
    nlohmann::json j = nlohmann::json::parse(good);
    j[key] = nlohmann::json::parse(value);
    return j;
  };
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"model_type", "32"}, {"_name_or_path", "[1]"}, {"torch_dtype", "{}"}, {"tie_word_embeddings", "\"yes\""}}) {
    SCOPED_TRACE(key);
    std::string msg = error_of([&] { shape_from_config(with(key, value), "config.json"); });
    EXPECT_NE(msg.find("config.json"), std::string::npos) << msg;
    EXPECT_NE(msg.find(key), std::string::npos) << msg;
  }
  std::string msg = error_of([&] { shape_from_config(with("num_hidden_layers", "1000000000000"), "config.json"); });
  EXPECT_NE(msg.find("num_hidden_layers"), std::string::npos) << msg;
  nlohmann::json not_object = 5;
  msg = error_of([&] { shape_from_config(nlohmann::json::parse(good), "config.json", &not_object); });
  EXPECT_NE(msg.find("expected a quantization config object"), std::string::npos) << msg;
  nlohmann::json bad_quant = {{"quant_method", 7}};
  msg = error_of([&] { shape_from_config(nlohmann::json::parse(good), "config.json", &bad_quant); });
  EXPECT_NE(msg.find("quant_method"), std::string::npos) << msg;
  // The regression input itself (fuzz/regressions/tables) is one clear error.
  msg = error_of([] {
    shape_from_config(parse_json_lenient(read_file(source_dir() / "fuzz/regressions/tables/tables-crash-54ec8ccc2d7a50f157dbcbbc6d7cc9fa66bdaffb"),
                                         "config.json"),
                      "config.json");
  });
  EXPECT_NE(msg.find("model_type"), std::string::npos) << msg;
}

}  // namespace
}  // namespace ptr::test
