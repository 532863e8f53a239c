#include "mcp/server.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <csignal>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

#include "mcp/line_reader.hpp"
#include "mcp/resources.hpp"
#include "run/process.hpp"
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

std::string to_line(const json& message) {
  // Replace, never throw: a message echoing input must not kill the server.
  return message.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

namespace {

std::atomic<bool> g_stop{false};  // SIGTERM / SIGINT / SIGHUP

void on_stop_signal(int) { g_stop = true; }

json rpc_error(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

json rpc_result(const json& id, json result) { return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}; }

// A request id is a string or an integer (JSON-RPC 2.0; MCP forbids null).
bool valid_id(const json& id) { return id.is_string() || id.is_number_integer() || id.is_number_unsigned(); }

// Writes whole lines; several tool threads share it.
class Output {
 public:
  explicit Output(int fd) : fd_(fd) {}
  void send(const json& message) {
    std::string line = to_line(message);
    std::lock_guard<std::mutex> lock(m_);
    const char* p = line.data();
    size_t left = line.size();
    while (left > 0) {
      ssize_t n = write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // the client is gone
      p += n;
      left -= static_cast<size_t>(n);
    }
  }

 private:
  int fd_;
  std::mutex m_;
};

int level_rank(const std::string& l) {
  static const std::vector<std::string> levels = {"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};
  auto it = std::find(levels.begin(), levels.end(), l);
  return it == levels.end() ? -1 : static_cast<int>(it - levels.begin());
}

class Server {
 public:
  Server(ServerOptions opt, int out_fd) : opt_(std::move(opt)), out_(out_fd) {}

  void handle(const std::string& line) {
    reap_finished();
    if (line.find_first_not_of(" \t\r") == std::string::npos) return;
    if (json_depth_exceeded_at(line) != std::string_view::npos)
      return out_.send(rpc_error(nullptr, -32600, fmt::format("Invalid Request: JSON nested deeper than {} levels", kMaxJsonDepth)));
    json msg;
    try {
      msg = json::parse(line);
    } catch (const json::parse_error& e) {
      return out_.send(rpc_error(nullptr, -32700, "Parse error: " + excerpt(e.what(), 200)));
    }
    if (!msg.is_object()) return out_.send(rpc_error(nullptr, -32600, "Invalid Request: expected a JSON-RPC 2.0 object"));
    bool notification = !msg.contains("id");
    json id = notification ? json() : msg["id"];
    auto jsonrpc = msg.find("jsonrpc");
    bool version_ok = jsonrpc != msg.end() && jsonrpc->is_string() && *jsonrpc == "2.0";
    auto method_it = msg.find("method");
    if (!version_ok || method_it == msg.end() || !method_it->is_string()) {
      if (notification && version_ok && (msg.contains("result") || msg.contains("error"))) return;  // a response
      return out_.send(rpc_error(valid_id(id) ? id : json(), -32600,
                                 "Invalid Request: needs \"jsonrpc\": \"2.0\" and a string method"));
    }
    if (!notification && !valid_id(id))
      return out_.send(rpc_error(json(), -32600, "Invalid Request: id must be a string or an integer (not null)"));
    std::string method = *method_it;
    json params = msg.contains("params") ? msg["params"] : json::object();
    if (notification) {
      if (method == "notifications/cancelled" && params.is_object() && params.contains("requestId"))
        cancel(params["requestId"]);
      return;  // notifications/initialized and others: nothing to answer
    }
    if (!initialized_ && method != "initialize" && method != "ping")
      return out_.send(rpc_error(id, -32600, "Invalid Request: send initialize first (only ping is allowed before it)"));
    try {
      if (method == "initialize") return out_.send(rpc_result(id, initialize(params)));
      if (method == "ping") return out_.send(rpc_result(id, json::object()));
      if (method == "tools/list") return out_.send(rpc_result(id, {{"tools", tools_list()}}));
      if (method == "tools/call") return start_tool_call(id, params);
      if (method == "resources/list") return out_.send(rpc_result(id, {{"resources", resources_list(opt_)}}));
      if (method == "resources/templates/list") return out_.send(rpc_result(id, {{"resourceTemplates", json::array()}}));
      if (method == "resources/read") {
        if (!params.is_object() || !params.contains("uri") || !params["uri"].is_string())
          return out_.send(rpc_error(id, -32602, "resources/read needs params.uri"));
        try {
          return out_.send(rpc_result(id, resource_read(params["uri"], opt_)));
        } catch (const Error& e) {
          return out_.send(rpc_error(id, -32002, std::string("Resource not found: ") + e.what()));
        }
      }
      if (method == "logging/setLevel") {
        std::string level = params.is_object() && params.contains("level") && params["level"].is_string() ? params["level"] : "";
        if (level_rank(level) < 0) return out_.send(rpc_error(id, -32602, "logging/setLevel needs a syslog level (debug ... emergency)"));
        log_level_ = level_rank(level);
        return out_.send(rpc_result(id, json::object()));
      }
      return out_.send(rpc_error(id, -32601, "Method not found: " + excerpt(method)));
    } catch (const std::exception& e) {
      return out_.send(rpc_error(id, -32603, "Internal error: " + excerpt(e.what(), 300)));
    }
  }

  void overlong(size_t bytes) {
    out_.send(rpc_error(nullptr, -32600, fmt::format("Invalid Request: message of {} bytes exceeds the {} byte limit; "
                                                     "discarded", bytes, kMaxMessageBytes)));
  }

  // The client is gone or a stop signal came: every running call is
  // cancelled (its children killed, its work torn down by label) and waited
  // for. A closed input first gives calls `grace_s` to finish by themselves
  // (a client that piped its requests and closed still reads the answers).
  void shutdown(double grace_s) {
    std::vector<std::shared_ptr<Call>> calls;
    {
      std::lock_guard<std::mutex> lock(calls_m_);
      for (auto& [k, c] : calls_) calls.push_back(c);
    }
    auto t0 = std::chrono::steady_clock::now();
    while (!g_stop && std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < grace_s &&
           std::any_of(calls.begin(), calls.end(), [](const auto& c) { return !c->done; }))
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    for (auto& c : calls) c->cancel = true;
    for (auto& c : calls)
      if (c->thread.joinable()) c->thread.join();
    kill_all_children();
  }

 private:
  struct Call {
    std::atomic<bool> cancel{false};
    std::atomic<bool> done{false};
    std::thread thread;
  };

  json initialize(const json& params) {
    std::string asked;
    if (params.is_object() && params.contains("protocolVersion") && params["protocolVersion"].is_string())
      asked = params["protocolVersion"];
    const auto& v = supported_protocol_versions();
    std::string chosen = std::find(v.begin(), v.end(), asked) != v.end() ? asked : v.back();
    initialized_ = true;
    return {{"protocolVersion", chosen},
            {"capabilities", {{"tools", {{"listChanged", false}}}, {"resources", {{"listChanged", false}}}, {"logging", json::object()}}},
            {"serverInfo", {{"name", "perftunereport"}, {"title", "perftunereport"}, {"version", PERFTUNEREPORT_VERSION}}},
            {"instructions",
             "Every perftunereport verb is a tool named perf_tune_report_<verb>; each returns the verb's JSON envelope "
             "{ok, verb, result, warnings, error} as structuredContent, with resource links to the files it wrote. "
             "Campaign artifacts are read-only resources (perftunereport://campaigns/<id>/<file>). cell_run needs "
             "i_understand_this_submits_jobs: true unless dry_run: true; cancel it with notifications/cancelled."}};
  }

  void cancel(const json& request_id) {
    std::lock_guard<std::mutex> lock(calls_m_);
    auto it = calls_.find(request_id.dump());
    if (it != calls_.end()) it->second->cancel = true;
  }

  void reap_finished() {
    std::vector<std::shared_ptr<Call>> done;
    {
      std::lock_guard<std::mutex> lock(calls_m_);
      for (auto it = calls_.begin(); it != calls_.end();) {
        if (it->second->done) {
          done.push_back(it->second);
          it = calls_.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (auto& c : done)
      if (c->thread.joinable()) c->thread.join();
  }

  // Paths a client gives, defaults included, stay under the campaigns root or
  // a --allow-path folder.
  std::optional<json> confinement_error(const VerbSpec& verb, const json& args) {
    for (const auto& p : verb.params) {
      if (p.path == PathRole::none) continue;
      json v = args.contains(p.name) ? args[p.name] : p.default_value;
      std::vector<std::string> values;
      if (v.is_string()) values.push_back(v);
      else if (v.is_array())
        for (const auto& e : v)
          if (e.is_string()) values.push_back(e);
      for (const auto& s : values) {
        if (path_allowed(s, opt_)) continue;
        bool defaulted = !args.contains(p.name);
        return json{{"kind", "refusal"},
                    {"message", fmt::format("{} '{}'{} is outside the campaigns root ({}); give a path inside it, or start "
                                            "the server with --allow-path to permit that folder",
                                            p.name, excerpt(s, 200), defaulted ? " (the default)" : "",
                                            opt_.campaigns_root.string())},
                    {"file", s}, {"line", nullptr}, {"key", p.name}, {"hint", nullptr}};
      }
    }
    return std::nullopt;
  }

  void start_tool_call(const json& id, const json& params) {
    if (!params.is_object() || !params.contains("name") || !params["name"].is_string())
      return out_.send(rpc_error(id, -32602, "tools/call needs params.name (a tool name from tools/list)"));
    std::string name = params["name"];
    const VerbSpec* verb = name.rfind(kToolPrefix, 0) == 0 ? find_verb(name.substr(std::string(kToolPrefix).size())) : nullptr;
    if (!verb) return out_.send(rpc_error(id, -32602, "unknown tool '" + excerpt(name) + "'"));
    json args = params.contains("arguments") ? params["arguments"] : json::object();
    if (args.is_null()) args = json::object();
    if (!args.is_object()) return out_.send(rpc_error(id, -32602, "tools/call arguments must be an object"));
    json token = params.contains("_meta") && params["_meta"].is_object() ? params["_meta"].value("progressToken", json()) : json();
    auto call = std::make_shared<Call>();
    {
      std::lock_guard<std::mutex> lock(calls_m_);
      if (calls_.count(id.dump())) return out_.send(rpc_error(id, -32600, "Invalid Request: this request id is already running"));
      calls_[id.dump()] = call;
    }
    call->thread = std::thread([this, call, id, verb, args, token] {
      run_tool(*call, id, *verb, args, token);
      call->done = true;
    });
  }

  void run_tool(Call& call, const json& id, const VerbSpec& verb, const json& args, const json& token) {
    Envelope env;
    env.verb = verb.name;
    if (auto refused = confinement_error(verb, args)) {
      env.ok = false;
      env.exit_code = 2;
      env.error = *refused;
    } else {
      Context ctx;
      ctx.campaigns_root = opt_.campaigns_root;
      ctx.cancel = &call.cancel;
      ctx.confined = true;
      if (!token.is_null())
        ctx.progress = [this, token](double done, double total, const std::string& message) {
          out_.send({{"jsonrpc", "2.0"}, {"method", "notifications/progress"},
                     {"params", {{"progressToken", token}, {"progress", done}, {"total", total}, {"message", message}}}});
        };
      env = run_verb(verb, args, ctx);
    }
    // A cancelled request gets no response (the client stopped waiting for it).
    if (call.cancel) return;
    if (log_level_ <= level_rank("warning"))
      for (const auto& w : env.warnings)
        out_.send({{"jsonrpc", "2.0"}, {"method", "notifications/message"},
                   {"params", {{"level", "warning"}, {"logger", "perftunereport." + verb.name}, {"data", ptr::to_json(w)}}}});
    json envelope = env.to_json();
    json content = json::array({{{"type", "text"},
                                 {"text", (env.ok ? std::string() : envelope["error"]["message"].get<std::string>() + "\n") +
                                              envelope.dump(2, ' ', false, json::error_handler_t::replace)}}});
    for (const auto& f : env.files)
      if (path_allowed(f, opt_)) content.push_back(resource_link(f, opt_, verb.name));
    out_.send(rpc_result(id, {{"content", content}, {"structuredContent", envelope}, {"isError", !env.ok}}));
  }

  ServerOptions opt_;
  Output out_;
  bool initialized_ = false;
  std::atomic<int> log_level_{0};
  std::mutex calls_m_;
  std::map<std::string, std::shared_ptr<Call>> calls_;
};

}  // namespace

int serve(int in_fd, int out_fd, const ServerOptions& options) {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked read returns EINTR
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaction(s, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a vanished client is seen as a failed write, not a kill
  Server server(options, out_fd);
  FdLineReader reader(in_fd);
  std::string line;
  while (!g_stop) {
    LineRead r = reader.next(line);
    if (r.interrupted) continue;
    if (!r.got) break;
    try {
      if (r.overlong) server.overlong(r.bytes);
      else server.handle(line);
    } catch (const std::exception&) {
      // handle() answers every error itself; nothing may end the loop but EOF or a signal.
    }
  }
  server.shutdown(g_stop ? 0.0 : 2.0);
  return g_stop ? 143 : 0;
}

}  // namespace ptr::mcp
