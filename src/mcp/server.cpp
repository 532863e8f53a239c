#include "mcp/server.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <iostream>
#include <optional>

#include "util/error.hpp"
#include "verbs/registry.hpp"

namespace ptr::mcp {

using json = nlohmann::json;
namespace fs = std::filesystem;

const std::vector<std::string>& supported_protocol_versions() {
  static const std::vector<std::string> v = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"};
  return v;
}

namespace {

json rpc_error(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

json rpc_result(const json& id, json result) { return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}; }

json param_schema(const ParamSpec& p) {
  json s;
  switch (p.type) {
    case ParamType::string: s["type"] = "string"; break;
    case ParamType::integer: s["type"] = "integer"; break;
    case ParamType::number: s["type"] = "number"; break;
    case ParamType::boolean: s["type"] = "boolean"; break;
    case ParamType::string_list: s = {{"type", "array"}, {"items", {{"type", "string"}}}}; break;
  }
  s["description"] = p.help;
  if (!p.default_value.is_null()) s["default"] = p.default_value;
  if (!p.choices.empty()) s["enum"] = p.choices;
  return s;
}

json tool_of(const VerbSpec& v) {
  json props = json::object(), required = json::array();
  for (const auto& p : v.params) {
    props[p.name] = param_schema(p);
    if (p.required) required.push_back(p.name);
  }
  json schema = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (!required.empty()) schema["required"] = required;
  return {{"name", std::string(kToolPrefix) + v.name},
          {"title", v.name},
          {"description", v.summary + " CLI: " + v.example},
          {"inputSchema", schema},
          {"annotations",
           {{"readOnlyHint", v.safety == Safety::read_only},
            {"destructiveHint", false},
            {"openWorldHint", v.safety == Safety::submits_jobs}}}};
}

bool under(const fs::path& p, const fs::path& dir) {
  fs::path a = fs::weakly_canonical(fs::absolute(p)), b = fs::weakly_canonical(fs::absolute(dir));
  auto mismatch = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
  return mismatch.first == b.end();
}

}  // namespace

Session::Session(ServerOptions options, std::ostream* notifications)
    : options_(std::move(options)), notifications_(notifications) {}

json Session::tools_list() const {
  json tools = json::array();
  for (const auto& v : verb_registry()) tools.push_back(tool_of(v));
  return tools;
}

json Session::call_tool(const json& id, const json& params) {
  if (!params.is_object() || !params.contains("name") || !params["name"].is_string())
    return rpc_error(id, -32602, "tools/call needs params.name (a tool name from tools/list)");
  std::string name = params["name"];
  if (name.rfind(kToolPrefix, 0) != 0 || !find_verb(name.substr(std::string(kToolPrefix).size())))
    return rpc_error(id, -32602, "unknown tool '" + name + "'");
  const VerbSpec& verb = *find_verb(name.substr(std::string(kToolPrefix).size()));
  json args = params.value("arguments", json::object());
  if (args.is_null()) args = json::object();
  if (!args.is_object()) return rpc_error(id, -32602, "tools/call arguments must be an object");

  Envelope env;
  env.verb = verb.name;
  // Paths a client gives stay under the campaigns root or a --allow-path folder.
  for (const auto& p : verb.params) {
    if (p.path == PathRole::none || !args.contains(p.name)) continue;
    std::vector<std::string> values;
    if (args[p.name].is_string()) values.push_back(args[p.name]);
    else if (args[p.name].is_array())
      for (const auto& v : args[p.name])
        if (v.is_string()) values.push_back(v);
    for (const auto& v : values) {
      bool ok = under(v, options_.campaigns_root);
      for (const auto& a : options_.allowed_paths) ok = ok || under(v, a);
      if (!ok) {
        env.ok = false;
        env.exit_code = 2;
        env.error = {{"kind", "refusal"},
                     {"message", fmt::format("{} '{}' is outside the campaigns root ({}); start the server with --allow-path "
                                             "to permit it", p.name, v, options_.campaigns_root.string())},
                     {"file", v}, {"line", nullptr}, {"key", p.name}, {"hint", nullptr}};
      }
    }
  }
  if (env.ok) {
    Context ctx;
    ctx.campaigns_root = options_.campaigns_root;
    json token = params.contains("_meta") && params["_meta"].is_object() ? params["_meta"].value("progressToken", json()) : json();
    if (!token.is_null() && notifications_) {
      std::ostream* out = notifications_;
      ctx.progress = [out, token](double done, double total, const std::string& message) {
        json n = {{"jsonrpc", "2.0"}, {"method", "notifications/progress"},
                  {"params", {{"progressToken", token}, {"progress", done}, {"total", total}, {"message", message}}}};
        (*out) << n.dump() << "\n" << std::flush;
      };
    }
    env = run_verb(verb, args, ctx);
  }
  json envelope = env.to_json();
  json result = {{"content", json::array({{{"type", "text"}, {"text", env.ok ? envelope.dump(2) : envelope["error"]["message"].get<std::string>() + "\n" + envelope.dump(2)}}})},
                 {"structuredContent", envelope},
                 {"isError", !env.ok}};
  return rpc_result(id, result);
}

std::optional<json> Session::handle_line(const std::string& line) {
  if (line.find_first_not_of(" \t\r") == std::string::npos) return std::nullopt;
  json msg;
  try {
    msg = json::parse(line);
  } catch (const json::parse_error& e) {
    return rpc_error(nullptr, -32700, std::string("Parse error: ") + e.what());
  }
  if (!msg.is_object()) return rpc_error(nullptr, -32600, "Invalid Request: expected a JSON-RPC 2.0 object");
  json id = msg.contains("id") ? msg["id"] : json();
  bool is_notification = !msg.contains("id");
  if (msg.value("jsonrpc", "") != "2.0" || !msg.contains("method") || !msg["method"].is_string()) {
    if (is_notification && msg.contains("result")) return std::nullopt;  // a response to us: ignore
    return rpc_error(id, -32600, "Invalid Request: needs jsonrpc \"2.0\" and a string method");
  }
  std::string method = msg["method"];
  json params = msg.value("params", json::object());
  if (is_notification) return std::nullopt;  // notifications/initialized, cancelled, ...: nothing to answer
  try {
    if (method == "initialize") {
      std::string asked = params.is_object() ? params.value("protocolVersion", "") : "";
      const auto& v = supported_protocol_versions();
      std::string chosen = std::find(v.begin(), v.end(), asked) != v.end() ? asked : v.back();
      initialized_ = true;
      return rpc_result(id, {{"protocolVersion", chosen},
                             {"capabilities", {{"tools", {{"listChanged", false}}}}},
                             {"serverInfo", {{"name", "perftunereport"}, {"version", PERFTUNEREPORT_VERSION}}},
                             {"instructions", "Every perftunereport verb is a tool named perf_tune_report_<verb>; each "
                                              "returns the verb's JSON envelope {ok, verb, result, warnings, error}. "
                                              "cell_run needs i_understand_this_submits_jobs: true unless dry_run: true."}});
    }
    if (method == "ping") return rpc_result(id, json::object());
    if (method == "tools/list") return rpc_result(id, {{"tools", tools_list()}});
    if (method == "tools/call") return call_tool(id, params);
    return rpc_error(id, -32601, "Method not found: " + method);
  } catch (const std::exception& e) {
    return rpc_error(id, -32603, std::string("Internal error: ") + e.what());
  }
}

int serve(std::istream& in, std::ostream& out, const ServerOptions& options) {
  Session s(options, &out);
  std::string line;
  while (std::getline(in, line)) {
    if (auto reply = s.handle_line(line)) out << reply->dump() << "\n" << std::flush;
  }
  return 0;
}

}  // namespace ptr::mcp
