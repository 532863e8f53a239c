// Pages whose inputs come from verbs this build does not have yet (the next
// lever). They are registered so every report names them as omissions
// with the verb that will produce their inputs.
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

PageSpec planned(const char* id, const char* title, const char* what, const char* how) {
  PageSpec s;
  s.id = id;
  s.title = title;
  // Nothing in this build writes these inputs yet.
  s.inputs = {{what, how, [](const ReportInputs&) { return false; }}};
  s.count = [](const ReportInputs&, const chart::Rect&) { return 0; };
  return s;
}

}  // namespace

std::vector<PageSpec> planned_page_specs() {
  return {
      planned("next_lever", "Next lever", "a ranked frontier of next levers (value_view.json)",
              "run value_view (not in this build yet)"),
  };
}

}  // namespace ptr
