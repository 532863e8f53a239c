#include "mcp/server.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <iostream>
#include <optional>

#include "mcp/line_reader.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"
#include "util/text.hpp"
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
        (*out) << to_line(n) << std::flush;
      };
    }
    env = run_verb(verb, args, ctx);
  }
  json envelope = env.to_json();
  json result = {{"content", json::array({{{"type", "text"}, {"text", (env.ok ? std::string() : envelope["error"]["message"].get<std::string>() + "\n") +
                                                     envelope.dump(2, ' ', false, json::error_handler_t::replace)}}})},
                 {"structuredContent", envelope},
                 {"isError", !env.ok}};
  return rpc_result(id, result);
}

namespace {

// A request id is a string or an integer (JSON-RPC 2.0; MCP forbids null).
bool valid_id(const json& id) { return id.is_string() || id.is_number_integer() || id.is_number_unsigned(); }

}  // namespace

std::optional<json> Session::handle_line(const std::string& line) {
  if (line.find_first_not_of(" \t\r") == std::string::npos) return std::nullopt;
  if (json_depth_exceeded_at(line) != std::string_view::npos)
    return rpc_error(nullptr, -32600, fmt::format("Invalid Request: JSON nested deeper than {} levels", kMaxJsonDepth));
  json msg;
  try {
    msg = json::parse(line);
  } catch (const json::parse_error& e) {
    return rpc_error(nullptr, -32700, "Parse error: " + excerpt(e.what(), 200));
  }
  if (!msg.is_object()) return rpc_error(nullptr, -32600, "Invalid Request: expected a JSON-RPC 2.0 object");
  bool is_notification = !msg.contains("id");
  json id = is_notification ? json() : msg["id"];
  auto jsonrpc = msg.find("jsonrpc");
  bool version_ok = jsonrpc != msg.end() && jsonrpc->is_string() && *jsonrpc == "2.0";
  auto method_it = msg.find("method");
  if (!version_ok || method_it == msg.end() || !method_it->is_string()) {
    if (is_notification && version_ok && (msg.contains("result") || msg.contains("error"))) return std::nullopt;  // a response
    return rpc_error(valid_id(id) ? id : json(), -32600, "Invalid Request: needs \"jsonrpc\": \"2.0\" and a string method");
  }
  if (!is_notification && !valid_id(id))
    return rpc_error(json(), -32600, "Invalid Request: id must be a string or an integer (not null)");
  std::string method = *method_it;
  json params = msg.contains("params") ? msg["params"] : json::object();
  if (is_notification) return std::nullopt;  // notifications/initialized, cancelled, ...: nothing to answer
  try {
    if (method == "initialize") {
      std::string asked;
      if (params.is_object() && params.contains("protocolVersion") && params["protocolVersion"].is_string())
        asked = params["protocolVersion"];
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
    return rpc_error(id, -32601, "Method not found: " + excerpt(method));
  } catch (const std::exception& e) {
    return rpc_error(id, -32603, "Internal error: " + excerpt(e.what(), 300));
  }
}

std::string to_line(const json& message) {
  // Replace, never throw: a message echoing input must not kill the server.
  return message.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

int serve(std::istream& in, std::ostream& out, const ServerOptions& options) {
  Session s(options, &out);
  std::string line;
  for (;;) {
    LineRead r = read_bounded_line(in, line);
    if (!r.got) break;
    std::optional<json> reply;
    if (r.overlong) {
      reply = rpc_error(nullptr, -32600, fmt::format("Invalid Request: message of {} bytes exceeds the {} byte limit; "
                                                     "discarded", r.bytes, kMaxMessageBytes));
    } else {
      try {
        reply = s.handle_line(line);
      } catch (const std::exception& e) {
        reply = rpc_error(nullptr, -32603, "Internal error: " + excerpt(e.what(), 300));
      }
    }
    if (reply) out << to_line(*reply) << std::flush;
  }
  return 0;
}

}  // namespace ptr::mcp
