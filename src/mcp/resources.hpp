#pragma once
// Campaign artifacts as read-only MCP resources, and the links a tool result
// carries to the files it wrote. URIs: perftunereport://campaigns/<id>/<file>
// for files under the campaigns root, file://<absolute path> elsewhere.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "mcp/server.hpp"

namespace ptr::mcp {

std::string uri_for(const std::filesystem::path& file, const ServerOptions& opt);
nlohmann::json resource_link(const std::filesystem::path& file, const ServerOptions& opt, const std::string& verb);
nlohmann::json resources_list(const ServerOptions& opt);
// Throws ptr::Error (input) for an unknown or confined URI.
nlohmann::json resource_read(const std::string& uri, const ServerOptions& opt);
bool path_allowed(const std::filesystem::path& p, const ServerOptions& opt);

}  // namespace ptr::mcp
