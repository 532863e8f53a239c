// Pages whose inputs come from verbs this build does not have yet (speed of
// light, champion, next lever). They are registered so every report names
// them as omissions with the verb that will produce their inputs, and so
// report_status's speed-of-light fields come from the pages that ground them.
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

// The rigor ladder of speed-of-light evidence: none < L1 (kernel proxy) <
// L3 (DCGM / GPM activity over the cell's window) < L4 (ncu per kernel).
int rigor_rank(const std::string& r) {
  if (r == "L4") return 4;
  if (r == "L3") return 3;
  if (r == "L2") return 2;
  if (r == "L1") return 1;
  return 0;
}

// A speed-of-light page: drawn, it marks the report sol_complete (pages 4-7)
// and raises sol_rigor to its level.
std::function<void(const ReportInputs&, bool, nlohmann::json&)> grounds(bool sol_page, const char* rigor, bool dcgm) {
  return [=](const ReportInputs&, bool drawn, nlohmann::json& s) {
    if (!s.contains("sol_complete")) s["sol_complete"] = false;
    if (!s.contains("sol_rigor")) s["sol_rigor"] = "none";
    if (!s.contains("dcgm_grounded")) s["dcgm_grounded"] = false;
    if (!drawn) return;
    if (sol_page) s["sol_complete"] = true;
    if (rigor_rank(rigor) > rigor_rank(s["sol_rigor"].get<std::string>())) s["sol_rigor"] = rigor;
    if (dcgm) s["dcgm_grounded"] = true;
  };
}

PageSpec planned(const char* id, const char* title, const char* what, const char* how,
                 std::function<void(const ReportInputs&, bool, nlohmann::json&)> status = {}) {
  PageSpec s;
  s.id = id;
  s.title = title;
  // Nothing in this build writes these inputs yet.
  s.inputs = {{what, how, [](const ReportInputs&) { return false; }}};
  s.count = [](const ReportInputs&, const chart::Rect&) { return 0; };
  s.status = std::move(status);
  return s;
}

}  // namespace

std::vector<PageSpec> planned_page_specs() {
  return {
      planned("page3", "Kernel time by category", "per-cell kernel categories (cells/<id>/kernels.json)",
              "import a profiler's kernel export with import_kernels (speed of light II, not in this build yet)",
              grounds(false, "L1", false)),
      planned("page4", "Roofline: where each cell sits", "the model's shape (config.json) and GPU ceilings (configs/sol-ceilings.yaml)",
              "give the model's config.json with model_shape --model-config (speed of light I, not in this build yet)",
              grounds(true, "none", false)),
      planned("page5", "Kernels against the hardware peak (ncu)", "Nsight Compute per-kernel results",
              "import an ncu CSV with import_ncu (speed of light II, not in this build yet)", grounds(true, "L4", false)),
      planned("page6", "DCGM correlation", "DCGM telemetry aligned to each point's window",
              "capture DCGM during cell_run and run dcgm_correlate (speed of light II, not in this build yet)",
              grounds(true, "L3", true)),
      planned("page7", "Roofline sweep: delivered vs datasheet", "a roofline sweep (decode batch and prefill ISL)",
              "capture one with cell_run --backend roofline-sweep, then import_roofline_sweep (speed of light I, not in "
              "this build yet)",
              grounds(true, "L3", false)),
      planned("page8", "Champion", "a champion selection (champion.json)",
              "run champion_select over the variant arms (not in this build yet)"),
      planned("next_lever", "Next lever", "a ranked frontier of next levers (value_view.json)",
              "run value_view (not in this build yet)"),
  };
}

}  // namespace ptr
