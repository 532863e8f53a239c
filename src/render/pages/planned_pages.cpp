// Pages whose inputs come from verbs this build does not have yet (speed of
// light, champion, next lever). They are registered so every report names
// them as omissions with the verb that will produce their inputs, and so
// report_status's speed-of-light fields come from the pages that ground them.
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

std::function<void(const ReportInputs&, bool, nlohmann::json&)> grounds(bool sol_page, const char* rigor, bool dcgm) {
  return [=](const ReportInputs&, bool drawn, nlohmann::json& s) { ground_sol(s, drawn, sol_page, rigor, dcgm); };
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
      planned("page5", "Kernels against the hardware peak (ncu)", "Nsight Compute per-kernel results",
              "import an ncu CSV with import_ncu (speed of light II, not in this build yet)", grounds(true, "L4", false)),
      planned("page8", "Champion", "a champion selection (champion.json)",
              "run champion_select over the variant arms (not in this build yet)"),
      planned("next_lever", "Next lever", "a ranked frontier of next levers (value_view.json)",
              "run value_view (not in this build yet)"),
  };
}

}  // namespace ptr
