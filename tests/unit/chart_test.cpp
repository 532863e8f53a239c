// The chart layer on its own: ticks, formatting, the Pareto frontier, legend
// placement, label placement, text colour by luminance, markup escaping.
#include <cairo.h>

#include "analysis/pareto.hpp"
#include "render/chart/canvas.hpp"
#include "render/chart/marks.hpp"
#include "render/chart/scale.hpp"
#include "test_support.hpp"

namespace ptr::test {
namespace {

using namespace ptr::chart;

TEST(Scale, LinearTicksAreNiceSteps) {
  auto s = linear_scale(3, 97, 0, 100);
  auto t = s->ticks();
  ASSERT_GE(t.size(), 3u);
  EXPECT_DOUBLE_EQ(s->lo(), 0);
  EXPECT_DOUBLE_EQ(s->hi(), 100);
  EXPECT_DOUBLE_EQ(t[1].value - t[0].value, 20);
  EXPECT_EQ(t[1].label, "20");
  EXPECT_DOUBLE_EQ(nice_step(1, 4), 0.25);
  EXPECT_DOUBLE_EQ(nice_step(12, 5), 2.5);
  EXPECT_DOUBLE_EQ(nice_step(70, 5), 20);
  EXPECT_EQ(format_number(0.25, 0.25), "0.25");
  EXPECT_EQ(format_number(25000, 5000), "25k");
}

TEST(Scale, LogTicksArePlainNumbersAtLeastFour) {
  auto s = log_scale(3, 4000, 0, 100);
  EXPECT_DOUBLE_EQ(s->lo(), 2);
  EXPECT_DOUBLE_EQ(s->hi(), 5000);
  std::vector<std::string> labels;
  int minors = 0;
  for (const auto& t : s->ticks()) {
    if (t.major) labels.push_back(t.label);
    else {
      ++minors;
      EXPECT_TRUE(t.label.empty());
    }
  }
  // 2..5000 holds four decades' 1s: 10, 100, 1000 are only three, so 1-3 steps.
  EXPECT_EQ(labels, (std::vector<std::string>{"3", "10", "30", "100", "300", "1000", "3000"}));
  EXPECT_GT(minors, 5);
  EXPECT_NEAR(s->map(2), 0, 1e-9);
  EXPECT_NEAR(s->map(5000), 100, 1e-9);
  // A narrow axis (less than a decade) still gets four plain labels.
  auto narrow = log_scale(14, 45, 0, 100);
  std::vector<std::string> n;
  for (const auto& t : narrow->ticks())
    if (t.major) n.push_back(t.label);
  EXPECT_GE(n.size(), 4u);
  for (const auto& l : n) EXPECT_EQ(l.find("<sup>"), std::string::npos) << l;
  EXPECT_EQ(plain_number(20000), "20k");
  EXPECT_EQ(plain_number(1500000), "1.5M");
  EXPECT_EQ(plain_number(0.05), "0.05");
  EXPECT_EQ(plain_number(2), "2");
}

TEST(Pareto, ExactDominanceKeepsTiesAndSortsByX) {
  // (x, y), more is better on both.
  std::vector<std::pair<double, double>> xy = {{1, 10}, {2, 8}, {2, 8}, {3, 5}, {2, 5}, {3, 4}, {0.5, 10}, {4, 1}};
  auto f = pareto_front(xy);
  // {1,10} beats {0.5,10}; {2,8} twice (tie, neither dominates); {3,5} beats {2,5} and {3,4}; {4,1}.
  std::vector<size_t> want = {0, 1, 2, 3, 7};
  std::vector<size_t> got(f.begin(), f.end());
  ASSERT_EQ(got.size(), want.size());
  std::vector<double> xs;
  for (size_t i : got) xs.push_back(xy[i].first);
  EXPECT_TRUE(std::is_sorted(xs.begin(), xs.end()));
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, want);
}

TEST(Legend, GoesToTheCornerWithFewestPoints) {
  Rect frame{0, 0, 100, 100};
  Rect size{0, 0, 30, 20};
  std::vector<std::pair<double, double>> pts = {{90, 5}, {85, 10}, {5, 5}, {90, 95}};  // bottom-left is free
  Rect r = best_legend_corner(frame, size, pts);
  EXPECT_LT(r.x, 50);
  EXPECT_GT(r.y, 50);
}

struct Surface {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 300);
  cairo_t* cr = cairo_create(s);
  ~Surface() {
    cairo_destroy(cr);
    cairo_surface_destroy(s);
  }
};

TEST(Labels, NeverOverlapMarkersOrEachOther) {
  Surface sf;
  CairoCanvas c(sf.cr);
  LabelPlacer lp({0, 0, 400, 300});
  std::vector<Rect> placed_markers;
  MarkStyle st;
  for (int i = 0; i < 20; ++i) {
    double x = 50 + i * 15, y = 150;
    lp.add_obstacle(marker_box(x, y, st));
  }
  int placed = 0;
  for (int i = 0; i < 20; ++i) placed += lp.place(c, 50 + i * 15, 150, "c=" + std::to_string(i), Font{6.5}, {});
  EXPECT_GT(placed, 5);
  EXPECT_EQ(placed + lp.skipped(), 20);  // a label without room is skipped, never drawn over data
}

TEST(Canvas, EscapesMarkupAndPicksReadableTextColour) {
  EXPECT_EQ(escape_markup("<b>a & 'b'</b>"), "&lt;b&gt;a &amp; &apos;b&apos;&lt;/b&gt;");
  EXPECT_LT(Color::hex(0x440154).luminance(), 0.35);  // dark viridis end: white text
  EXPECT_GT(Color::hex(0xfde725).luminance(), 0.35);  // bright end: black text
  Surface sf;
  CairoCanvas c(sf.cr);
  Rect plain = c.measure("<b>x</b>", Font{8});
  Rect marked = c.measure_markup("<b>x</b>", Font{8});
  EXPECT_GT(plain.w, marked.w);  // plain text shows the tags literally
}

}  // namespace
}  // namespace ptr::test
