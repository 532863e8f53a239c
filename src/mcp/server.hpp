#pragma once
// The MCP face: Model Context Protocol over stdio (JSON-RPC 2.0, one message
// per line). Tools are generated from the verb registry; stdout carries only
// protocol messages.
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptr::mcp {

struct ServerOptions {
  std::filesystem::path campaigns_root;
  std::vector<std::filesystem::path> allowed_paths;  // besides the campaigns root
};

// Serves until stdin closes. Returns the process exit code.
int serve(std::istream& in, std::ostream& out, const ServerOptions& options);

// One message in, zero or one response out (exposed for unit tests).
class Session {
 public:
  explicit Session(ServerOptions options, std::ostream* notifications = nullptr);
  std::optional<nlohmann::json> handle_line(const std::string& line);
  nlohmann::json tools_list() const;

 private:
  nlohmann::json call_tool(const nlohmann::json& id, const nlohmann::json& params);
  ServerOptions options_;
  std::ostream* notifications_;
  bool initialized_ = false;
};

// One protocol message as a line; bytes that are not UTF-8 are replaced.
std::string to_line(const nlohmann::json& message);

inline constexpr const char* kToolPrefix = "perf_tune_report_";
const std::vector<std::string>& supported_protocol_versions();  // oldest first

}  // namespace ptr::mcp
