#pragma once
// The report's pages, one file each, registered in one list (pages.cpp).
// A page entry is self-describing: its id (written once), the parameters it
// reads, the inputs it needs (an absent input makes it a recorded omission
// with how to produce it, never a silent skip), a precondition on the data,
// and the report_status fields it grounds.
#include <any>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "render/chart/canvas.hpp"
#include "render/report_model.hpp"
#include "render/report_options.hpp"

namespace ptr {

struct Omission {
  std::string page;
  std::string reason;
  std::string how_to_fix;
};

// The completeness page's content, also written to report_status.json in
// full (the page may run out of room). Sections: omitted_pages,
// undrawn_points, failed_points, cell_caveats, methodology, drawing.
struct CompletenessLine {
  std::string section;
  std::string text;
  bool severe = false;
};

// What the pages drew and what they could not: the completeness page reads
// it (it is drawn after the measured pages), so "every point was placed" is
// counted, not assumed.
struct DrawLedger {
  struct Undrawn {
    std::string page, cell;
    std::optional<long> concurrency;
    std::string reason;
  };
  std::vector<Undrawn> undrawn;      // points a page could not place, with why
  std::vector<std::string> notes;    // drawing notes (overlaps found, ...)
  std::set<std::pair<std::string, long>> placed;  // (cell, concurrency) placed on at least one page-1 panel
  long skipped_labels = 0, panels_with_skips = 0;   // c=N labels with no free spot
  long failed_marked = 0;            // failed points shown in FAILED strips
  long overlaps = 0;                 // labels or boxes found over a data mark
  std::vector<CompletenessLine> completeness;  // as the completeness page drew them (empty until then)
};

struct PageFrame {
  chart::Canvas& c;
  const ReportInputs& in;
  chart::Rect body;                        // area between header and footer
  const std::vector<Omission>& omissions;  // of the whole report (for the completeness page)
  DrawLedger& ledger;
  const nlohmann::json& status;            // report_status fields the pages ground (sol_*)
  bool page1_drawn = true;
  const std::any* prepared = nullptr;      // what the entry's prepare() computed once for all its pages
  // HTML only: the SLA control's presets (sla_presets()); pages draw what
  // depends on the SLA once per preset, in layer sla_layer(i).
  const std::vector<TpmConfig>* sla_layers = nullptr;
  // HTML only: pages with switchable alternatives (page 1's latency statistic
  // and interactivity definition) draw each in its Tag::view.
  bool view_layers = false;
};

std::vector<CompletenessLine> completeness_lines(const ReportInputs& in, const std::vector<Omission>& omissions,
                                                 const DrawLedger& ledger, bool page1_drawn);

// An input a page needs beyond the atlas: absent -> the page is omitted
// with `how_to_produce`. Loading happens in draw (and fails loudly there).
struct PageInput {
  std::string what;
  std::string how_to_produce;
  std::function<bool(const ReportInputs&)> present;
};

struct PageSpec {
  std::string id;
  std::string title;  // bookmark and page header
  std::vector<PageParam> params;
  std::vector<PageInput> inputs;
  std::function<std::optional<Omission>(const ReportInputs&)> precondition;  // on the data, after inputs
  std::function<int(const ReportInputs&, const chart::Rect& body)> count;  // physical pages (>= 1 when drawable)
  // Work shared by all of the entry's pages (report-wide extents, colour
  // scales), done once per render; draw finds it in PageFrame::prepared.
  std::function<std::any(const ReportInputs&)> prepare;
  std::function<void(PageFrame&, int index)> draw;
  // Optional: the page as an HTML fragment (tables a browser lays out and
  // searches), used by the HTML report instead of the drawing. Same paging as draw.
  std::function<std::string(PageFrame&, int index)> html;
  // report_status fields this page grounds (sol_complete, sol_rigor, ...),
  // called for every page, drawn or not.
  std::function<void(const ReportInputs&, bool drawn, nlohmann::json& status)> status;
};

const std::vector<PageSpec>& report_pages();
// Why a page cannot be drawn (a missing input, then its precondition), or nothing.
std::optional<Omission> page_omission(const PageSpec& spec, const ReportInputs& in);

PageSpec page1_spec();
PageSpec page2_spec();
PageSpec tpm_spec();
PageSpec inferencex_spec();
PageSpec distribution_spec();
PageSpec completeness_spec();
PageSpec source_spec();
PageSpec page3_spec();
PageSpec page4_spec();
PageSpec page5_spec();
PageSpec page6_spec();
PageSpec page6b_spec();
PageSpec page7_spec();
PageSpec page8_spec();
PageSpec next_lever_spec();
PageSpec history_spec();

// A metric at a cell's SLA point: interpolated between the two measured
// points around it as compute_tpm does; nullopt when either lacks it.
std::optional<double> at_sla(const CellSla& s, const std::function<std::optional<double>(const Point&)>& get);

// report_status's speed-of-light fields: sol_complete, sol_rigor (none < L1
// kernel proxy < L3 DCGM/GPM activity over the windows < L4 ncu per kernel),
// dcgm_grounded. Every SoL page calls it, drawn or not, so the fields exist.
void ground_sol(nlohmann::json& status, bool drawn, bool sol_page, const std::string& rigor, bool dcgm);

// Shared by the pages: a value a chart can place (finite, > 0).
bool has(const std::optional<double>& v);
// tok/s/user as the report defines it (output tok/s / concurrency), or
// 1000 / mean TPOT with --interactivity tpot (`tpot`: the definition asked
// for; the ReportInputs forms use the render's).
std::optional<double> interactivity_of(bool tpot, const Point& p);
std::string interactivity_axis(bool tpot);
std::string interactivity_definition(bool tpot);
// Page 1's switchable panels (Tag::view): "stat-<mean|p50|p90|p99>" and
// "inter-<per-user|tpot>"; the HTML report's rule and script use these prefixes.
std::string statistic_view(const std::string& statistic);
std::string interactivity_view(bool tpot);
inline std::optional<double> interactivity_of(const ReportInputs& in, const Point& p) { return interactivity_of(in.tpot_interactivity, p); }
inline std::string interactivity_axis(const ReportInputs& in) { return interactivity_axis(in.tpot_interactivity); }
inline std::string interactivity_definition(const ReportInputs& in) { return interactivity_definition(in.tpot_interactivity); }

}  // namespace ptr
