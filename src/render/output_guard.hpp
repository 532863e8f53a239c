#pragma once
// --out never costs someone a document: an existing file there (or the
// report.html / report_status.json written beside it) is replaced only when
// perftunereport wrote it, or with --force.
#include <filesystem>
#include <string>

namespace ptr {

// Whether `p` is a file this tool writes at --out: a PDF whose Creator is
// perftunereport, an HTML report (its title), a report_status.json (its
// render_status block).
bool written_by_this_tool(const std::filesystem::path& p);

// Raises an input error naming the first target of this render (`format`:
// pdf | html | both) that exists and is not ours, unless `force`.
void refuse_foreign_outputs(const std::filesystem::path& out, const std::string& format, bool force);

}  // namespace ptr
