// The synthetic campaign behind report_smoke: built in memory, the same
// campaign as the one written to disk, and its A/B points' latency figures
// are exactly those of their own request rows.
#include <algorithm>
#include <gtest/gtest.h>

#include "campaign/smoke_fixture.hpp"
#include "model/atlas_writer.hpp"
#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

std::string atlas_of(const std::vector<AtlasCell>& cells) {
  std::string out;
  for (const auto& c : cells) append_atlas_line(c, out);
  return out;
}

TEST(SmokeFixture, InMemoryCampaignIsTheOneWrittenToDisk) {
  TempDir root;
  SmokeCampaign disk = build_smoke_campaign(root.path);
  SmokeCampaign memory = smoke_campaign(disk.id);
  EXPECT_TRUE(memory.dir.empty());
  EXPECT_TRUE(memory.campaign.dir.empty());
  ASSERT_EQ(memory.cells.size(), 46u);  // 40 sweep cells, 4 A/B arms, 2 roofline sweep cells
  EXPECT_EQ(memory.coverage.cells, 44);
  std::string atlas = atlas_of(memory.cells);
  EXPECT_EQ(atlas, atlas_of(disk.cells));
  EXPECT_EQ(atlas, read_file(disk.dir / "atlas.jsonl"));
  EXPECT_EQ(memory.evidence.champion, disk.evidence.champion);
}

TEST(SmokeFixture, ArmPointsTakeTheirPercentilesFromTheirRequestRows) {
  SmokeCampaign s = smoke_campaign("20260101T000000Z-smoke");
  ASSERT_EQ(s.evidence.requests.size(), 4u);
  size_t rows = 0;
  for (const auto& [cell_id, table] : s.evidence.requests) {
    rows += table.size();
    auto cell = std::find_if(s.cells.begin(), s.cells.end(), [&](const AtlasCell& c) { return c.cell_id == cell_id; });
    ASSERT_NE(cell, s.cells.end()) << cell_id;
    ASSERT_EQ(cell->points.size(), 6u);
    for (size_t i = 0; i < cell->points.size(); ++i) {
      std::vector<double> ttft, tpot;
      for (const auto& r : table)
        if (r.point == static_cast<long>(i)) {
          ttft.push_back(r.sample.ttft_ms);
          tpot.push_back(r.sample.tpot_ms);
        }
      const Point& p = cell->points[i];
      EXPECT_EQ(static_cast<long>(ttft.size()), *p.completed) << cell_id << " point " << i;
      RequestDistribution t = distribution_of(ttft), o = distribution_of(tpot);
      EXPECT_EQ(p.ttft_ms.median, t.p50) << cell_id << " point " << i;
      EXPECT_EQ(p.ttft_ms.p90, t.p90) << cell_id << " point " << i;
      EXPECT_EQ(p.ttft_ms.p99, t.p99) << cell_id << " point " << i;
      EXPECT_EQ(p.tpot_ms.p99, o.p99) << cell_id << " point " << i;
    }
  }
  EXPECT_EQ(rows, 24000u);  // every completed request of 3 trials at 6 concurrencies, 4 arms
}

}  // namespace
}  // namespace ptr::test
