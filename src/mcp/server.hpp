#pragma once
// The MCP face: Model Context Protocol over stdio (JSON-RPC 2.0, one message
// per line). Tools are generated from the verb registry; stdout carries only
// protocol messages. Tool calls run off the read loop (ping and other requests
// are answered while a tool runs); a cancelled call stops its children, tears
// its work down and sends no result; a closing client or SIGTERM stops every
// call the same way.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptr::mcp {

struct ServerOptions {
  std::filesystem::path campaigns_root;
  std::vector<std::filesystem::path> allowed_paths;  // besides the campaigns root
};

// Serves on the two file descriptors until input closes or a SIGTERM/SIGINT/
// SIGHUP arrives. Returns the process exit code.
int serve(int in_fd, int out_fd, const ServerOptions& options);

// One protocol message as a line; bytes that are not UTF-8 are replaced.
std::string to_line(const nlohmann::json& message);

inline constexpr const char* kToolPrefix = "perf_tune_report_";
inline constexpr const char* kResourceScheme = "perftunereport://campaigns/";
const std::vector<std::string>& supported_protocol_versions();  // oldest first

// The tools/list entry of every verb (schemas, annotations, output schema).
nlohmann::json tools_list();

}  // namespace ptr::mcp
