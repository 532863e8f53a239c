#include "render/output_guard.hpp"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "util/error.hpp"

namespace ptr {

namespace fs = std::filesystem;
using json = nlohmann::json;

// The PDF writer puts the info dictionary (Creator) at the end of the file.
bool written_by_this_tool(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) return false;
  std::error_code ec;
  auto size = fs::file_size(p, ec);
  if (ec) return false;
  auto read_at = [&](std::uintmax_t from, size_t n) {
    std::string buf(n, '\0');
    f.seekg(static_cast<std::streamoff>(from));
    f.read(buf.data(), static_cast<std::streamsize>(n));
    buf.resize(static_cast<size_t>(f.gcount()));
    f.clear();
    return buf;
  };
  std::string head = read_at(0, 4096);
  if (head.rfind("%PDF-", 0) == 0) {
    size_t tail = static_cast<size_t>(std::min<std::uintmax_t>(size, 64 * 1024));
    return read_at(size - tail, tail).find("/Creator (perftunereport") != std::string::npos;
  }
  if (head.rfind("<!DOCTYPE html>", 0) == 0) return head.find("<title>perftunereport: ") != std::string::npos;
  if (p.filename() == "report_status.json" && size < (64u << 20)) {
    json j = json::parse(read_at(0, static_cast<size_t>(size)), nullptr, false);
    return j.is_object() && j.contains("render_status");
  }
  return false;
}

namespace {

void refuse_foreign_output(const fs::path& p, bool force) {
  std::error_code ec;
  if (force || !fs::exists(p, ec)) return;
  if (!fs::is_regular_file(p, ec)) throw_input(p.string(), "--out names something that is not a regular file; nothing was written", -1, {}, "choose another path");
  if (!written_by_this_tool(p))
    throw_input(p.string(), "exists and was not written by perftunereport; nothing was written", -1, {},
                "choose another --out path, or add --force to replace it");
}

}  // namespace

void refuse_foreign_outputs(const fs::path& out, const std::string& format, bool force) {
  bool pdf = format != "html", html = format != "pdf";
  if (pdf) refuse_foreign_output(out, force);
  if (html) refuse_foreign_output(pdf ? out.parent_path() / (out.stem().string() + ".html") : out, force);
  refuse_foreign_output(out.parent_path() / "report_status.json", force);
}

}  // namespace ptr
