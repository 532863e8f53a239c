// Regenerates docs/schema.md, schema/atlas_cell.v1.schema.json, the TPM
// columns of docs/metrics.md and docs/lake-schema.md from the field and
// column tables: perftunereport-gendocs <repo-root>
#include <iostream>

#include "analysis/tpm_export.hpp"
#include "lake/schema.hpp"
#include "model/schema_doc.hpp"
#include "util/fs.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: perftunereport-gendocs <repo-root>\n";
    return 2;
  }
  std::filesystem::path root = argv[1];
  ptr::atomic_write(root / "docs/schema.md", ptr::atlas_cell_markdown());
  ptr::atomic_write(root / "schema/atlas_cell.v1.schema.json", ptr::atlas_cell_json_schema().dump(2) + "\n");
  std::string metrics = ptr::read_file(root / "docs/metrics.md");
  ptr::atomic_write(root / "docs/metrics.md", ptr::with_tpm_columns(metrics));
  ptr::atomic_write(root / "docs/lake-schema.md", ptr::lake_schema_markdown());
  return 0;
}
