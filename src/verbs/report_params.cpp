#include "verbs/report_params.hpp"

#include "render/pages/pages.hpp"

namespace ptr {

// The pages declare their parameters (render/pages); a verb parameter is
// made from each declaration, so a page parameter is written once.
std::vector<ParamSpec> report_option_params() {
  std::vector<ParamSpec> out;
  for (const auto& p : report_params()) {
    ParamSpec spec{p.name, ParamType::string, false, p.default_value ? json(p.default_value) : json(nullptr), p.doc};
    if (p.kind == PageParamKind::choice) spec.choices = allowed_values(p);
    out.push_back(std::move(spec));
  }
  return out;
}

ReportOptions report_options_from(const Params& p) {
  ReportOptions o;
  for (const auto& decl : report_params())
    if (auto v = p.opt_str(decl.name)) o.set(decl.name, *v);
  return o;
}

}  // namespace ptr
