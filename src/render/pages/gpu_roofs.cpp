#include "render/pages/gpu_roofs.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace ptr {

using namespace chart;

std::optional<double> ridge_intensity(const GpuCeiling& gpu, const std::string& weight_dtype) {
  auto roof = gpu.compute_roof_tflops(weight_dtype);
  if (!roof || !(gpu.hbm_tb_s > 0)) return std::nullopt;
  return roof->first / gpu.hbm_tb_s;
}

void draw_gpu_roofs(Canvas& c, const Panel& p, const GpuCeiling& gpu, const std::string& weight_dtype, const std::string& hardware) {
  auto roof = gpu.compute_roof_tflops(weight_dtype);
  Color ink = Color::hex(0x37474f);
  auto draw_roof = [&](double bw, std::optional<double> peak, bool dashed) {
    double x0 = p.x->lo(), x1 = p.x->hi();
    double ridge = peak ? *peak / bw : x1;
    TagScope tag(c, {"guide", gpu.key});
    c.line(p.px(x0), p.py(x0 * bw), p.px(std::min(ridge, x1)), p.py(std::min(ridge, x1) * bw), ink, dashed ? 0.7 : 1.0, dashed);
    if (peak && ridge < x1) c.line(p.px(ridge), p.py(*peak), p.px(x1), p.py(*peak), ink, dashed ? 0.7 : 1.0, dashed);
  };
  draw_roof(gpu.hbm_tb_s, roof ? std::optional<double>(roof->first) : std::nullopt, false);
  // The measured block replaces the BF16 roof only: the file measures no other format.
  std::optional<double> achievable_peak = roof ? std::optional<double>(roof->first) : std::nullopt;
  if (roof && roof->second == "BF16" && gpu.achievable_bf16_tflops) achievable_peak = *gpu.achievable_bf16_tflops;
  if (gpu.achievable_hbm_tb_s) draw_roof(*gpu.achievable_hbm_tb_s, achievable_peak, true);
  if (roof)
    c.text(p.plot.right() - 4, p.py(roof->first) - 2, fmt::format("{} dense {:g} TFLOP/s ({})", roof->second, roof->first, hardware),
           Font{6.5}, ink, Align::right, VAlign::bottom);
  // The diagonal's label sits left of it, a decade or so below the ridge.
  double ridge = roof ? roof->first / gpu.hbm_tb_s : p.x->hi();
  double xl = std::max(p.x->lo() * 2, ridge / 40);
  c.text(p.px(xl) - 4, p.py(xl * gpu.hbm_tb_s), fmt::format("HBM {:g} TB/s", gpu.hbm_tb_s), Font{6.5}, ink, Align::right, VAlign::middle);
  if (gpu.achievable_hbm_tb_s && achievable_peak)
    c.text(p.plot.right() - 4, p.py(*achievable_peak) + 2,
           fmt::format("measured achievable: {:g} TB/s, {:g} TFLOP/s", *gpu.achievable_hbm_tb_s, *achievable_peak), Font{6.5, false, true},
           ink, Align::right, VAlign::top);
}

}  // namespace ptr
