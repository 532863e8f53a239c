#include "analysis/tpm_export.hpp"
#include "model/schema_doc.hpp"
#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

TEST(SchemaDocs, CheckedInFilesMatchTheFieldTables) {
  EXPECT_EQ(read_file(source_dir() / "docs/schema.md"), atlas_cell_markdown())
      << "run: build/perftunereport-gendocs .";
  EXPECT_EQ(json::parse(read_file(source_dir() / "schema/atlas_cell.v1.schema.json")), atlas_cell_json_schema())
      << "run: build/perftunereport-gendocs .";
}

TEST(SchemaDocs, MetricsDocListsEveryTpmColumn) {
  std::string md = read_file(source_dir() / "docs/metrics.md");
  EXPECT_EQ(md, with_tpm_columns(md)) << "run: build/perftunereport-gendocs .";
  for (const auto& c : tpm_columns()) EXPECT_NE(md.find(std::string("| `") + c.name + "` |"), std::string::npos) << c.name;
}

TEST(SchemaDocs, EveryPointFieldIsDocumented) {
  auto schema = atlas_cell_json_schema();
  for (const char* k : {"output_tok_s_per_gpu", "tok_s_per_user", "interactivity_tok_s", "steady_window_undercount", "ttft_ms"})
    EXPECT_TRUE(schema["$defs"]["point"]["properties"].contains(k)) << k;
}

}  // namespace
}  // namespace ptr::test
