#include "page_harness.hpp"

#include <cmath>
#include <stdexcept>

#include "campaign/config.hpp"
#include "util/fs.hpp"

namespace ptr::test {

AtlasCell sweep_cell(const SweepSpec& s) {
  AtlasCell c;
  c.campaign = "harness";
  c.cell_id = s.id;
  c.status = "full";
  c.model = "M";
  c.hardware = s.hardware;
  c.quant = "FP8";
  c.tensor_parallel = s.tp;
  c.parallel_strategy = "TP";
  c.mtp = false;
  c.engine = "vllm";
  c.max_num_batched_tokens = s.mbt;
  c.gpus = s.tp;
  c.isl = 1024;
  c.osl = 256;
  double k = 1;
  for (size_t i = 0; i < s.conc.size(); ++i, k *= 1) {
    Point p;
    long conc = s.conc[i];
    p.concurrency = conc;
    p.num_prompts = s.num_prompts;
    p.completed = s.num_prompts;
    p.failed = 0;
    p.output_tok_s_per_gpu = s.tput_per_gpu_at_1 * std::pow(1.8, static_cast<double>(i));
    p.output_tok_s = *p.output_tok_s_per_gpu * static_cast<double>(s.tp);
    p.total_tok_s = *p.output_tok_s * 2;
    p.request_throughput_rps = *p.output_tok_s / 256;
    p.ttft_ms.mean = s.ttft_at_1 * std::pow(2.0, static_cast<double>(i));
    p.tpot_ms.mean = s.tpot_at_1 * std::pow(1.5, static_cast<double>(i));
    p.tok_s_per_user = *p.output_tok_s / static_cast<double>(conc);
    p.interactivity_tok_s = 1000 / *p.tpot_ms.mean;
    p.steady_window_undercount = s.num_prompts < 2 * conc;
    c.points.push_back(p);
  }
  return c;
}

Harness::Harness(std::vector<AtlasCell> cells, ReportOptions options, const std::string& config_yaml) {
  campaign.id = "20260101T000000Z-harness";
  campaign.dir = dir.path;
  campaign.config = parse_campaign_config(config_yaml, "config.yaml");
  in = report_inputs_from_cells(campaign, std::move(cells), options);
}

const PageSpec& page_spec(const std::string& id) {
  for (const auto& p : report_pages())
    if (p.id == id) return p;
  throw std::runtime_error("no page " + id);
}

chart::Rect page_body() { return {36, 46, 841.89 - 72, 1190.55 - 46 - 36}; }

DrawnPage draw_page(const ReportInputs& in, const std::string& id, int index, const std::vector<Omission>& omissions,
                    DrawLedger ledger) {
  DrawnPage d;
  d.canvas = std::make_unique<chart::RecordingCanvas>(841.89, 1190.55);
  d.ledger = std::move(ledger);
  const PageSpec& spec = page_spec(id);
  if (auto o = page_omission(spec, in)) throw std::runtime_error("page " + id + " omitted: " + o->reason);
  PageFrame frame{*d.canvas, in, page_body(), omissions, d.ledger, d.status, true};
  std::any state;
  if (spec.prepare) {
    state = spec.prepare(in);
    frame.prepared = &state;
  }
  spec.draw(frame, index);
  return d;
}

}  // namespace ptr::test
