#pragma once
// Scales map data to page coordinates and bring their own ticks and labels.
// Linear ticks step by 1/2/2.5/5 x 10^k; log ticks label plain numbers
// (1, 2, 5, 10, 20, 50 ...) with at least four labels and 2..9 minor ticks.
#include <memory>
#include <string>
#include <vector>

namespace ptr::chart {

struct Tick {
  double value;
  std::string label;  // plain text ("20", "1.5k"); empty for minor ticks
  bool major = true;
};

class Scale {
 public:
  virtual ~Scale() = default;
  virtual double map(double v) const = 0;  // data -> page coordinate
  virtual std::vector<Tick> ticks() const = 0;
  virtual bool contains(double v) const = 0;
  double lo() const { return lo_; }
  double hi() const { return hi_; }

 protected:
  double lo_ = 0, hi_ = 1, r0_ = 0, r1_ = 1;
};

// Data extent [lo, hi] is widened to nice bounds. r0/r1 are page coordinates
// (for a y axis pass bottom then top).
std::unique_ptr<Scale> linear_scale(double lo, double hi, double r0, double r1, bool include_zero = false);
std::unique_ptr<Scale> log_scale(double lo, double hi, double r0, double r1);

double nice_step(double span, int target_ticks);
std::string format_number(double v, double step);  // "1.5", "250", "12k"
std::string plain_number(double v);                 // "0.5", "20", "1500", "20k", "1.5M"

}  // namespace ptr::chart
