// The SVG canvas writes path data relative to the previous rounded point:
// reading it back must give every vertex at its own rounding (no drift along
// a long line), and a drawing's tag layer lands on its elements.
#include <cctype>
#include <string>

#include "render/chart/svg_canvas.hpp"
#include "test_support.hpp"

namespace ptr::test {
namespace {

// The absolute vertices of M/m/l path data (what a browser computes). A
// hand scanner: std::regex recurses per character and overflows the stack on
// long paths under AddressSanitizer.
std::vector<std::pair<double, double>> vertices(const std::string& d) {
  std::vector<std::pair<double, double>> out;
  double x = 0, y = 0;
  char cmd = 0;
  std::vector<double> nums;
  for (size_t i = 0; i < d.size();) {
    char ch = d[i];
    if (std::isalpha(static_cast<unsigned char>(ch))) {
      cmd = ch;
      ++i;
      continue;
    }
    if (ch != '-' && !std::isdigit(static_cast<unsigned char>(ch))) {
      ++i;
      continue;
    }
    size_t used = 0;
    nums.push_back(std::stod(d.substr(i), &used));
    i += used;
    if (nums.size() < 2) continue;
    bool rel = cmd == 'm' || cmd == 'l';
    x = rel ? x + nums[0] : nums[0];
    y = rel ? y + nums[1] : nums[1];
    out.push_back({x, y});
    nums.clear();
  }
  return out;
}

TEST(SvgCanvas, RelativePathDataNeverDrifts) {
  chart::SvgCanvas c(800, 600);
  std::vector<std::pair<double, double>> pts;
  for (int i = 0; i < 2000; ++i) pts.push_back({10 + i * 0.3333, 500 - i * 0.2449});  // steps that round unevenly
  c.polyline(pts, chart::Color::hex(0x000000));
  std::string svg = c.take_svg();
  size_t at = svg.find("<path d=\"");
  ASSERT_NE(at, std::string::npos);
  at += 9;
  std::string d = svg.substr(at, svg.find('"', at) - at);
  auto back = vertices(d);
  ASSERT_EQ(back.size(), pts.size());
  for (size_t i = 0; i < pts.size(); ++i) {
    EXPECT_NEAR(back[i].first, std::round(pts[i].first * 10) / 10, 1e-9) << i;
    EXPECT_NEAR(back[i].second, std::round(pts[i].second * 10) / 10, 1e-9) << i;
  }
  EXPECT_EQ(d.rfind("M10 500l", 0), 0u) << d.substr(0, 40);
}

TEST(SvgCanvas, LayerAndSeriesTagsAreInheritedByNestedDrawing) {
  chart::SvgCanvas c(200, 200);
  {
    chart::TagScope layer(c, {"", "", {}, "v3", "sla-2"});
    chart::TagScope mark(c, {"sla", "cell-a"});
    c.line(0, 0, 10, 10, chart::Color::hex(0xff0000));
  }
  c.line(0, 0, 5, 5, chart::Color::hex(0x00ff00));
  std::string svg = c.take_svg();
  EXPECT_NE(svg.find(R"(data-series="v3" data-layer="sla-2" data-role="sla" data-id="cell-a")"), std::string::npos) << svg;
  EXPECT_EQ(svg.find("data-layer", svg.find("#00ff00")), std::string::npos) << "the scope ended: " << svg;
}

// Every marker of a style is one outline placed at its centre rounded to the
// tenth: the same relative path data wherever it lands, within 0.1 pt.
TEST(SvgCanvas, MarkersOfAStyleShareOneOutline) {
  chart::SvgCanvas c(400, 400);
  chart::MarkStyle star;
  star.shape = chart::Shape::star;
  star.size = 4.2;
  star.filled = true;
  const std::vector<std::pair<double, double>> at = {{100.04, 50.06}, {123.456, 78.951}, {300.0, 300.0}};
  {
    chart::TagScope tag(c, {"data", "cell-a", {"1", "8", "32"}});
    c.markers(at, star);
  }
  std::string svg = c.take_svg();
  std::vector<std::string> paths;
  for (size_t p = svg.find("<path d=\""); p != std::string::npos; p = svg.find("<path d=\"", p + 1)) {
    size_t from = p + 9;
    paths.push_back(svg.substr(from, svg.find('"', from) - from));
  }
  ASSERT_EQ(paths.size(), at.size()) << svg;
  std::string body;
  for (size_t i = 0; i < paths.size(); ++i) {
    auto v = vertices(paths[i]);
    ASSERT_GE(v.size(), 10u) << paths[i];
    // The first vertex: the top point of the star, 1.15 x size above the centre.
    EXPECT_NEAR(v[0].first, at[i].first, 0.1) << paths[i];
    EXPECT_NEAR(v[0].second, at[i].second - 1.15 * 4.2, 0.1) << paths[i];
    std::string rest = paths[i].substr(paths[i].find('l'));
    if (i == 0) body = rest;
    EXPECT_EQ(rest, body) << "marker " << i;
  }
}

}  // namespace
}  // namespace ptr::test
