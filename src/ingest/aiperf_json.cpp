// AIPerf profile_export_aiperf.json: v0.1 `records` shape (tags ttft/ttst) and
// the flat v0.2+ shape (schema 1.0-1.5). The metric set is open; we read the
// tags we map and keep every avg under `native`.
#include "ingest/formats.hpp"
#include "util/error.hpp"
#include "util/json_lenient.hpp"

namespace ptr {

Sniff sniff_aiperf_json(const FileView& f) {
  auto line = first_nonblank_line(f.text);
  if (line.find('{') == std::string_view::npos) return {};
  auto h = head(f.text, 1 << 20);
  bool metric_block = contains(h, "\"unit\"") && (contains(h, "\"avg\"") || contains(h, "\"avg\":"));
  if (!metric_block) return {};
  if (contains(h, "\"records\"") && (contains(h, "\"ttft\"") || contains(h, "\"request_throughput\"")))
    return {90, "JSON with records{tag:{unit,avg,...}} (AIPerf v0.1 profile export)"};
  if (contains(h, "\"request_throughput\"") && (contains(h, "\"input_config\"") || contains(h, "\"aiperf_version\"")))
    return {90, "JSON with flat metric blocks {unit,avg,p50,...} and input_config (AIPerf profile export)"};
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
  if (ic) {
    if (const json* c = find_path(*ic, {"loadgen", "concurrency"}); c && c->is_number())
      r.max_concurrency = c->get<long>();
    if (const json* n = find_path(*ic, {"loadgen", "request_count"}); n && n->is_number()) r.num_prompts = n->get<double>();
    if (const json* rr = find_path(*ic, {"loadgen", "request_rate"}); rr && rr->is_number()) r.request_rate = rr->get<double>();
    if (const json* phases = find_path(*ic, {"phases"}); phases && phases->is_array()) {
      for (const auto& ph : *phases) {
        if (ph.value("name", "") != "profiling") continue;
        if (ph.contains("concurrency") && ph["concurrency"].is_number()) r.max_concurrency = ph["concurrency"].get<long>();
        if (ph.contains("requests") && ph["requests"].is_number()) r.num_prompts = ph["requests"].get<double>();
      }
    }
    if (const json* m = find_path(*ic, {"models", "items"}); m && m->is_array() && !m->empty() && (*m)[0].contains("name"))
      r.model_id = (*m)[0]["name"].get<std::string>();
    else if (const json* mn = find_path(*ic, {"endpoint", "model_names"}); mn && mn->is_array() && !mn->empty())
      r.model_id = (*mn)[0].get<std::string>();
    if (const json* in = find_path(*ic, {"input", "prompt", "input_tokens", "mean"}); in && in->is_number())
      r.params["synthetic_input_tokens_mean"] = *in;
    if (const json* out = find_path(*ic, {"input", "prompt", "output_tokens", "mean"}); out && out->is_number())
      r.params["synthetic_output_tokens_mean"] = *out;
  }
  r.start_time = string_at(doc, "start_time");
  r.end_time = string_at(doc, "end_time");
  if (doc.value("was_cancelled", false)) r.warnings.push_back("AIPerf reports the run was cancelled");
  if (!r.max_concurrency)
    r.warnings.push_back("concurrency not found in input_config (loadgen.concurrency or the profiling phase)");
  return {r};
}

Sniff sniff_aiperf_gpu_telemetry(const FileView& f) {
  auto line = first_nonblank_line(f.text);
  if (contains(line, "\"timestamp_ns\"") && contains(line, "\"gpu_uuid\"") && contains(line, "\"telemetry_data\""))
    return {90, "JSONL with timestamp_ns/gpu_uuid/telemetry_data (AIPerf GPU telemetry)"};
  return {};
}

}  // namespace ptr
