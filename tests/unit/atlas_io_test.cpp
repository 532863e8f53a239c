// The streaming atlas writer and reader agree with the DOM path (to_json /
// cell_from_json) on real imported cells and on awkward values.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "campaign/operations.hpp"
#include "model/atlas_reader.hpp"
#include "model/atlas_writer.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

AtlasCell awkward_cell() {
  AtlasCell c;
  c.campaign = "20260101T000000Z-x";
  c.cell_id = "a.b-c";
  c.model = "Qwen \"3\" \\ é\n";
  c.status = "partial";
  c.tensor_parallel = 8;
  c.mtp = true;
  c.gpu_memory_utilization = 0.9;
  c.concurrencies_requested = {1, 8};
  Point p;
  p.concurrency = 8;
  p.request_rate = INFINITY;
  p.output_tok_s = 1234.5678901234567;
  p.ttft_ms.mean = 12;
  p.ttft_ms.p99 = 1e-7;
  p.error = "tab\there";
  p.source.push_back({"raw/x.json", "vllm-bench-serve", "late-2025", 3, std::nullopt});
  p.spread = {{"n", 2}, {"output_tok_s", 1.5}};
  c.points.push_back(p);
  c.warnings.push_back({"note", "w1", "c1", "raw/x.json", "", "", 8});
  c.warnings.push_back({"undercount", "\"quoted\"", "", "", "key", "hint", std::nullopt});
  c.extra = {{"missing_concurrencies", {1}}};
  return c;
}

TEST(AtlasIo, WriterMatchesToJson) {
  AtlasCell c = awkward_cell();
  std::string line;
  append_atlas_line(c, line);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(json::parse(line), to_json(c));
}

TEST(AtlasIo, ReaderRoundTripsWhatTheWriterWrites) {
  AtlasCell c = awkward_cell();
  std::string line;
  append_atlas_line(c, line);
  AtlasCell back = read_atlas_cell(line, "atlas.jsonl", 1);
  EXPECT_EQ(to_json(back), to_json(c));
  EXPECT_EQ(*back.model, "Qwen \"3\" \\ é\n");
  EXPECT_TRUE(std::isinf(*back.points[0].request_rate));
}

TEST(AtlasIo, RealImportedCellsRoundTrip) {
  TempDir root;
  auto init = init_campaign(root.path, source_dir() / "configs/campaigns/example.yaml");
  ImportRequest req;
  req.campaign = init.id;
  req.cell = "h100-fp8-tp8-mbt8192";
  req.paths = {(fixtures_dir() / "vllm/sweep-serve").string()};
  Warnings w;
  import_perf_bench(root.path, req, w);
  auto agg = aggregate_atlas(root.path, init.id, w);
  ASSERT_EQ(agg.cells.size(), 1u);
  std::string text = read_file(agg.atlas);
  AtlasCell back = read_atlas_cell(text, agg.atlas.string(), 1);
  EXPECT_EQ(to_json(back), to_json(agg.cells[0]));
  EXPECT_EQ(json::parse(text), to_json(agg.cells[0]));
}

TEST(AtlasIo, ReaderErrorsNameLineAndKey) {
  try {
    read_atlas_cell(R"({"schema":"atlas_cell/v1","points":[{"concurrency":"eight"}]})", "atlas.jsonl", 7);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("atlas.jsonl:7: key 'concurrency':", 0), 0u) << e.what();
  }
}


// Large atlases are parsed on two threads: the cells keep the file's order,
// blank lines are skipped, and the error is the earliest bad line's.
TEST(AtlasIo, ALargeAtlasKeepsItsOrderAndNamesItsFirstBadLine) {
  TempDir dir;
  Campaign c;
  c.id = "20260101T000000Z-x";
  c.dir = dir.path;
  auto write = [&](const std::vector<long>& bad_lines) {
    std::string text;
    for (long line = 1; line <= 400; ++line) {
      if (line == 10) {
        text += "\n";  // blank
        continue;
      }
      if (std::find(bad_lines.begin(), bad_lines.end(), line) != bad_lines.end()) {
        text += "{\"schema\":\"atlas_cell/v1\",\"points\":[{\"concurrency\":\"eight\"}]}\n";
        continue;
      }
      AtlasCell cell = awkward_cell();
      cell.cell_id = fmt::format("cell-{:03}", line);
      append_atlas_line(cell, text);
    }
    atomic_write(dir.path / "atlas.jsonl", text);
  };
  write({});
  auto cells = read_atlas(c);
  ASSERT_EQ(cells.size(), 399u);
  EXPECT_EQ(cells.front().cell_id, "cell-001");
  EXPECT_EQ(cells[9].cell_id, "cell-011");
  EXPECT_EQ(cells.back().cell_id, "cell-400");
  auto error_of = [&] {
    try {
      read_atlas(c);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  write({300, 390});
  EXPECT_NE(error_of().find("atlas.jsonl:300: key 'concurrency'"), std::string::npos) << error_of();
  write({390});
  EXPECT_NE(error_of().find("atlas.jsonl:390: key 'concurrency'"), std::string::npos) << error_of();
  write({5, 390});
  EXPECT_NE(error_of().find("atlas.jsonl:5: key 'concurrency'"), std::string::npos) << error_of();
}

}  // namespace
}  // namespace ptr::test
