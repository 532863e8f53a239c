#include "render/chart/scale.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace ptr::chart {

double nice_step(double span, int target_ticks) {
  if (span <= 0 || !std::isfinite(span)) return 1;
  double raw = span / std::max(1, target_ticks);
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= m * mag * 1.0000001) return m * mag;
  return 10 * mag;
}

std::string plain_number(double v) {
  double a = std::fabs(v);
  auto trim = [](std::string s) {
    if (s.find('.') != std::string::npos) {
      while (s.back() == '0') s.pop_back();
      if (s.back() == '.') s.pop_back();
    }
    return s;
  };
  if (a >= 1e6) return trim(fmt::format("{:.2f}", v / 1e6)) + "M";
  if (a >= 1e4) return trim(fmt::format("{:.2f}", v / 1e3)) + "k";
  if (a >= 1) return trim(fmt::format("{:.2f}", v));
  if (a == 0) return "0";
  int decimals = static_cast<int>(std::ceil(-std::log10(a))) + 2;
  return trim(fmt::format("{:.{}f}", v, std::clamp(decimals, 1, 9)));
}

std::string format_number(double v, double step) {
  if (std::fabs(v) < step * 1e-9) v = 0;
  double a = std::fabs(v);
  if (a >= 1e4 && step >= 100) {
    double k = v / 1000.0;
    int dec = step >= 1000 ? (std::fmod(step, 1000.0) == 0 ? 0 : 1) : 1;
    return fmt::format("{:.{}f}k", k, dec);
  }
  int decimals = step >= 1 ? (std::fmod(step, 1.0) == 0 ? 0 : 1) : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  if (step < 1 && std::fabs(std::round(step * std::pow(10, decimals)) - step * std::pow(10, decimals)) > 1e-6) ++decimals;
  return fmt::format("{:.{}f}", v, std::clamp(decimals, 0, 6));
}

namespace {

class Linear : public Scale {
 public:
  Linear(double lo, double hi, double r0, double r1, bool zero) {
    if (zero) lo = std::min(lo, 0.0);
    if (!(hi > lo)) {
      double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
      lo -= pad;
      hi += pad;
    }
    step_ = nice_step(hi - lo, 5);
    lo_ = std::floor(lo / step_ + 1e-9) * step_;
    hi_ = std::ceil(hi / step_ - 1e-9) * step_;
    r0_ = r0;
    r1_ = r1;
  }
  double map(double v) const override { return r0_ + (v - lo_) / (hi_ - lo_) * (r1_ - r0_); }
  bool contains(double v) const override { return v >= lo_ - 1e-12 && v <= hi_ + 1e-12; }
  std::vector<Tick> ticks() const override {
    std::vector<Tick> t;
    for (double v = lo_; v <= hi_ + step_ * 1e-6; v += step_) t.push_back({v, format_number(v, step_), true});
    return t;
  }

 private:
  double step_ = 1;
};

class Log : public Scale {
 public:
  Log(double lo, double hi, double r0, double r1) {
    lo = std::max(lo, 1e-12);
    hi = std::max(hi, lo * 1.0001);
    // Pad by a fraction of a decade, then snap outward to 1/2/5 so the frame
    // starts and ends on a labelled value.
    double llo = std::log10(lo) - 0.05, lhi = std::log10(hi) + 0.05;
    lo_ = snap(std::pow(10.0, llo), false);
    hi_ = snap(std::pow(10.0, lhi), true);
    r0_ = r0;
    r1_ = r1;
  }
  double map(double v) const override {
    return r0_ + (std::log10(v) - std::log10(lo_)) / (std::log10(hi_) - std::log10(lo_)) * (r1_ - r0_);
  }
  bool contains(double v) const override { return v > 0 && v >= lo_ * (1 - 1e-9) && v <= hi_ * (1 + 1e-9); }
  // Plain-number labels (1, 2, 5, 10, 20, 50 ...; 10k, 1M): at least four
  // per axis, one per decade when the axis spans many decades.
  std::vector<Tick> ticks() const override {
    std::vector<Tick> t;
    int k0 = static_cast<int>(std::floor(std::log10(lo_))), k1 = static_cast<int>(std::ceil(std::log10(hi_)));
    auto labelled = [&](const std::vector<int>& mantissas, int every) {
      std::vector<double> out;
      for (int k = k0; k <= k1; ++k) {
        if (((k % every) + every) % every != 0) continue;
        for (int m : mantissas)
          if (double v = m * std::pow(10.0, k); contains(v)) out.push_back(v);
      }
      return out;
    };
    std::vector<double> major;
    for (const auto& [mantissas, every] : std::vector<std::pair<std::vector<int>, int>>{
             {{1}, 2}, {{1}, 1}, {{1, 3}, 1}, {{1, 2, 5}, 1}, {{1, 2, 3, 5, 7}, 1}, {{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1}}) {
      major = labelled(mantissas, every);  // sparse to dense: the first with four labels wins
      if (major.size() >= 4) break;
    }
    for (int k = k0; k <= k1; ++k)
      for (int m = 1; m <= 9; ++m) {
        double v = m * std::pow(10.0, k);
        if (!contains(v)) continue;
        bool is_major = std::find_if(major.begin(), major.end(), [&](double x) { return std::fabs(x - v) <= v * 1e-9; }) != major.end();
        t.push_back({v, is_major ? plain_number(v) : std::string(), is_major});
      }
    return t;
  }

 private:
  static double snap(double v, bool up) {
    double base = std::pow(10.0, std::floor(std::log10(v)));
    double m = v / base;
    static const double steps[] = {1, 2, 5, 10};
    if (up) {
      for (double s : steps)
        if (m <= s * 1.0000001) return s * base;
    } else {
      for (int i = 3; i >= 0; --i)
        if (m >= steps[i] * 0.9999999) return steps[i] * base;
    }
    return v;
  }
};

}  // namespace

std::unique_ptr<Scale> linear_scale(double lo, double hi, double r0, double r1, bool include_zero) {
  return std::make_unique<Linear>(lo, hi, r0, r1, include_zero);
}
std::unique_ptr<Scale> log_scale(double lo, double hi, double r0, double r1) { return std::make_unique<Log>(lo, hi, r0, r1); }

}  // namespace ptr::chart
