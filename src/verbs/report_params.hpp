#pragma once
// Render options shared by report_render and report_smoke (declared once).
#include "render/report_model.hpp"
#include "verbs/registry.hpp"

namespace ptr {
std::vector<ParamSpec> report_option_params();
ReportOptions report_options_from(const Params& p);
}  // namespace ptr
