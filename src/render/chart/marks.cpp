#include "render/chart/marks.hpp"

#include <algorithm>
#include <cmath>

namespace ptr::chart {

double marker_extent(const MarkStyle& s) {
  // The undercount frame (size + 2.2) and the partial ring (size + 1.6) reach
  // past the marker, their 0.6 pt strokes half a width further.
  double decoration = s.undercount_mark ? 2.5 : s.emphasized_edge ? 1.9 : 1;
  return s.size + decoration;
}

Rect marker_box(double x, double y, const MarkStyle& s) {
  double e = marker_extent(s);
  return {x - e, y - e, 2 * e, 2 * e};
}

constexpr double kBucket = 24;

LabelPlacer::LabelPlacer(Rect bounds) : bounds_(bounds) {
  cols_ = std::max(1, static_cast<int>(std::ceil(bounds.w / kBucket)));
  rows_ = std::max(1, static_cast<int>(std::ceil(bounds.h / kBucket)));
  buckets_.resize(static_cast<size_t>(cols_) * rows_);
}

template <class F>
void LabelPlacer::for_buckets(const Rect& r, F f) const {
  int c0 = std::clamp(static_cast<int>((r.x - bounds_.x) / kBucket), 0, cols_ - 1);
  int c1 = std::clamp(static_cast<int>((r.right() - bounds_.x) / kBucket), 0, cols_ - 1);
  int r0 = std::clamp(static_cast<int>((r.y - bounds_.y) / kBucket), 0, rows_ - 1);
  int r1 = std::clamp(static_cast<int>((r.bottom() - bounds_.y) / kBucket), 0, rows_ - 1);
  for (int row = r0; row <= r1; ++row)
    for (int col = c0; col <= c1; ++col) f(static_cast<size_t>(row) * cols_ + col);
}

void LabelPlacer::add_obstacle(const Rect& r) {
  unsigned id = static_cast<unsigned>(obstacles_.size());
  obstacles_.push_back(r);
  auto& buckets = buckets_;
  for_buckets(r, [&](size_t b) { buckets[b].push_back(id); });
}

bool LabelPlacer::clashes(const Rect& r) const {
  bool hit = false;
  for_buckets(r, [&](size_t b) {
    if (hit) return;
    for (unsigned id : buckets_[b])
      if (obstacles_[id].intersects(r)) {
        hit = true;
        return;
      }
  });
  return hit;
}

std::string fit_text(Canvas& c, const std::string& s, const Font& f, double width) {
  if (c.measure(s, f).w <= width) return s;
  // Longest prefix (on a UTF-8 boundary) that fits with the ellipsis.
  size_t lo = 0, hi = s.size();
  auto boundary = [&](size_t n) {
    while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return n;
  };
  while (lo < hi) {
    size_t mid = boundary((lo + hi + 1) / 2);
    if (mid <= lo) break;
    if (c.measure(s.substr(0, mid) + "…", f).w <= width) lo = mid;
    else hi = mid - 1;
  }
  return s.substr(0, boundary(lo)) + "…";
}

std::string fit_text_middle(Canvas& c, const std::string& s, const Font& f, double width) {
  if (c.measure(s, f).w <= width) return s;
  auto start_of = [&](size_t n) {  // a UTF-8 boundary at or after n
    while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
    return n;
  };
  auto end_of = [&](size_t n) {  // a UTF-8 boundary at or before n
    while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return n;
  };
  // Keep k bytes: two fifths from the head, the rest from the tail.
  auto cut = [&](size_t k) { return s.substr(0, end_of(k * 2 / 5)) + "…" + s.substr(start_of(s.size() - (k - k * 2 / 5))); };
  size_t lo = 0, hi = s.size();
  while (lo < hi) {
    size_t mid = (lo + hi + 1) / 2;
    if (c.measure(cut(mid), f).w <= width) lo = mid;
    else hi = mid - 1;
  }
  return cut(lo);
}

void draw_error_bars(Canvas& c, const std::vector<ErrorBar>& bars, Color color) {
  std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>> segs;
  const double cap = 1.8;
  for (const auto& b : bars) {
    if (b.y_hi - b.y_lo > 0.5) {
      segs.push_back({{b.x, b.y_lo}, {b.x, b.y_hi}});
      segs.push_back({{b.x - cap, b.y_lo}, {b.x + cap, b.y_lo}});
      segs.push_back({{b.x - cap, b.y_hi}, {b.x + cap, b.y_hi}});
    }
    if (b.x_hi - b.x_lo > 0.5) {
      segs.push_back({{b.x_lo, b.y}, {b.x_hi, b.y}});
      segs.push_back({{b.x_lo, b.y - cap}, {b.x_lo, b.y + cap}});
      segs.push_back({{b.x_hi, b.y - cap}, {b.x_hi, b.y + cap}});
    }
  }
  if (!segs.empty()) c.segments(segs, color, 0.6);
}

void draw_marker(Canvas& c, double x, double y, const MarkStyle& s) { c.markers({{x, y}}, s); }

void draw_markers(Canvas& c, const std::vector<std::pair<double, double>>& at, const MarkStyle& s) { c.markers(at, s); }

Rect label_keepout(const Rect& r) { return {r.x - kLabelGap, r.y, r.w + 2 * kLabelGap, r.h}; }

bool LabelPlacer::place(Canvas& c, double ax, double ay, const std::string& text, const Font& f, Color color, double g) {
  Rect size = c.measure(text, f);
  // Right, upper-right, above, lower-right, left, upper-left, below, lower-left.
  const std::pair<double, double> offsets[] = {{g, -size.h / 2},           {g, -size.h - 1},
                                               {-size.w / 2, -size.h - g}, {g, 1},
                                               {-size.w - g, -size.h / 2}, {-size.w - g, -size.h - 1},
                                               {-size.w / 2, g},           {-size.w - g, 1}};
  for (const auto& [dx, dy] : offsets) {
    Rect r{ax + dx, ay + dy, size.w, size.h};
    if (!bounds_.contains(r) || clashes(r)) continue;
    c.text(r.x, r.y, text, f, color);
    add_obstacle(label_keepout(r));
    placed_.push_back(r);
    return true;
  }
  ++skipped_;
  return false;
}

Rect legend_size(Canvas& c, const std::vector<LegendEntry>& entries, const Font& f, int columns) {
  double w = 0, h = 0;
  for (const auto& e : entries) {
    Rect m = c.measure(e.text, f);
    w = std::max(w, m.w);
    h = std::max(h, m.h);
  }
  int rows = (static_cast<int>(entries.size()) + columns - 1) / columns;
  return {0, 0, columns * (w + 16) + 6, rows * (h + 2) + 6};
}

Rect best_legend_corner(const Rect& frame, const Rect& size, const std::vector<std::pair<double, double>>& points) {
  const double m = 3;
  Rect candidates[] = {{frame.right() - size.w - m, frame.y + m, size.w, size.h},
                       {frame.x + m, frame.y + m, size.w, size.h},
                       {frame.right() - size.w - m, frame.bottom() - size.h - m, size.w, size.h},
                       {frame.x + m, frame.bottom() - size.h - m, size.w, size.h}};
  Rect best = candidates[0];
  size_t best_n = SIZE_MAX;
  for (const auto& r : candidates) {
    size_t n = std::count_if(points.begin(), points.end(), [&](const auto& p) {
      return p.first >= r.x && p.first <= r.right() && p.second >= r.y && p.second <= r.bottom();
    });
    if (n < best_n) {
      best_n = n;
      best = r;
    }
  }
  return best;
}

void draw_legend(Canvas& c, const Rect& where, const std::vector<LegendEntry>& entries, const Font& f, int columns, bool boxed) {
  if (boxed) {
    c.rect_fill(where, Color{1, 1, 1, 0.88});
    c.rect_stroke(where, Color::hex(0xbbbbbb), 0.4);
  }
  double col_w = (where.w - 6) / columns;
  double row_h = 0;
  for (const auto& e : entries) row_h = std::max(row_h, c.measure(e.text, f).h + 2);
  for (size_t i = 0; i < entries.size(); ++i) {
    int col = static_cast<int>(i) % columns, row = static_cast<int>(i) / columns;
    double x = where.x + 3 + col * col_w, y = where.y + 3 + row * row_h;
    MarkStyle s = entries[i].style;
    s.size = std::min(s.size, 3.2);
    TagScope tag(c, entries[i].series.empty() ? c.tag() : Tag{"legend", entries[i].text, {}, entries[i].series});
    draw_marker(c, x + 6, y + row_h / 2, s);
    c.text(x + 14, y + row_h / 2, entries[i].text, f, Color::hex(0x222222), Align::left, VAlign::middle);
  }
}

}  // namespace ptr::chart
