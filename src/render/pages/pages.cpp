#include "render/pages/pages.hpp"

#include <cmath>
#include <set>

#include "model/identity.hpp"

namespace ptr {

namespace {

std::vector<std::string> facet_choices() {
  std::vector<std::string> out = {"auto", "none"};
  for (const auto* f : identity_fields()) out.push_back(f->name);
  return out;
}

// Parameters more than one page reads, declared once.
const std::vector<PageParam>& shared_params() {
  static const std::vector<PageParam> p = {
      {"facet", PageParamKind::choice, "auto",
       "Field whose values split page 1 into rows of panels and page 2 into columns: auto = mbt when it varies, else "
       "the workload field that varies most, else the model, else none; or any descriptor field.",
       nullptr, facet_choices},
      {"pages", PageParamKind::text, nullptr,
       "Render only these page ids (comma list, e.g. page1,tpm); the others are left out, not omitted [default: all]."},
      {"format", PageParamKind::choice, "pdf",
       "What to write: pdf (report.pdf), html (report.html: one self-contained interactive file, the same pages as SVG) or both.",
       "pdf|html|both"},
      {"interactivity", PageParamKind::choice, "per-user",
       "Interactivity axis of page 1 and the cost page: per-user = output tok/s / concurrency (TTFT included), "
       "tpot = 1000 / mean TPOT.",
       "per-user|tpot"},
  };
  return p;
}

}  // namespace

namespace {
int rigor_rank(const std::string& r) {
  if (r == "L4") return 4;
  if (r == "L3") return 3;
  if (r == "L2") return 2;
  if (r == "L1") return 1;
  return 0;
}
}  // namespace

void ground_sol(nlohmann::json& s, bool drawn, bool sol_page, const std::string& rigor, bool dcgm) {
  if (!s.contains("sol_complete")) s["sol_complete"] = false;
  if (!s.contains("sol_rigor")) s["sol_rigor"] = "none";
  if (!s.contains("dcgm_grounded")) s["dcgm_grounded"] = false;
  if (!drawn) return;
  if (sol_page) s["sol_complete"] = true;
  if (rigor_rank(rigor) > rigor_rank(s["sol_rigor"].get<std::string>())) s["sol_rigor"] = rigor;
  if (dcgm) s["dcgm_grounded"] = true;
}

const std::vector<PageSpec>& report_pages() {
  static const std::vector<PageSpec> pages = [] {
    // The seed's order: speed-of-light pages 3-7 after the TPM views, then the
    // champion, completeness and source last.
    std::vector<PageSpec> p = {page1_spec(), page2_spec(), tpm_spec(), inferencex_spec(), distribution_spec(), page3_spec(), page4_spec(),
                               page5_spec(), page6_spec(), page6b_spec(), page7_spec(), page8_spec(), history_spec()};
    p.push_back(next_lever_spec());
    p.push_back(completeness_spec());
    p.push_back(source_spec());
    return p;
  }();
  return pages;
}

const std::vector<PageParam>& report_params() {
  static const std::vector<PageParam> params = [] {
    std::vector<PageParam> out = shared_params();
    std::set<std::string> seen;
    for (const auto& p : out) seen.insert(p.name);
    for (const auto& page : report_pages())
      for (const auto& p : page.params)
        if (seen.insert(p.name).second) out.push_back(p);
    return out;
  }();
  return params;
}

std::optional<Omission> page_omission(const PageSpec& spec, const ReportInputs& in) {
  for (const auto& input : spec.inputs)
    if (!input.present(in)) return Omission{spec.id, "needs " + input.what, input.how_to_produce};
  if (spec.precondition) return spec.precondition(in);
  return std::nullopt;
}

std::optional<double> at_sla(const CellSla& s, const std::function<std::optional<double>(const Point&)>& get) {
  if (!s.point || !s.lo) return std::nullopt;
  auto a = get(*s.lo);
  if (!has(a)) return std::nullopt;
  if (!s.hi || s.t <= 0) return a;
  auto b = get(*s.hi);
  if (!has(b)) return std::nullopt;
  return *a + (*b - *a) * s.t;
}

bool has(const std::optional<double>& v) { return v && std::isfinite(*v) && *v > 0; }

std::string statistic_view(const std::string& statistic) { return "stat-" + statistic; }
std::string interactivity_view(bool tpot) { return tpot ? "inter-tpot" : "inter-per-user"; }

std::optional<double> interactivity_of(bool tpot, const Point& p) { return tpot ? p.interactivity_tok_s : p.tok_s_per_user; }

std::string interactivity_axis(bool tpot) {
  return tpot ? "interactivity (1000 / TPOT, tok/s/user)" : "tok/s/user (output tok/s / concurrency)";
}

std::string interactivity_definition(bool tpot) {
  return tpot
             ? "interactivity = 1000 / mean TPOT: the decode rate one user sees once the first token arrived"
             : "tok/s/user = output tok/s / concurrency: what one user receives per second, TTFT included "
               "(--interactivity tpot plots 1000 / mean TPOT instead)";
}

}  // namespace ptr
