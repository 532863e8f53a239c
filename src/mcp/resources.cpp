#include "mcp/resources.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "campaign/layout.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

namespace ptr::mcp {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr size_t kMaxResourceBytes = 16u << 20;

bool under(const fs::path& p, const fs::path& dir) {
  fs::path a = fs::weakly_canonical(fs::absolute(p)), b = fs::weakly_canonical(fs::absolute(dir));
  auto mismatch = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
  return mismatch.first == b.end();
}

std::string mime_of(const fs::path& p) {
  std::string ext = p.extension().string();
  if (ext == ".pdf") return "application/pdf";
  if (ext == ".json") return "application/json";
  if (ext == ".jsonl") return "application/jsonl";
  if (ext == ".csv") return "text/csv";
  if (ext == ".md") return "text/markdown";
  if (ext == ".yaml" || ext == ".yml") return "application/yaml";
  if (ext == ".html") return "text/html";
  return "text/plain";
}

std::string base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
  }
  if (i + 1 == in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {t[v >> 18], t[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
  }
  return out;
}

}  // namespace

bool path_allowed(const fs::path& p, const ServerOptions& opt) {
  if (under(p, opt.campaigns_root)) return true;
  for (const auto& a : opt.allowed_paths)
    if (under(p, a)) return true;
  return false;
}

std::string uri_for(const fs::path& file, const ServerOptions& opt) {
  fs::path abs = fs::weakly_canonical(fs::absolute(file));
  fs::path root = fs::weakly_canonical(fs::absolute(opt.campaigns_root));
  if (under(abs, root)) return kResourceScheme + fs::relative(abs, root).generic_string();
  return "file://" + abs.generic_string();
}

json resource_link(const fs::path& file, const ServerOptions& opt, const std::string& verb) {
  return {{"type", "resource_link"}, {"uri", uri_for(file, opt)}, {"name", file.filename().string()},
          {"mimeType", mime_of(file)}, {"description", "written by " + verb}};
}

json resources_list(const ServerOptions& opt) {
  json out = json::array();
  std::error_code ec;
  if (!fs::is_directory(opt.campaigns_root, ec)) return out;
  std::vector<fs::path> campaigns;
  for (const auto& e : fs::directory_iterator(opt.campaigns_root, ec))
    if (e.is_directory() && is_campaign_id(e.path().filename().string())) campaigns.push_back(e.path());
  std::sort(campaigns.begin(), campaigns.end());
  for (const auto& c : campaigns) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(c, ec)) {
      std::string name = e.path().filename().string();
      if (!name.empty() && name[0] != '.' && e.is_regular_file()) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      out.push_back({{"uri", uri_for(f, opt)},
                     {"name", c.filename().string() + "/" + f.filename().string()},
                     {"mimeType", mime_of(f)},
                     {"size", fs::file_size(f, ec)}});
  }
  return out;
}

json resource_read(const std::string& uri, const ServerOptions& opt) {
  fs::path path;
  if (uri.rfind(kResourceScheme, 0) == 0) {
    path = safe_join(opt.campaigns_root, uri.substr(std::string(kResourceScheme).size()), "resource path");
  } else if (uri.rfind("file://", 0) == 0) {
    path = uri.substr(7);
    if (!path_allowed(path, opt)) throw_input({}, "resource '" + excerpt(uri) + "' is outside the campaigns root and the allowed folders");
  } else {
    throw_input({}, "unknown resource '" + excerpt(uri) + "'", -1, "uri", std::string("expected ") + kResourceScheme + "... or file://...");
  }
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw_input({}, "no resource at '" + excerpt(uri) + "'", -1, "uri");
  if (fs::file_size(path, ec) > kMaxResourceBytes)
    throw_input({}, fmt::format("resource '{}' is larger than {} bytes; read the file directly", excerpt(uri), kMaxResourceBytes));
  std::string data = read_file(path);
  json c = {{"uri", uri}, {"mimeType", mime_of(path)}};
  if (mime_of(path) != "application/pdf" && is_valid_utf8(data)) c["text"] = data;
  else c["blob"] = base64(data);
  return {{"contents", json::array({c})}};
}

}  // namespace ptr::mcp
