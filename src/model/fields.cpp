#include "model/fields.hpp"

namespace ptr {

const std::vector<FieldSpec<AtlasCell>>& cell_fields() {
  using C = AtlasCell;
  static const std::vector<FieldSpec<C>> fields = {
      {"campaign", "", "Campaign id (<YYYYMMDDTHHMMSSZ>-<slug>) the cell belongs to.", &C::campaign},
      {"cell_id", "", "Cell id from the campaign config ([a-z0-9][a-z0-9._-]*).", &C::cell_id},
      {"status", "", "full (every requested concurrency measured ok) | partial | failed (no request completed).", &C::status},
      {"model", "", "Model name as configured.", &C::model},
      {"hf_path", "", "Hugging Face path or served model id, when known.", &C::hf_path},
      {"hardware", "", "Accelerator type, e.g. H100, B200, GB300.", &C::hardware},
      {"quant", "", "Weight quantization, e.g. FP8, NVFP4.", &C::quant},
      {"kv_cache_dtype", "", "KV-cache dtype, e.g. fp8, auto.", &C::kv_cache_dtype},
      {"tensor_parallel", "GPUs", "Tensor-parallel size.", &C::tensor_parallel},
      {"data_parallel", "GPUs", "Data-parallel size (1 when not configured).", &C::data_parallel},
      {"pipeline_parallel", "GPUs", "Pipeline-parallel size (1 when not configured).", &C::pipeline_parallel},
      {"expert_parallel", "GPUs", "Expert-parallel size, when set.", &C::expert_parallel},
      {"parallel_strategy", "", "TP or EP (how experts are sharded).", &C::parallel_strategy},
      {"gpus", "GPUs", "GPUs serving the endpoint = tensor_parallel x data_parallel x pipeline_parallel.", &C::gpus},
      {"engine", "", "Serving engine, e.g. vllm, sglang.", &C::engine},
      {"engine_version", "", "Engine version or commit, when known.", &C::engine_version},
      {"max_num_batched_tokens", "tokens", "Scheduler token budget per step (mbt).", &C::max_num_batched_tokens},
      {"max_num_seqs", "sequences", "Scheduler cap on concurrent sequences.", &C::max_num_seqs},
      {"max_model_len", "tokens", "Maximum context length served.", &C::max_model_len},
      {"gpu_memory_utilization", "fraction", "Fraction of GPU memory the engine may use.", &C::gpu_memory_utilization},
      {"mtp", "", "Multi-token prediction (speculative decoding) on.", &C::mtp},
      {"cuda_graphs", "", "CUDA graphs captured (false = eager mode, --enforce-eager).", &C::cuda_graphs},
      {"prefix_caching", "", "Automatic prefix caching on.", &C::prefix_caching},
      {"dataset", "", "Benchmark dataset, e.g. random, sharegpt.", &C::dataset},
      {"isl", "tokens", "Configured input sequence length.", &C::isl},
      {"osl", "tokens", "Configured output sequence length.", &C::osl},
      {"cache_mode", "", "warm | cold (prefix/KV caches before the run).", &C::cache_mode},
      {"tokenizer", "", "Tokenizer the client counted tokens with, when known (config, else the data).", &C::tokenizer},
      {"num_prompts", "requests", "Requests per concurrency point as configured (else as the data says, when one value).", &C::num_prompts},
      {"prefix_cache_hit_rate", "fraction", "Prefix-cache hit rate 0..1 over the runs (SGLang cache_report, or the config); null when unknown.", &C::prefix_cache_hit_rate},
      {"backend", "", "Benchmark client the points came from (vllm, vllm-sweep, sglang, aiperf).", &C::backend},
      {"node", "", "Machine (host/node name) the cell was served on: the config's, else the data's.", &C::node},
  };
  return fields;
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
      {"measured_concurrency", "requests", "Mean in-flight requests measured by the client (SGLang), when reported.", &P::measured_concurrency},
      {"preemptions", "events", "KV-cache preemptions recorded by the server, when captured.", &P::preemptions},
      {"steady_window_undercount", "", "Requests < 2 x concurrency (requests = num_prompts, else the config's, else completed): ramp-up/drain dominate, throughput is undercounted; null when the count is unknown.", &P::steady_window_undercount},
      {"error", "", "Why the point failed, when it did.", &P::error},
  };
  return fields;
}

}  // namespace ptr
