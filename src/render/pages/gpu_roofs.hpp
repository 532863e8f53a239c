#pragma once
// A GPU's roofs on a log-log roofline panel (arithmetic intensity against
// TFLOP/s per GPU): the HBM diagonal up to the ridge and the dense tensor
// roof of the weights' format, datasheet solid, measured achievable dashed
// (pages 7 and 8).
#include <optional>
#include <string>
#include <utility>

#include "analysis/roofline/ceilings.hpp"
#include "render/chart/axes.hpp"

namespace ptr {

// The panel must be clipped by the caller; labels sit inside the plot.
void draw_gpu_roofs(chart::Canvas& c, const chart::Panel& p, const GpuCeiling& gpu, const std::string& weight_dtype,
                    const std::string& hardware);

// The x extent the roofs need: the ridge point (tensor roof / HBM bandwidth).
std::optional<double> ridge_intensity(const GpuCeiling& gpu, const std::string& weight_dtype);

}  // namespace ptr
