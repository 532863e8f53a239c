#include "model/fields.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>

namespace ptr {

const std::vector<FieldSpec<AtlasCell>>& cell_fields() {
  using C = AtlasCell;
  using U = ConfigUse;
  constexpr double kMaxGpus = 65536, kMaxCount = 1099511627776.0;  // 2^40
  static const std::vector<FieldSpec<C>> fields = {
      {"campaign", "", "Campaign id (<YYYYMMDDTHHMMSSZ>-<slug>) the cell belongs to.", &C::campaign},
      {"cell_id", "", "Cell id from the campaign config ([a-z0-9][a-z0-9._-]*, at most 55 characters).", &C::cell_id},
      {"status", "", "full (every requested concurrency measured ok) | partial | failed (no request completed).", &C::status},
      {.name = "model", .unit = "", .doc = "Model name as configured (e.g. GLM-5.1).", .member = &C::model,
       .config = U::required, .role = Role::model, .label = "{}"},
      {.name = "hf_path", .unit = "", .doc = "Hugging Face path or served model id (config, else the data).",
       .member = &C::hf_path, .config = U::optional},
      {.name = "hardware", .unit = "", .doc = "Accelerator type, e.g. H100, B200, GB300.", .member = &C::hardware,
       .config = U::required, .role = Role::hardware, .label = "{}"},
      {.name = "quant", .unit = "", .doc = "Weight quantization, e.g. FP8, NVFP4.", .member = &C::quant,
       .config = U::required, .role = Role::hardware, .label = "{}"},
      {.name = "kv_cache_dtype", .unit = "", .doc = "KV-cache dtype, e.g. fp8, auto.", .member = &C::kv_cache_dtype,
       .config = U::optional, .role = Role::serving, .label = "KV {}"},
      {.name = "tensor_parallel", .unit = "GPUs", .doc = "Tensor-parallel size.", .member = &C::tensor_parallel,
       .config = U::required, .role = Role::hardware, .label = "TP{}", .min = 1, .max = kMaxGpus},
      {.name = "data_parallel", .unit = "GPUs", .doc = "Data-parallel size (1 when not configured).",
       .member = &C::data_parallel, .config = U::optional, .role = Role::hardware, .label = "DP{}", .min = 1, .max = kMaxGpus},
      {.name = "pipeline_parallel", .unit = "GPUs", .doc = "Pipeline-parallel size (1 when not configured).",
       .member = &C::pipeline_parallel, .config = U::optional, .role = Role::hardware, .label = "PP{}", .min = 1,
       .max = kMaxGpus},
      {.name = "expert_parallel", .unit = "GPUs", .doc = "Expert-parallel size, when set.", .member = &C::expert_parallel,
       .config = U::optional, .role = Role::hardware, .label = "EP{}", .min = 1, .max = kMaxGpus},
      {.name = "parallel_strategy", .unit = "", .doc = "TP | EP | DP | PP | DEP (how the model is sharded).",
       .member = &C::parallel_strategy, .config = U::required, .role = Role::hardware, .label = "{}",
       .choices = "TP|EP|DP|PP|DEP"},
      {"gpus", "GPUs", "GPUs serving the endpoint = tensor_parallel x data_parallel x pipeline_parallel.", &C::gpus},
      {.name = "engine", .unit = "", .doc = "Serving engine, e.g. vllm, sglang.", .member = &C::engine,
       .config = U::optional, .role = Role::serving, .label = "{}"},
      {.name = "engine_version", .unit = "", .doc = "Engine version or commit (config, else the data).",
       .member = &C::engine_version, .config = U::optional, .role = Role::stack, .label = "{}"},
      {.name = "arm", .unit = "", .doc = "A/B arm the cell belongs to (e.g. baseline, fmms-triton): joins the cells of one arm across mbt values and names it in labels.",
       .member = &C::arm, .config = U::optional, .role = Role::serving, .label = "{}"},
      {.name = "knob", .unit = "", .doc = "The knob an A/B arm changes (e.g. \"sampler=flashinfer\"), from its arm.yaml (import_variant_ab).",
       .member = &C::knob, .config = U::optional, .role = Role::serving, .label = "{}"},
      {.name = "max_num_batched_tokens", .unit = "tokens",
       .doc = "Scheduler token budget per step (mbt); null when the results do not say and nobody recorded it.",
       .member = &C::max_num_batched_tokens, .config = U::optional, .role = Role::serving, .label = "mbt {}", .min = 1,
       .max = kMaxCount, .flag = "mbt"},
      {.name = "max_num_seqs", .unit = "sequences", .doc = "Scheduler cap on concurrent sequences.",
       .member = &C::max_num_seqs, .config = U::optional, .role = Role::serving, .label = "max-seqs {}", .min = 1,
       .max = kMaxCount},
      {.name = "max_model_len", .unit = "tokens", .doc = "Maximum context length served.", .member = &C::max_model_len,
       .config = U::optional, .role = Role::serving, .label = "ctx {}", .min = 1, .max = kMaxCount},
      {.name = "gpu_memory_utilization", .unit = "fraction", .doc = "Fraction of GPU memory the engine may use, 0 < x <= 1.",
       .member = &C::gpu_memory_utilization, .config = U::optional, .role = Role::serving, .label = "gmu {}", .min = 0,
       .max = 1, .min_open = true},
      {.name = "mtp", .unit = "", .doc = "Multi-token prediction (speculative decoding) on.", .member = &C::mtp,
       .config = U::required, .role = Role::serving, .label = "MTP|no MTP"},
      {.name = "cuda_graphs", .unit = "", .doc = "CUDA graphs captured (false = eager mode, --enforce-eager).",
       .member = &C::cuda_graphs, .config = U::optional, .role = Role::serving, .label = "graphs|eager"},
      {.name = "cudagraph_mode", .unit = "", .doc = "CUDA-graph capture mode, e.g. FULL_AND_PIECEWISE, PIECEWISE, NONE.",
       .member = &C::cudagraph_mode, .config = U::optional, .role = Role::serving, .label = "cg {}"},
      {.name = "async_scheduling", .unit = "", .doc = "Asynchronous scheduling on.", .member = &C::async_scheduling,
       .config = U::optional, .role = Role::serving, .label = "async|sync"},
      {.name = "prefix_caching", .unit = "", .doc = "Automatic prefix caching on.", .member = &C::prefix_caching,
       .config = U::optional, .role = Role::serving, .label = "prefix cache|no prefix cache"},
      {.name = "dataset", .unit = "", .doc = "Benchmark dataset, e.g. random, sharegpt (config, else the data).",
       .member = &C::dataset, .config = U::optional, .role = Role::workload, .label = "{}"},
      {.name = "isl", .unit = "tokens", .doc = "Input sequence length (config, else the measured mean when every point agrees).",
       .member = &C::isl, .config = U::optional, .role = Role::workload, .label = "ISL {}", .min = 1, .max = kMaxCount},
      {.name = "osl", .unit = "tokens", .doc = "Output sequence length (config, else the measured mean when every point agrees).",
       .member = &C::osl, .config = U::optional, .role = Role::workload, .label = "OSL {}", .min = 1, .max = kMaxCount},
      {.name = "cache_mode", .unit = "", .doc = "warm | cold (prefix/KV caches before the run).", .member = &C::cache_mode,
       .config = U::optional, .role = Role::workload, .label = "{}", .choices = "warm|cold"},
      {.name = "tokenizer", .unit = "", .doc = "Tokenizer the client counted tokens with (config, else the data).",
       .member = &C::tokenizer, .config = U::optional},
      {.name = "num_prompts", .unit = "requests", .doc = "Requests per concurrency point as configured (else the data's, when one value).",
       .member = &C::num_prompts, .config = U::optional, .min = 1, .max = kMaxCount},
      {.name = "prefix_cache_hit_rate", .unit = "fraction",
       .doc = "Prefix-cache hit rate 0..1 over the runs (config, else SGLang cache_report); null when unknown.",
       .member = &C::prefix_cache_hit_rate, .config = U::optional, .min = 0, .max = 1},
      {.name = "regime", .unit = "", .doc = "The tier the configuration is tuned for: latency | throughput.",
       .member = &C::regime, .config = U::optional, .role = Role::serving, .label = "{}",
       .choices = "latency|throughput"},
      {.name = "delivery", .unit = "", .doc = "How the engine build was delivered (image, overlay, infr-patch ...); config, else provenance.delivery. A number is evidence only for its own delivery.",
       .member = &C::delivery, .config = U::optional, .role = Role::stack, .label = "{}"},
      {.name = "image", .unit = "", .doc = "The serving image reference (arm.yaml, config), e.g. vllm/vllm-openai:v0.11.2.",
       .member = &C::image, .config = U::optional, .role = Role::stack, .label = "{}"},
      {"baseline_cell", "", "The campaign's named baseline cell (config 'baseline'), when there is one.", &C::baseline_cell},
      {.name = "same_node", .unit = "", .doc = "The client ran on the same node as the server.", .member = &C::same_node,
       .config = U::optional},
      {"backend", "", "Benchmark client the points came from (vllm, vllm-sweep, sglang, aiperf).", &C::backend},
      {.name = "sol_rigor", .unit = "", .doc = "Highest speed-of-light evidence for the cell, set by atlas_aggregate: L3 = DRAM activity (DCGM DRAM_ACTIVE or nvidia-smi GPM dram) over its window (dcgm_correlate, or a roofline sweep's telemetry); L4 = ncu per kernel; L1 = kernel categories; none.",
       .member = &C::sol_rigor, .choices = "none|L1|L3|L4"},
      {.name = "sweep_kind", .unit = "", .doc = "null for serving cells; decode | prefill for the cells of a roofline sweep (import_roofline_sweep), which stay out of coverage, pages 1-2 and TPM.",
       .member = &C::sweep_kind, .choices = "serving|decode|prefill"},
      {.name = "node", .unit = "", .doc = "Machine (host/node name) the cell was served on: the config's, else the data's.",
       .member = &C::node, .config = U::optional},
  };
  return fields;
}

const FieldSpec<AtlasCell>* find_cell_field(std::string_view name) {
  for (const auto& f : cell_fields())
    if (name == f.name) return &f;
  return nullptr;
}

std::string field_value_problem(const FieldSpec<AtlasCell>& f, double v) {
  if (!std::isfinite(v)) return "a finite number";
  if (f.max > f.min) {
    bool low = f.min_open ? v <= f.min : v < f.min;
    if (low || v > f.max)
      return f.min_open ? fmt::format("in ({:g}, {:g}]", f.min, f.max) : fmt::format("between {:g} and {:g}", f.min, f.max);
  }
  return {};
}

std::vector<std::string> choices_of(const FieldSpec<AtlasCell>& f) {
  std::vector<std::string> out;
  if (!f.choices) return out;
  std::string s = f.choices;
  size_t start = 0;
  for (size_t bar; (bar = s.find('|', start)) != std::string::npos; start = bar + 1) out.push_back(s.substr(start, bar - start));
  out.push_back(s.substr(start));
  return out;
}

std::string normalized_choice(const FieldSpec<AtlasCell>& f, const std::string& v) {
  for (const auto& c : choices_of(f)) {
    if (c.size() != v.size()) continue;
    bool same = true;
    for (size_t i = 0; i < c.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(c[i])) != std::tolower(static_cast<unsigned char>(v[i]))) same = false;
    if (same) return c;
  }
  return v;
}

std::string field_value_problem(const FieldSpec<AtlasCell>& f, const std::string& v) {
  auto choices = choices_of(f);
  if (choices.empty()) return {};
  std::string n = normalized_choice(f, v);
  if (std::find(choices.begin(), choices.end(), n) != choices.end()) return {};
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  return "one of " + list;
}

const std::vector<FieldSpec<Point>>& point_fields() {
  using P = Point;
  static const std::vector<FieldSpec<P>> fields = {
      {"concurrency", "requests", "Client max concurrency (the sweep variable); null for rate-driven runs.", &P::concurrency},
      {"request_rate", "req/s", "Offered request rate; \"inf\" sends every request at t=0.", &P::request_rate},
      {"status", "", "ok | partial (some requests failed) | failed (none completed).", &P::status},
      {"num_prompts", "requests", "Requests the client was asked to send.", &P::num_prompts},
      {"completed", "requests", "Requests that completed successfully (summed over trials).", &P::completed},
      {"failed", "requests", "Requests that failed (summed over trials); null when the client does not say.", &P::failed},
      {"trials", "runs", "Runs of this point averaged together.", &P::trials},
      {"duration_s", "s", "Benchmark wall time (mean over trials).", &P::duration_s},
      {"request_throughput_rps", "req/s", "Completed requests per second.", &P::request_throughput_rps},
      {"output_tok_s", "tok/s", "Output tokens per second, whole endpoint.", &P::output_tok_s},
      {"total_tok_s", "tok/s", "Input + output tokens per second; null when the client gave no total.", &P::total_tok_s},
      {"output_tok_s_per_gpu", "tok/s/GPU", "output_tok_s / gpus.", &P::output_tok_s_per_gpu},
      {"tok_s_per_user", "tok/s/user", "output_tok_s / concurrency.", &P::tok_s_per_user},
      {"interactivity_tok_s", "tok/s/user", "1000 / mean TPOT (ms): decode speed one user sees.", &P::interactivity_tok_s},
      {"ttft_ms", "ms", "Time to first token.", &P::ttft_ms},
      {"tpot_ms", "ms", "Time per output token after the first, per request.", &P::tpot_ms},
      {"itl_ms", "ms", "Inter-token latency, pooled over all gaps.", &P::itl_ms},
      {"e2el_ms", "ms", "End-to-end request latency.", &P::e2el_ms},
      {"mean_input_tokens", "tokens", "total input tokens / completed requests.", &P::mean_input_tokens},
      {"mean_output_tokens", "tokens", "total output tokens / completed requests.", &P::mean_output_tokens},
      {"isl", "tokens", "Prompt length of this point when it varies per point (prefill sweeps of a roofline cell).", &P::isl},
      {"measured_concurrency", "requests", "Mean in-flight requests measured by the client (SGLang), when reported.", &P::measured_concurrency},
      {"preemptions", "events", "KV-cache preemptions recorded by the server, when captured.", &P::preemptions},
      {"steady_window_undercount", "", "Requests < 2 x concurrency (requests = num_prompts, else the config's, else completed): ramp-up/drain dominate, throughput is undercounted; null when the count is unknown.", &P::steady_window_undercount},
      {"error", "", "Why the point failed, when it did.", &P::error},
  };
  return fields;
}

}  // namespace ptr
