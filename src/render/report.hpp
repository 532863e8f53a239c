#pragma once
// Renders a campaign's atlas to report.pdf + report_status.json. Missing
// optional inputs become recorded omissions; a malformed input raises.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "render/pages/pages.hpp"
#include "render/report_model.hpp"

namespace ptr {

struct RenderRequest {
  std::string campaign;
  std::optional<std::filesystem::path> out;
  ReportOptions options;
  std::optional<LakeHistory> history;  // --history: the trend page
  bool force = false;                  // replace an --out file this tool did not write
};

struct RenderResult {
  std::filesystem::path pdf, status;  // pdf empty with --format html
  std::filesystem::path html;         // --format html|both
  int pages = 0;
  std::vector<Omission> omitted;
  Coverage coverage;
  json status_json;
  std::string next_lever;  // the frontier's first lever, in one line (the report's inputs computed it)
};

RenderResult render_report(const std::filesystem::path& campaigns_root, const RenderRequest& req,
                           Warnings& warnings);
// Renders inputs already loaded (report_smoke keeps its atlas in memory).
// An existing file at `out` (or report.html / report_status.json beside it)
// is replaced only when this tool wrote it, or with `force`.
// `html_worker`: with --format both, draw the HTML pages there (a thread
// whose fonts are already loaded) instead of on a new thread.
RenderResult render_inputs(const ReportInputs& in, const std::optional<std::filesystem::path>& out,
                           Warnings& warnings, bool force = false, class WarmWorker* html_worker = nullptr);

inline constexpr size_t kMinPdfBytes = 10 * 1024;  // a smaller PDF is degenerate

}  // namespace ptr
