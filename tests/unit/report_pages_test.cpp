// The report's pages drawn one at a time through the recording canvas:
// texts, marks and their positions, omissions, each asserted.
#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "page_harness.hpp"
#include "render/smoke_inputs.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

using chart::RecordedItem;

bool has_line(const DrawnPage& d, const std::string& line) { return ("\n" + d.text()).find("\n" + line + "\n") != std::string::npos; }

// Two hardware x two mbt, plus a GB300 cell whose every point failed; a
// partial point, an undercounted point and a point measured three times.
std::vector<AtlasCell> mixed_cells() {
  std::vector<AtlasCell> cells;
  for (const char* hw : {"H100", "B200"})
    for (long mbt : {4096L, 8192L}) {
      AtlasCell c = sweep_cell({.id = fmt::format("{}-{}", hw, mbt), .hardware = hw, .mbt = mbt,
                                .tput_per_gpu_at_1 = std::string(hw) == "B200" ? 200.0 : 100.0,
                                .ttft_at_1 = std::string(hw) == "B200" ? 100.0 : 300.0});
      cells.push_back(c);
    }
  Point& partial = cells[0].points[2];  // H100 mbt 4096, c=32
  partial.status = "partial";
  partial.completed = 990;
  partial.failed = 10;
  cells[0].status = "partial";
  Point& noisy = cells[1].points[1];  // H100 mbt 8192, c=8
  noisy.trials = 3;
  noisy.spread = {{"output_tok_s", *noisy.output_tok_s * 0.2}, {"ttft_ms_mean", *noisy.ttft_ms.mean * 0.5},
                  {"request_throughput_rps", *noisy.request_throughput_rps * 0.2}};
  cells[2].points[3].num_prompts = 100;  // B200 mbt 4096, c=64: fewer than 2 x 64 requests
  cells[2].points[3].steady_window_undercount = true;
  AtlasCell dead = sweep_cell({.id = "gb300-4096", .hardware = "GB300", .mbt = 4096});
  for (auto& p : dead.points) {
    p = Point{};
    p.status = "failed";
    p.concurrency = 8;
    p.completed = 0;
    p.num_prompts = 1000;
    p.error = "server never became ready";
  }
  dead.points.resize(1);
  dead.status = "failed";
  cells.push_back(dead);
  return cells;
}

TEST(Page1, FacetsByMbtWithMarksAndNothingOverData) {
  Harness h(mixed_cells());
  ASSERT_EQ(h.in.facet_field, "max_num_batched_tokens");
  ASSERT_EQ(h.in.facets.size(), 2u);
  EXPECT_EQ(h.in.variants.size(), 3u);  // H100, B200, GB300 (hue per hardware)
  DrawnPage d = draw_page(h.in, "page1");
  std::string text = d.text();
  EXPECT_NE(text.find("mbt 4096 — TTFT vs request throughput"), std::string::npos);
  EXPECT_NE(text.find("mbt 8192 — tok/s/user vs output tok/s/GPU"), std::string::npos);
  // The failed cell: in a strip under its panel, never on the data.
  EXPECT_NE(text.find("FAILED GB300 c=8: 0/1000 completed"), std::string::npos) << text;
  EXPECT_TRUE(d.canvas->covering_data("note").empty());
  EXPECT_TRUE(d.canvas->covering_data("label").empty());
  double lowest_data = 0;
  for (const auto* m : d.canvas->with_role("data")) lowest_data = std::max(lowest_data, m->box.bottom());
  bool strip_below = false;
  for (const auto* n : d.canvas->with_role("note"))
    if (n->kind == "rect_stroke") strip_below = strip_below || n->box.y > 100;
  EXPECT_TRUE(strip_below);
  // The variant with no plotted point is not in the legend; the other two are.
  EXPECT_FALSE(has_line(d, "GB300")) << [&] {
    std::string where;
    for (const auto& i : d.canvas->items())
      if (i.text == "GB300") where += fmt::format("{} at {},{} role '{}'\n", i.kind, i.box.x, i.box.y, i.tag.role);
    return where;
  }();
  EXPECT_TRUE(has_line(d, "H100"));
  EXPECT_TRUE(has_line(d, "B200"));
  // Partial point: completed/requested beside it; undercount and partial in the legend.
  EXPECT_NE(text.find("c=32 990/1000"), std::string::npos);
  EXPECT_TRUE(has_line(d, "partial point (label: completed/requested)"));
  EXPECT_TRUE(has_line(d, "undercounted: num_prompts < 2 × concurrency"));
  // Error bars for the point with 3 trials, SLA guides and SLA points.
  auto bars = d.canvas->with_role("error_bar");
  EXPECT_GE(std::count_if(bars.begin(), bars.end(), [](const RecordedItem* i) { return i->kind == "segment"; }), 6);
  EXPECT_FALSE(d.canvas->with_role("guide").empty());
  EXPECT_FALSE(d.canvas->with_role("sla").empty());
  EXPECT_NE(text.find("TTFT SLA 2000 ms"), std::string::npos);
  // Log axes: plain numbers.
  for (const auto& i : d.canvas->items()) EXPECT_EQ(i.text.find("<sup>"), std::string::npos) << i.text;
  // The ledger counts what was placed: 16 points, the failed one in a strip.
  EXPECT_EQ(d.ledger.placed.size(), 16u);
  EXPECT_EQ(d.ledger.failed_marked, 1);
  EXPECT_EQ(d.ledger.overlaps, 0);
}

TEST(Page1, FacetFollowsWhatVaries) {
  std::vector<AtlasCell> isl;
  for (long n : {15000L, 1024L, 4096L}) {
    AtlasCell c = sweep_cell({.id = fmt::format("isl{}", n)});
    c.isl = n;
    isl.push_back(c);
  }
  Harness by_isl(isl);
  EXPECT_EQ(by_isl.in.facet_field, "isl");
  ASSERT_EQ(by_isl.in.facets.size(), 3u);
  EXPECT_EQ(by_isl.in.facets[0].label, "ISL 1024");  // natural order
  EXPECT_EQ(by_isl.in.facets[2].label, "ISL 15000");
  // Nothing but the variants varies: one set of panels, stacked full width.
  Harness flat({sweep_cell({.id = "a", .hardware = "H100"}), sweep_cell({.id = "b", .hardware = "H200"})});
  EXPECT_EQ(flat.in.facet_field, "");
  EXPECT_EQ(flat.in.facets.size(), 1u);
  DrawnPage d = draw_page(flat.in, "page1");
  EXPECT_NE(d.text().find("\nTTFT vs request throughput\n"), std::string::npos);
  // --facet picks the field.
  ReportOptions o;
  o.set("facet", "hardware");
  Harness forced({sweep_cell({.id = "a", .hardware = "H100"}), sweep_cell({.id = "b", .hardware = "H200"})}, o);
  EXPECT_EQ(forced.in.facet_field, "hardware");
  EXPECT_EQ(forced.in.facets.size(), 2u);
  EXPECT_THROW(o.set("facet", "colour"), Error);
  EXPECT_THROW(o.set("interactivity", "fast"), Error);
}

TEST(Page1, ManyVariantsBecomeSmallMultiplesWithUniqueColours) {
  std::vector<AtlasCell> cells;
  for (int i = 0; i < 12; ++i) {
    AtlasCell c = sweep_cell({.id = fmt::format("v{}", i), .hardware = i % 2 ? "H100" : "B200", .tp = 1 + i});
    cells.push_back(c);
  }
  Harness h(cells);
  EXPECT_EQ(h.in.chunks, 2u);
  EXPECT_EQ(page_spec("page1").count(h.in, page_body()), 2);
  for (size_t chunk = 0; chunk < 2; ++chunk) {
    std::set<std::tuple<double, double, double, int>> looks;
    size_t n = 0;
    for (const auto& v : h.in.variants)
      if (v.chunk == chunk) {
        looks.insert({v.style.color.r, v.style.color.g, v.style.color.b, static_cast<int>(v.style.shape)});
        ++n;
      }
    EXPECT_EQ(looks.size(), n) << "chunk " << chunk;
  }
  // Hue per hardware: B200 and H100 variants never share a colour.
  std::set<std::tuple<double, double, double>> b200, h100;
  for (const auto& v : h.in.variants) (v.hardware == "B200" ? b200 : h100).insert({v.style.color.r, v.style.color.g, v.style.color.b});
  for (const auto& c : b200) EXPECT_EQ(h100.count(c), 0u);
}

TEST(Page2, OneScalePerMetricWithAMinimumSpanAndMarks) {
  std::vector<AtlasCell> cells;
  for (const char* hw : {"H100", "H200"})
    for (long mbt : {4096L, 8192L}) {
      AtlasCell c = sweep_cell({.id = fmt::format("{}-{}", hw, mbt), .hardware = hw, .mbt = mbt, .conc = {8, 16}});
      // 615 vs 626 tok/s/GPU at c=8: within noise, must not span the colour range.
      c.points[0].output_tok_s_per_gpu = std::string(hw) == "H100" ? 615 : 626;
      c.points[1].output_tok_s_per_gpu = std::string(hw) == "H100" ? 615 : 626;
      cells.push_back(c);
    }
  cells[3].points[1] = Point{};
  cells[3].points[1].concurrency = 16;
  cells[3].points[1].status = "failed";
  cells[3].points[1].completed = 3;
  cells[3].points[1].num_prompts = 1000;
  cells[3].status = "partial";
  Harness h(cells);
  DrawnPage d = draw_page(h.in, "page2");
  std::string text = d.text();
  // mid 620.5, span max(11, 25 % of 626) = 156.5.
  EXPECT_NE(text.find("output tok/s/GPU 542–699"), std::string::npos) << text;
  EXPECT_NE(text.find("failed 3/1000"), std::string::npos);
  EXPECT_NE(text.find("626°"), std::string::npos);  // a clean point of a partial cell
  EXPECT_NE(text.find("output tok/s/GPU at concurrency 8"), std::string::npos);
  // One variant: plain tables, no heat map.
  Harness one({sweep_cell({.id = "solo", .conc = {1, 8}})});
  DrawnPage p = draw_page(one.in, "page2");
  EXPECT_NE(p.text().find("output tok/s/GPU by concurrency"), std::string::npos);
  EXPECT_EQ(p.text().find("at concurrency"), std::string::npos);
}

TEST(TpmPage, TrueReasonsIntegersAndNoEmptyBarChart) {
  AtlasCell a100 = sweep_cell({.id = "a100", .hardware = "A100", .ttft_at_1 = 5000});  // violates TTFT everywhere
  AtlasCell h100 = sweep_cell({.id = "h100", .hardware = "H100", .ttft_at_1 = 5000});
  Harness h({a100, h100});
  DrawnPage d = draw_page(h.in, "tpm");
  std::string text = d.text();
  EXPECT_NE(text.find("no price for A100 in the cost table (add cost.A100 to the campaign config)"), std::string::npos);
  EXPECT_EQ(text.find("GB300"), std::string::npos);  // no GB300 estimate note without GB300
  EXPECT_NE(text.find("already violated at the lowest tested concurrency (c=1): TTFT 5000 ms > 2000 ms"), std::string::npos);
  EXPECT_NE(text.find("No bar chart: no variant on this page has an SLA point"), std::string::npos);
  EXPECT_FALSE(has_line(d, "64.0"));  // a tested concurrency is an integer
  EXPECT_TRUE(has_line(d, "64"));
}

TEST(Completeness, ListsEveryUndrawnPointAndCaveatsOncePerCell) {
  std::vector<AtlasCell> cells = mixed_cells();
  Point rate;
  rate.request_rate = 4;
  rate.output_tok_s = 100;
  cells[1].points.push_back(rate);
  Harness h(cells);
  DrawLedger ledger;
  std::vector<Omission> omissions;
  for (const auto& spec : report_pages())
    if (auto o = page_omission(spec, h.in)) omissions.push_back(*o);
  auto lines = completeness_lines(h.in, omissions, ledger, true);
  auto count = [&](const std::string& section, const std::string& needle) {
    return std::count_if(lines.begin(), lines.end(),
                         [&](const CompletenessLine& l) { return l.section == section && l.text.find(needle) != std::string::npos; });
  };
  EXPECT_EQ(count("undrawn_points", "H100-8192 (offered rate 4 req/s): a request-rate run has no concurrency"), 1);
  EXPECT_EQ(count("failed_points", "gb300-4096 (GB300): c=8 0/1000 completed — server never became ready"), 1);
  EXPECT_EQ(count("cell_caveats", "H100-4096"), 1);  // once per cell
  EXPECT_EQ(count("cell_caveats", "partial at c=32 (990/1000)"), 1);
  EXPECT_EQ(count("cell_caveats", "gb300"), 0);  // not on failed points
  EXPECT_EQ(count("omitted_pages", "page7: needs a roofline sweep"), 1);
  // latency_distribution, page3, page4, page5, page6, page6b, page7, page8, history: no input in this
  // campaign (next_lever is always drawn)
  EXPECT_EQ(count("omitted_pages", "how to populate it: "), 9);
  EXPECT_EQ(count("omitted_pages", "latency_distribution: needs per-request data"), 1);
  EXPECT_EQ(count("omitted_pages", "history: needs a lake history"), 1);
}

TEST(SourcePage, ProvenanceLinksCommitAndFlagsMixedDeliveries) {
  AtlasCell a = sweep_cell({.id = "img"}), b = sweep_cell({.id = "ovl", .hardware = "H200"});
  a.delivery = "image";
  b.delivery = "overlay";
  b.engine_version = "0.11.2";
  b.extra["descriptor_from_data"] = {{"engine_version", "0.11.2"}};
  Harness h({a, b}, {},
            "name: harness\nprovenance:\n  engine: vllm\n  commit: 1a2b3c4d5e6f\n  infra_patch: https://example.com/p.diff\n");
  DrawnPage d = draw_page(h.in, "source");
  std::string text = d.text();
  bool commit_link = false, patch_link = false;
  for (const auto* l : d.canvas->with_role(""))
    if (l->kind == "link") {
      commit_link = commit_link || l->text == "https://github.com/vllm-project/vllm/commit/1a2b3c4d5e6f";
      patch_link = patch_link || l->text == "https://example.com/p.diff";
    }
  EXPECT_TRUE(commit_link);
  EXPECT_TRUE(patch_link);
  EXPECT_NE(text.find("FLAGGED: this report compares cells of different deliveries — image (1 cell), overlay (1 cell)"),
            std::string::npos);
  EXPECT_NE(text.find("0.11.2 (data)"), std::string::npos);
  EXPECT_TRUE(has_line(d, "img"));  // cell ids in a table, one per row
  // A malformed bundle file fails the render loudly, naming it.
  atomic_write(h.dir.path / "experiment_provenance.yaml", "schema: experiment_provenance_v9\n", false);
  EXPECT_THROW(draw_page(h.in, "source"), Error);
}

// Every page of the smoke report: no two texts on one line touch or overlap
// (a table's unit label ran into its last column header: "16384tok/s/GPU";
// c=N labels were placed edge to edge) and none leaves the page body (a
// table header ran 1 pt past it).
TEST(SmokeReport, TextsNeitherTouchNorLeaveThePageOnAnyPage) {
  TouchingTexts t = touching_texts_on_every_page(report_inputs_from_smoke(smoke_campaign(), ReportOptions{}));
  EXPECT_GE(t.pages, 15);
  EXPECT_EQ(t.lines, "");
}

}  // namespace
}  // namespace ptr::test
