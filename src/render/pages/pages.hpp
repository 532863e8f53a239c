#pragma once
// The report's pages, one file each, registered in one list (pages.cpp).
// Each page declares its precondition: when its inputs are absent it becomes
// a recorded omission (reason + how to populate it), never a silent skip.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "render/chart/canvas.hpp"
#include "render/report_model.hpp"

namespace ptr {

struct Omission {
  std::string page;
  std::string reason;
  std::string how_to_fix;
};

struct PageFrame {
  chart::Canvas& c;
  const ReportInputs& in;
  chart::Rect body;                          // area between header and footer
  const std::vector<Omission>& omissions;    // of the whole report (for the completeness page)
  std::vector<std::string>& drawn_warnings;  // pages add what they could not show
};

struct PageSpec {
  std::string id;
  std::string title;  // bookmark and page header
  std::function<std::optional<Omission>(const ReportInputs&)> precondition;
  std::function<int(const ReportInputs&)> count;  // physical pages (>= 1 when drawable)
  std::function<void(PageFrame&, int index)> draw;
};

const std::vector<PageSpec>& report_pages();

PageSpec page1_spec();
PageSpec page2_spec();
PageSpec tpm_spec();
PageSpec completeness_spec();
PageSpec source_spec();

// Shared by page 1's rows: the points a panel can place.
bool has(const std::optional<double>& v);

}  // namespace ptr
