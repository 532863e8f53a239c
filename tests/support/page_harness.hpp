#pragma once
// Page harness: ReportInputs built in code, one page drawn through the
// recording canvas, so a test can assert its texts, omissions and the
// positions of its marks (no label or box over a data mark).
#include <memory>
#include <string>
#include <vector>

#include "render/chart/recording.hpp"
#include "render/pages/pages.hpp"
#include "test_support.hpp"

namespace ptr::test {

// A cell of a sweep: out tok/s/GPU, TTFT and TPOT per concurrency, gpus = TP.
struct SweepSpec {
  std::string id = "c";
  std::string hardware = "H100";
  long tp = 8;
  long mbt = 8192;
  std::vector<long> conc = {1, 8, 32, 64};
  double tput_per_gpu_at_1 = 100;  // grows by 1.8x per step
  double ttft_at_1 = 50;           // doubles per step
  double tpot_at_1 = 10;           // grows by 1.5x per step
  long num_prompts = 1000;
};
AtlasCell sweep_cell(const SweepSpec& s);

struct Harness {
  TempDir dir;
  Campaign campaign;
  ReportInputs in;
  Harness(std::vector<AtlasCell> cells, ReportOptions options = {}, const std::string& config_yaml = "name: harness\n");
};

struct DrawnPage {
  std::unique_ptr<chart::RecordingCanvas> canvas;
  DrawLedger ledger;
  nlohmann::json status = nlohmann::json::object();
  std::string text() const { return canvas->all_text(); }
};

const PageSpec& page_spec(const std::string& id);
chart::Rect page_body();
DrawnPage draw_page(const ReportInputs& in, const std::string& id, int index = 0, const std::vector<Omission>& omissions = {},
                    DrawLedger ledger = {});

// Every page of the report drawn through the recording canvas: one line per
// two texts of one line that touch or overlap ("16384tok/s/GPU") and per text
// that leaves the page body, and the number of pages drawn.
struct TouchingTexts {
  int pages = 0;
  std::string lines;
};
TouchingTexts touching_texts_on_every_page(const ReportInputs& in);

}  // namespace ptr::test
