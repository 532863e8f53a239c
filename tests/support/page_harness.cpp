#include "page_harness.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
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

TouchingTexts touching_texts_on_every_page(const ReportInputs& in) {
  TouchingTexts out;
  for (const auto& spec : report_pages()) {
    if (page_omission(spec, in)) continue;
    std::any state;
    if (spec.prepare) state = spec.prepare(in);
    for (int i = 0, n = spec.count(in, page_body()); i < n; ++i, ++out.pages) {
      chart::RecordingCanvas canvas(841.89, 1190.55);
      DrawLedger ledger;
      nlohmann::json status = nlohmann::json::object();
      std::vector<Omission> omissions;
      PageFrame frame{canvas, in, page_body(), omissions, ledger, status, true};
      if (spec.prepare) frame.prepared = &state;
      spec.draw(frame, i);
      std::vector<const chart::RecordedItem*> texts;
      const chart::Rect body = page_body();
      for (const auto& item : canvas.items())
        if ((item.kind == "text" || item.kind == "markup") && !item.text.empty()) {
          texts.push_back(&item);
          const chart::Rect& r = item.box;
          if (r.x < body.x - 1 || r.right() > body.right() + 1 || r.y < body.y - 1 || r.bottom() > body.bottom() + 1)
            out.lines += fmt::format("{} page {}: '{}' leaves the page body ({:.0f},{:.0f} to {:.0f},{:.0f})\n", spec.id, i + 1, item.text,
                                     r.x, r.y, r.right(), r.bottom());
        }
      for (size_t a = 0; a < texts.size(); ++a)
        for (size_t b = a + 1; b < texts.size(); ++b) {
          const chart::Rect &x = texts[a]->box, &y = texts[b]->box;
          double gap = std::max(x.x, y.x) - std::min(x.right(), y.right());
          double same_line = std::min(x.bottom(), y.bottom()) - std::max(x.y, y.y);
          if (same_line > 2 && gap < 1)
            out.lines += fmt::format("{} page {}: '{}' and '{}' ({:.1f} pt apart) at {:.0f},{:.0f}\n", spec.id, i + 1, texts[a]->text,
                                     texts[b]->text, gap, x.x, x.y);
        }
    }
  }
  return out;
}

}  // namespace ptr::test
