// Page 5: single kernels against the hardware peak (Nsight Compute, import_ncu).
// One block per (cell, capture): the kernels that took the most time in the
// capture, each with its DRAM and SM throughput as % of peak sustained
// (launches of one name folded, weighted by duration), so a memory-bound
// kernel far from the DRAM roof stands out. Rigor L4.
#include <algorithm>
#include <fmt/format.h>
#include <map>

#include "render/chart/bars.hpp"
#include "render/chart/marks.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

constexpr size_t kKernelsPerBlock = 10, kBlocksPerPage = 4;
const Color kDram = Color::hex(0x1f4e9c), kSm = Color::hex(0xe08a1e);

struct Block {
  std::string cell_id, cell_label;
  const NcuCapture* capture;
};

std::vector<Block> blocks_of(const ReportInputs& in) {
  std::vector<Block> out;
  auto add = [&](const AtlasCell& cell, const std::string& label) {
    if (auto it = in.ncu_of_cell.find(cell.cell_id); it != in.ncu_of_cell.end())
      for (const auto& cap : it->second) out.push_back({cell.cell_id, label, &cap});
  };
  for (const auto& cell : in.cells) add(cell, in.variant(cell).label);
  for (const auto& cell : in.roofline_cells) add(cell, cell.cell_id);
  return out;
}

std::string pct(const std::optional<double>& v) {
  if (!v) return "n/a";
  return *v < 10 ? fmt::format("{:.1f}%", *v) : fmt::format("{:.0f}%", *v);
}

// What the block's kernels say, in one line: the time-weighted DRAM and SM %
// over the kernels shown and how much of that time is memory-bound.
std::string verdict(const std::vector<NcuKernelSummary>& ks, double total_us) {
  double t = 0, dram = 0, sm = 0, mem_bound = 0, w_dram = 0, w_sm = 0;
  for (const auto& k : ks) {
    t += k.total_us;
    if (k.dram_pct) dram += *k.dram_pct * k.total_us, w_dram += k.total_us;
    if (k.sm_pct) sm += *k.sm_pct * k.total_us, w_sm += k.total_us;
    if (k.dram_pct && k.sm_pct && *k.dram_pct > *k.sm_pct) mem_bound += k.total_us;
  }
  if (t <= 0) return "no launch carries a duration: kernels are listed in file order";
  return fmt::format("The {} kernels shown take {:.0f}% of the capture's {:.4g} us; time-weighted DRAM {} and SM {} of peak; "
                     "{:.0f}% of their time is in kernels whose DRAM % exceeds SM % (memory-bound side).",
                     ks.size(), total_us > 0 ? t / total_us * 100 : 100, total_us,
                     w_dram > 0 ? fmt::format("{:.0f}%", dram / w_dram) : "n/a", w_sm > 0 ? fmt::format("{:.0f}%", sm / w_sm) : "n/a",
                     mem_bound / t * 100);
}

double block_height(size_t kernels) { return 30 + bar_chart_height(kernels) + 10; }

}  // namespace

PageSpec page5_spec() {
  PageSpec s;
  s.id = "page5";
  s.title = "Kernels against the hardware peak (ncu)";
  s.inputs = {{"Nsight Compute per-kernel results (cells/<id>/ncu.json)",
               "profile the step with ncu --section SpeedOfLight, export with ncu --csv (--page details or raw), then import_ncu",
               [](const ReportInputs& in) { return !in.ncu_of_cell.empty(); }}};
  s.count = [](const ReportInputs& in, const Rect&) {
    size_t n = blocks_of(in).size();
    return static_cast<int>(std::max<size_t>(1, (n + kBlocksPerPage - 1) / kBlocksPerPage));
  };
  s.draw = [](PageFrame& f, int index) {
    Canvas& c = f.c;
    auto blocks = blocks_of(f.in);
    double y = f.body.y;
    Rect r = c.text(f.body.x, y,
                    "Nsight Compute's Speed Of Light per kernel: DRAM throughput and SM (compute) throughput as % of the GPU's "
                    "peak sustained rate, over the kernel's own duration. Launches of one kernel name are folded, percentages "
                    "weighted by duration; the kernels that took the most time come first. A kernel near neither roof is "
                    "latency- or launch-bound; a decode GEMM should sit near the DRAM roof. Profiled kernels run serialized "
                    "with caches flushed: the capture is a lower bound of what the kernel does under load. Rigor L4.",
                    Font{7}, Color::hex(0x333333), Align::left, VAlign::top, f.body.w);
    y += r.h + 4;
    std::vector<LegendEntry> legend = {{"DRAM throughput, % of peak", MarkStyle{Shape::square, kDram, true, 3.4}},
                                       {"SM throughput, % of peak", MarkStyle{Shape::square, kSm, true, 3.4}}};
    Rect size = legend_size(c, legend, Font{7}, 2);
    draw_legend(c, {f.body.x, y, std::min(size.w, f.body.w), size.h}, legend, Font{7}, 2, true);
    y += size.h + 6;
    size_t first = static_cast<size_t>(index) * kBlocksPerPage;
    for (size_t b = first; b < std::min(blocks.size(), first + kBlocksPerPage); ++b) {
      const Block& blk = blocks[b];
      auto all = summarize_by_name(*blk.capture);
      double total_us = 0;
      for (const auto& k : all) total_us += k.total_us;
      std::vector<NcuKernelSummary> shown(all.begin(), all.begin() + static_cast<long>(std::min(all.size(), kKernelsPerBlock)));
      c.text(f.body.x, y, fmt::format("{} — capture {} ({} launches, {} kernels, {})", blk.cell_label, blk.capture->label,
                                      blk.capture->kernels.size(), all.size(), blk.capture->file),
             Font{7.5, true}, Color::hex(0x111111), Align::left, VAlign::top, f.body.w);
      c.text(f.body.x, y + 11, verdict(shown, total_us), Font{6.5}, Color::hex(0x1a237e), Align::left, VAlign::top, f.body.w);
      BarChart chart;
      chart.stacked = false;
      chart.axis_label = "% of peak sustained";
      chart.label_share = 0.36;
      chart.note_width = 130;
      chart.guides = {};
      std::vector<BarRow> rows;
      // Kernels whose short names coincide (PyTorch's elementwise_kernel
      // instantiations) are told apart by the functor they run, then by number.
      std::map<std::string, int> uses, seen;
      for (const auto& k : shown) ++uses[short_kernel_name(k.name)];
      std::vector<std::string> labels;
      for (const auto& k : shown) {
        std::string l = short_kernel_name(k.name);
        if (uses[l] > 1 && !kernel_functor(k.name).empty()) l += " [" + kernel_functor(k.name) + "]";
        labels.push_back(l);
      }
      for (auto& l : labels) {
        int n = ++seen[l];
        if (std::count(labels.begin(), labels.end(), l) > 1 && n > 1) l += fmt::format(" #{}", n);
      }
      for (size_t i = 0; i < shown.size(); ++i) {
        const auto& k = shown[i];
        rows.push_back({labels[i],
                        {{k.dram_pct, kDram, pct(k.dram_pct)}, {k.sm_pct, kSm, pct(k.sm_pct)}},
                        fmt::format("{:.4g} us ×{} · {}", k.total_us, k.launches, k.category),
                        blk.cell_id + "/" + blk.capture->label + "/" + k.name});
      }
      draw_bar_chart(c, {f.body.x, y + 30, f.body.w, bar_chart_height(rows.size())}, chart, rows);
      y += block_height(rows.size());
    }
  };
  s.status = [](const ReportInputs&, bool drawn, nlohmann::json& status) { ground_sol(status, drawn, true, "L4", false); };
  return s;
}

}  // namespace ptr
