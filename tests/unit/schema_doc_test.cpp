#include "analysis/tpm_export.hpp"
#include "lake/schema.hpp"
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

TEST(SchemaDocs, LakeSchemaDocIsGeneratedFromTheTables) {
  std::string md = read_file(source_dir() / "docs/lake-schema.md");
  EXPECT_EQ(md, lake_schema_markdown()) << "run: build/perftunereport-gendocs .";
  for (const char* col : {"| `ttft_ms_p99` | DOUBLE PRECISION | ms |", "| `cell_status` | TEXT |", "| `output_tpm_per_gpu` | DOUBLE PRECISION | tok/min |"})
    EXPECT_NE(md.find(col), std::string::npos) << col;
}

TEST(SchemaDocs, EveryPointFieldIsDocumented) {
  auto schema = atlas_cell_json_schema();
  for (const char* k : {"output_tok_s_per_gpu", "tok_s_per_user", "interactivity_tok_s", "steady_window_undercount", "ttft_ms"})
    EXPECT_TRUE(schema["$defs"]["point"]["properties"].contains(k)) << k;
}

}  // namespace
}  // namespace ptr::test

#include "util/sha256.hpp"

namespace ptr::test {
namespace {

// FIPS 180-4 test vectors (the lake keeps the report's digest).
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

}  // namespace
}  // namespace ptr::test
