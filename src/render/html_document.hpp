#pragma once
// report.html: the report's pages (SVG drawn by the same page code as the
// PDF) in one self-contained document: inline CSS and a small hand-written
// script, the data every mark refers to embedded once as JSON, and a
// Content-Security-Policy that forbids any network request.
#include <string>
#include <vector>

#include "render/report_model.hpp"

namespace ptr {

struct HtmlPage {
  std::string id, title, svg;
  // The page carries its panels for every latency statistic and
  // interactivity definition (Tag::view layers, page 1): the switches show one.
  bool switches = false;
  std::string note;  // why the switches are missing, when they are
  bool sla_layers = false;  // page 1 drawn with every SLA preset's layer (the SLA control)
  std::string html;         // the page as HTML (tables) instead of svg, when its entry writes one
  std::string footer;       // with html: the PDF page's footer line
};

std::string html_document(const ReportInputs& in, const std::vector<HtmlPage>& pages);

}  // namespace ptr
