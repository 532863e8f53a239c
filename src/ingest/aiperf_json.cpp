// AIPerf profile_export_aiperf.json: v0.1 `records` shape (tags ttft/ttst) and
// the flat v0.2+ shape (schema 1.0-1.5). The metric set is open; we read the
// tags we map and keep every avg under `native`.
#include <cctype>
#include <cstring>

#include "ingest/formats.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

Sniff sniff_aiperf_json(const FileView& f) {
  auto line = first_nonblank_line(f.text);
  if (line.find('{') == std::string_view::npos) return {};
  auto h = head(f.text, 1 << 20);
  bool metric_block = contains(h, "\"unit\"") && contains(h, "\"avg\"");
  if (!metric_block) return {};
  // The shape is read from the top-level keys: AIPerf >= 0.11 has a nested
  // input_config.artifacts.records, which is not the v0.1 `records` block.
  auto keys = top_level_keys(f.text);
  auto has = [&](const char* k) { return keys.count(k) > 0; };
  if (has("records") && (contains(h, "\"ttft\"") || contains(h, "\"request_throughput\"")))
    return {90, "JSON with a top-level records{tag:{unit,avg,...}} block (AIPerf v0.1 profile export)"};
  if (has("request_throughput") && (has("input_config") || has("aiperf_version")))
    return {90, "JSON with top-level metric blocks {unit,avg,p50,...} and input_config (AIPerf profile export)"};
  return {};
}

namespace {

const json* metric(const json& metrics, std::initializer_list<const char*> tags) {
  for (const char* t : tags) {
    auto it = metrics.find(t);
    if (it != metrics.end() && it->is_object()) return &*it;
  }
  return nullptr;
}

std::optional<double> stat(const json* m, const char* s, const std::string& file) {
  if (!m) return std::nullopt;
  return number_at(*m, s, file);
}

LatencyStat latency(const json* m, const std::string& file) {
  LatencyStat l;
  l.mean = stat(m, "avg", file);
  l.median = stat(m, "p50", file);
  l.p90 = stat(m, "p90", file);
  l.p99 = stat(m, "p99", file);
  l.std = stat(m, "std", file);
  return l;
}

// input_config: UserConfig (v0.1-0.6) or BenchmarkConfig (>= 0.10); sparse.
void read_input_config(const json& ic, RunResult& r, const std::string& p) {
  if (const json* c = find_path(ic, {"loadgen", "concurrency"})) r.max_concurrency = as_integer(*c, p, "loadgen.concurrency", 1);
  if (const json* n = find_path(ic, {"loadgen", "request_count"})) r.num_prompts = as_number(*n, p, "loadgen.request_count");
  if (const json* rr = find_path(ic, {"loadgen", "request_rate"}); rr && rr->is_number()) r.request_rate = rr->get<double>();
  if (const json* phases = find_path(ic, {"phases"}); phases && phases->is_array()) {
    for (const auto& ph : *phases) {
      if (!ph.is_object() || !ph.contains("name") || ph["name"] != "profiling") continue;
      if (ph.contains("concurrency")) r.max_concurrency = as_integer(ph["concurrency"], p, "phases.concurrency", 1);
      if (ph.contains("requests")) r.num_prompts = as_number(ph["requests"], p, "phases.requests");
    }
  }
  auto first_string = [](const json* a, const char* key) -> std::optional<std::string> {
    if (!a || !a->is_array() || a->empty()) return std::nullopt;
    const json& e = (*a)[0];
    if (key && e.is_object() && e.contains(key) && e[key].is_string()) return e[key].get<std::string>();
    if (!key && e.is_string()) return e.get<std::string>();
    return std::nullopt;
  };
  if (auto m = first_string(find_path(ic, {"models", "items"}), "name")) r.model_id = m;
  else if (auto mn = first_string(find_path(ic, {"endpoint", "model_names"}), nullptr)) r.model_id = mn;
  if (const json* t = find_path(ic, {"endpoint", "type"}); t && t->is_string()) r.endpoint_type = t->get<std::string>();
  if (const json* t = find_path(ic, {"tokenizer", "name"}); t && t->is_string()) r.tokenizer_id = t->get<std::string>();
  if (auto d = first_string(find_path(ic, {"datasets"}), "type")) r.dataset = d;
  if (const json* in = find_path(ic, {"input", "prompt", "input_tokens", "mean"}); in && in->is_number()) {
    r.params["synthetic_input_tokens_mean"] = *in;
    r.configured_input_len = in->get<double>();
  }
  if (const json* out = find_path(ic, {"input", "prompt", "output_tokens", "mean"}); out && out->is_number()) {
    r.params["synthetic_output_tokens_mean"] = *out;
    r.configured_output_len = out->get<double>();
  }
}

// "--concurrency 16" / "--concurrency=16" in a recorded command line.
std::optional<long> concurrency_from_cli(const std::string& cmd) {
  for (const char* flag : {"--concurrency=", "--concurrency "}) {
    size_t at = cmd.find(flag);
    if (at == std::string::npos) continue;
    size_t p = at + std::strlen(flag);
    while (p < cmd.size() && (cmd[p] == ' ' || cmd[p] == '"' || cmd[p] == '\'')) ++p;
    size_t e = p;
    while (e < cmd.size() && std::isdigit(static_cast<unsigned char>(cmd[e])) && e - p < 9) ++e;
    if (e > p) {
      long v = std::stol(cmd.substr(p, e - p));
      if (v >= 1) return v;
    }
  }
  return std::nullopt;
}

// The host the GPU telemetry came from, when exactly one is named.
std::optional<std::string> telemetry_hostname(const json& doc) {
  const json* eps = find_path(doc, {"telemetry_data", "endpoints"});
  if (!eps || !eps->is_object()) return std::nullopt;
  std::optional<std::string> host;
  for (const auto& ep : *eps) {
    const json* gpus = find_path(ep, {"gpus"});
    if (!gpus || !gpus->is_object()) continue;
    for (const auto& g : *gpus) {
      if (!g.is_object() || !g.contains("hostname") || !g["hostname"].is_string()) continue;
      std::string h = g["hostname"];
      if (host && *host != h) return std::nullopt;
      host = h;
    }
  }
  return host;
}

}  // namespace

std::vector<RunResult> parse_aiperf_json(const FileView& f) {
  json doc = parse_json_lenient(f.text, f.path);
  if (!doc.is_object()) throw_input(f.path, "expected an AIPerf profile export object");
  bool legacy = doc.contains("records") && doc["records"].is_object();
  const json& metrics = legacy ? doc["records"] : doc;
  RunResult r;
  r.file = f.path;
  r.format = "aiperf-profile-export-json";
  r.backend = "aiperf";
  if (legacy) r.format_version = "legacy-records";
  else if (auto sv = string_at(doc, "schema_version")) r.format_version = "schema-" + *sv;
  else r.format_version = "flat";
  if (auto v = string_at(doc, "aiperf_version")) r.native["aiperf_version"] = *v;

  const std::string& p = f.path;
  r.completed = stat(metric(metrics, {"request_count"}), "avg", p);
  r.failed = stat(metric(metrics, {"error_request_count"}), "avg", p);
  r.request_throughput = stat(metric(metrics, {"request_throughput"}), "avg", p);
  r.output_throughput = stat(metric(metrics, {"output_token_throughput"}), "avg", p);
  r.total_token_throughput = stat(metric(metrics, {"total_token_throughput"}), "avg", p);
  r.duration_s = stat(metric(metrics, {"benchmark_duration"}), "avg", p);
  r.total_input_tokens = stat(metric(metrics, {"total_isl"}), "avg", p);
  r.total_output_tokens = stat(metric(metrics, {"total_output_tokens"}), "avg", p);
  r.ttft = latency(metric(metrics, {"time_to_first_token", "ttft"}), p);
  // AIPerf's inter_token_latency is per request (latency - TTFT)/(OSL - 1):
  // vLLM's TPOT. Its inter_chunk_latency is the per-chunk gap: vLLM's ITL.
  r.tpot = latency(metric(metrics, {"inter_token_latency"}), p);
  r.itl = latency(metric(metrics, {"inter_chunk_latency"}), p);
  r.e2el = latency(metric(metrics, {"request_latency"}), p);
  if (!r.completed && !r.request_throughput)
    throw_input(p, "AIPerf export without request_count or request_throughput", -1, "request_count");
  if (auto v = stat(metric(metrics, {"total_osl"}), "avg", p)) r.native["total_osl"] = *v;
  for (auto it = metrics.begin(); it != metrics.end(); ++it)
    if (it->is_object() && it->contains("avg") && !(*it)["avg"].is_null()) r.native[it.key() + ".avg"] = (*it)["avg"];

  const json* ic = find_path(doc, {"input_config"});
  if (ic) read_input_config(*ic, r, p);
  if (const json* run_info = find_path(doc, {"run_info", "cli_command"}); !r.max_concurrency && run_info && run_info->is_string())
    r.max_concurrency = concurrency_from_cli(run_info->get<std::string>());
  if (const json* cli = find_path(doc, {"input_config", "cli_command"}); !r.max_concurrency && cli && cli->is_string())
    r.max_concurrency = concurrency_from_cli(cli->get<std::string>());
  r.node = telemetry_hostname(doc);
  r.start_time = string_at(doc, "start_time");
  r.end_time = string_at(doc, "end_time");
  if (const json* c = find_path(doc, {"was_cancelled"}); c && c->is_boolean() && c->get<bool>())
    r.warn("run_cancelled", "AIPerf reports the run was cancelled");
  if (!r.max_concurrency && !r.request_rate)
    r.warn("no_concurrency", "concurrency not found in input_config (loadgen.concurrency or the profiling phase) or the command line");
  return {r};
}


}  // namespace ptr
