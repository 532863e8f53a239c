#include "analysis/tpm_export.hpp"

#include <cmath>
#include <fmt/format.h>
#include <set>

#include "util/text.hpp"

namespace ptr {

const std::vector<TpmColumn>& tpm_columns() {
  static const std::vector<TpmColumn> cols = {
      {"group", "", "The variant's identity key: every descriptor field but mbt (model/identity.hpp), plus the cell id when two cells agree on all of them."},
      {"variant", "", "Short label: the descriptor fields that vary in the campaign (the model always when there are several)."},
      {"model", "", "Model served."},
      {"hardware", "", "Accelerator."},
      {"quant", "", "Weight quantization."},
      {"tensor_parallel", "GPUs", "TP size.", "integer"},
      {"parallel_strategy", "", "TP | EP ..."},
      {"mtp", "", "Multi-token prediction on.", "bool"},
      {"point", "", "peak (warm best case) | sla (the customer-commitment number)."},
      {"sla_status", "", "met | interpolated | above sweep | below sweep | no decode metric | request-rate runs only | no data (sla rows)."},
      {"binding_constraint", "", "ttft | tpot: the SLA limit reached first (sla rows)."},
      {"cell_id", "", "Cell the point comes from."},
      {"max_num_batched_tokens", "tokens", "mbt of that cell.", "integer"},
      {"concurrency", "requests", "Concurrency of the point (fractional when interpolated).", "real"},
      {"output_tok_s_per_gpu", "tok/s/GPU", "Output tokens per second per GPU.", "real"},
      {"ttft_ms", "ms", "TTFT at the SLA statistic.", "real"},
      {"tpot_ms", "ms", "TPOT (else ITL) at the SLA statistic.", "real"},
      {"output_tpm_per_gpu", "tok/min", "Output tokens per minute per GPU.", "real"},
      {"output_tpm_per_replica", "tok/min", "Per replica = TP x PP GPUs.", "real"},
      {"output_tpm_per_node", "tok/min", "Per node = --gpus-per-node GPUs.", "real"},
      {"total_tpm_per_gpu", "tok/min", "Input + output tokens per minute per GPU; n/a without a total.", "real"},
      {"total_tpm_per_replica", "tok/min", "Per replica.", "real"},
      {"total_tpm_per_node", "tok/min", "Per node.", "real"},
      {"usd_per_gpu_hour", "$/GPU-h", "Rate used.", "real"},
      {"cost_estimate", "", "true when the rate is an ESTIMATE (no public list rate).", "bool"},
      {"usd_per_1m_output_tokens", "$", "$/GPU-hour / (output tok/s/GPU x 3600) x 1e6.", "real"},
      {"usd_per_1m_total_tokens", "$", "Same on input + output tokens.", "real"},
      {"power_watts_per_gpu", "W", "GPU power while the point ran (dcgm_correlate): the point's own window when points carry windows (interpolated like the point), else the cell's bench-window mean; null when no power was captured.", "real"},
      {"tokens_per_watt", "tok/J", "Output tok/s/GPU / power_watts_per_gpu = output tokens per joule per GPU.", "real"},
      {"power_basis", "", "point window | cell window mean; null without power."},
      {"isl", "tokens", "Input sequence length of the variant's workload (null when unknown).", "integer"},
      {"osl", "tokens", "Output sequence length of the variant's workload (null when unknown).", "integer"},
      {"workload", "", "ISL/OSL, dataset and warm/cold of the rows behind the group."},
      {"trials", "runs", "Trials behind the point (the fewer of the two neighbours when interpolated).", "integer"},
      {"flags", "", "What to know before trusting the point: partial (some requests or trials failed), undercount (num_prompts < 2 x concurrency), high_variance (run-to-run CV of output tok/s > 10%); ';'-separated, empty when none."},
      {"cost_note", "", "Why there is no $ figure, when there is none."},
  };
  return cols;
}

static json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string quality_flags(const PointQuality& q) {
  std::string out;
  auto add = [&](bool on, const char* name) {
    if (on) out += (out.empty() ? "" : ";") + std::string(name);
  };
  add(q.partial, "partial");
  add(q.undercount, "undercount");
  add(q.high_variance, "high_variance");
  return out;
}

std::vector<json> tpm_rows(const std::vector<TpmGroup>& groups) {
  std::vector<json> rows;
  for (const auto& g : groups) {
    for (const char* kind : {"peak", "sla"}) {
      const std::optional<TpmPoint>& p = std::string(kind) == "peak" ? g.peak : g.sla;
      std::string workload;
      for (const auto& w : g.workloads) workload += (workload.empty() ? "" : "; ") + w;
      json r = {{"group", g.key},
                {"variant", g.label},
                {"model", g.model},
                {"hardware", g.hardware},
                {"quant", g.quant},
                {"tensor_parallel", g.tensor_parallel},
                {"parallel_strategy", g.strategy},
                {"mtp", g.mtp},
                {"point", kind},
                {"sla_status", std::string(kind) == "sla" ? json(g.sla_status) : json(nullptr)},
                {"binding_constraint", nullptr},
                {"cell_id", nullptr},
                {"max_num_batched_tokens", nullptr},
                {"concurrency", nullptr},
                {"output_tok_s_per_gpu", nullptr},
                {"ttft_ms", nullptr},
                {"tpot_ms", nullptr},
                {"output_tpm_per_gpu", nullptr},
                {"output_tpm_per_replica", nullptr},
                {"output_tpm_per_node", nullptr},
                {"total_tpm_per_gpu", nullptr},
                {"total_tpm_per_replica", nullptr},
                {"total_tpm_per_node", nullptr},
                {"usd_per_gpu_hour", g.cost ? json(g.cost->usd_per_gpu_hour) : json(nullptr)},
                {"cost_estimate", g.cost ? json(g.cost->estimate) : json(nullptr)},
                {"usd_per_1m_output_tokens", nullptr},
                {"usd_per_1m_total_tokens", nullptr},
                {"power_watts_per_gpu", nullptr},
                {"tokens_per_watt", nullptr},
                {"power_basis", nullptr},
                {"isl", g.isl ? json(*g.isl) : json(nullptr)},
                {"osl", g.osl ? json(*g.osl) : json(nullptr)},
                {"workload", workload},
                {"trials", nullptr},
                {"flags", ""},
                {"cost_note", g.cost ? json(nullptr) : json(g.cost_reason)}};
      if (p) {
        if (!p->binding_constraint.empty()) r["binding_constraint"] = p->binding_constraint;
        r["cell_id"] = p->cell_id;
        r["max_num_batched_tokens"] = p->max_num_batched_tokens ? json(*p->max_num_batched_tokens) : json(nullptr);
        r["concurrency"] = p->concurrency;
        r["output_tok_s_per_gpu"] = p->output_tok_s_per_gpu;
        r["ttft_ms"] = opt(p->ttft_ms);
        r["tpot_ms"] = opt(p->tpot_ms);
        r["output_tpm_per_gpu"] = opt(p->basis.output_tpm_per_gpu);
        r["output_tpm_per_replica"] = opt(p->basis.output_tpm_per_replica);
        r["output_tpm_per_node"] = opt(p->basis.output_tpm_per_node);
        r["total_tpm_per_gpu"] = opt(p->basis.total_tpm_per_gpu);
        r["total_tpm_per_replica"] = opt(p->basis.total_tpm_per_replica);
        r["total_tpm_per_node"] = opt(p->basis.total_tpm_per_node);
        r["usd_per_1m_output_tokens"] = opt(p->basis.usd_per_1m_output_tokens);
        r["usd_per_1m_total_tokens"] = opt(p->basis.usd_per_1m_total_tokens);
        r["power_watts_per_gpu"] = opt(p->power_watts_per_gpu);
        r["tokens_per_watt"] = opt(p->tokens_per_watt);
        if (!p->power_basis.empty()) r["power_basis"] = p->power_basis;
        r["trials"] = p->trials;
        r["flags"] = quality_flags(p->quality);
      }
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

std::vector<std::string> tpm_caveats(const TpmConfig& cfg, const std::vector<TpmGroup>& groups) {
  std::vector<std::string> c = {
      "peak = the measured point with the highest output tok/s/GPU: a warm best case, not a commitment.",
      fmt::format("sla = the highest output tok/s/GPU with {} TTFT <= {} ms and {} TPOT <= {} ms: the customer-commitment "
                  "number; between two tested concurrencies it is interpolated on log2(concurrency) to where the binding "
                  "limit is met, never extrapolated beyond the sweep.",
                  cfg.sla_percentile, cfg.ttft_sla_ms, cfg.sla_percentile, cfg.tpot_sla_ms),
      fmt::format("TPM = tokens per minute; per replica = TP x PP GPUs; per node = {} GPUs. total = input + output, n/a "
                  "when the benchmark gave no total.",
                  cfg.gpus_per_node),
      "a row is a variant: every descriptor field but mbt, so A/B arms and workloads never share a row; mbt and c say "
      "where its point lies. ISL/OSL ? = not recorded and not one value in the data.",
  };
  // Only rates the rows use: a GB300 estimate note on an H100 campaign is noise.
  std::set<std::string> used;
  for (const auto& g : groups)
    if (g.cost) used.insert(g.hardware);
  for (const auto& [hw, r] : cfg.cost)
    if (r.estimate && used.count(hw))
      c.push_back(fmt::format("{} at ${:.2f}/GPU-hour is an ESTIMATE (no public list rate).", hw, r.usd_per_gpu_hour));
  return c;
}

std::string tpm_json(const std::vector<TpmGroup>& groups, const TpmConfig& cfg, const std::vector<MethodologyProblem>& problems,
                     const std::string& campaign) {
  json cols = json::array();
  for (const auto& c : tpm_columns()) cols.push_back({{"name", c.name}, {"unit", c.unit}, {"doc", c.doc}});
  json reasons = json::object();
  for (const auto& g : groups) reasons[g.key] = {{"sla_status", g.sla_status}, {"sla_reason", g.sla_reason}};
  json doc = {{"schema", "tpm_summary/v1"},
              {"campaign", campaign},
              {"caveats", tpm_caveats(cfg, groups)},
              {"config", cfg.to_json()},
              {"columns", cols},
              {"rows", tpm_rows(groups)},
              {"sla_notes", reasons},
              {"methodology_problems", to_json(problems)}};
  return doc.dump(2) + "\n";
}

static std::string csv_cell(const json& v) {
  if (v.is_null()) return "";
  std::string s;
  if (v.is_string()) s = v.get<std::string>();
  else if (v.is_number_float()) s = fmt::format("{}", v.get<double>());
  else s = v.dump();
  if (s.find_first_of(",\"\n") != std::string::npos) {
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  }
  return s;
}

std::string tpm_csv(const std::vector<TpmGroup>& groups) {
  std::string out;
  for (size_t i = 0; i < tpm_columns().size(); ++i) out += (i ? "," : "") + std::string(tpm_columns()[i].name);
  out += "\n";
  for (const auto& r : tpm_rows(groups)) {
    for (size_t i = 0; i < tpm_columns().size(); ++i) out += (i ? "," : "") + csv_cell(r[tpm_columns()[i].name]);
    out += "\n";
  }
  return out;
}

static std::string md_num(const json& v, int decimals) {
  if (v.is_null()) return "n/a";
  return fmt::format("{:.{}f}", v.get<double>(), decimals);
}

std::string tpm_markdown(const std::vector<TpmGroup>& groups, const TpmConfig& cfg, const std::vector<MethodologyProblem>& problems,
                         const std::string& campaign) {
  std::string md = fmt::format("# TPM summary — {}\n\n", campaign);
  for (const auto& c : tpm_caveats(cfg, groups)) md += "- " + c + "\n";
  md += "\n| variant | point | status | cell | mbt | c | TTFT ms | TPOT ms | out tok/s/GPU | out TPM/GPU | out TPM/replica | "
        "out TPM/node | total TPM/GPU | $/1M out | $/1M total | W/GPU | tok/W | flags |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : tpm_rows(groups)) {
    std::string status = r["point"] == "sla" ? r["sla_status"].get<std::string>() : "";
    if (r["point"] == "sla" && r["binding_constraint"].is_string()) status += " (" + r["binding_constraint"].get<std::string>() + ")";
    std::string mbt = r["max_num_batched_tokens"].is_null() ? "" : std::to_string(r["max_num_batched_tokens"].get<long>());
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                      markdown_inline(r["variant"].get<std::string>()), r["point"].get<std::string>(), status,
                      r["cell_id"].is_null() ? "" : markdown_inline(r["cell_id"].get<std::string>()), mbt,
                      md_num(r["concurrency"], 1), md_num(r["ttft_ms"], 1), md_num(r["tpot_ms"], 2),
                      md_num(r["output_tok_s_per_gpu"], 1), md_num(r["output_tpm_per_gpu"], 0),
                      md_num(r["output_tpm_per_replica"], 0), md_num(r["output_tpm_per_node"], 0), md_num(r["total_tpm_per_gpu"], 0),
                      md_num(r["usd_per_1m_output_tokens"], 3), md_num(r["usd_per_1m_total_tokens"], 3),
                      md_num(r["power_watts_per_gpu"], 0), md_num(r["tokens_per_watt"], 2), r["flags"].get<std::string>());
  }
  bool any_missing = false;
  for (const auto& g : groups)
    if (!g.sla && !g.sla_reason.empty()) {
      if (!any_missing) md += "\n## Groups without an SLA point\n\n";
      any_missing = true;
      md += fmt::format("- {}: {} — {}\n", markdown_inline(g.label), g.sla_status, markdown_inline(g.sla_reason));
    }
  md += "\n## Methodology problems\n\n";
  auto lines = summarize(problems);
  if (lines.empty()) md += "None.\n";
  for (const auto& l : lines) md += "- " + l + "\n";
  return md;
}

std::string with_tpm_columns(const std::string& md) {
  const std::string begin = "<!-- tpm-columns:begin (generated by perftunereport-gendocs) -->\n", end = "<!-- tpm-columns:end -->";
  auto b = md.find(begin), e = md.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b) return md;
  std::string table = "| column | unit | meaning |\n|---|---|---|\n";
  for (const auto& c : tpm_columns()) table += fmt::format("| `{}` | {} | {} |\n", c.name, c.unit, c.doc);
  return md.substr(0, b + begin.size()) + table + md.substr(e);
}

}  // namespace ptr
