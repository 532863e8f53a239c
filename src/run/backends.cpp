#include "run/backends.hpp"

#include <string>

namespace ptr {

namespace {

std::string n(long v) { return std::to_string(v); }

void append_extra(Argv& a, const json& extra) {
  for (const auto& e : extra)
    if (e.is_string()) a.push_back(e.get<std::string>());
    else a.push_back(e.dump());
}

void append_tokenizer(Argv& a, const WorkloadSpec& w) {
  if (w.tokenizer) a.insert(a.end(), {"--tokenizer", *w.tokenizer});
}

// vLLM samples random lengths from [L(1-r), L(1+r)]: r = 0 is the exact length.
void vllm_dataset(Argv& a, const WorkloadSpec& w) {
  if (w.dataset == "random") {
    a.insert(a.end(), {"--dataset-name", "random"});
    if (w.isl) a.insert(a.end(), {"--random-input-len", n(*w.isl)});
    if (w.osl) a.insert(a.end(), {"--random-output-len", n(*w.osl)});
    a.insert(a.end(), {"--random-range-ratio", "0"});
  } else if (w.dataset == "sharegpt") {
    a.insert(a.end(), {"--dataset-name", "sharegpt", "--dataset-path", w.dataset_path.value_or("")});
    if (w.osl) a.insert(a.end(), {"--sharegpt-output-len", n(*w.osl)});
  } else {
    append_extra(a, w.dataset_args);
  }
}

Argv vllm_bench(const WorkloadSpec& w, const BenchTarget& t, const PointSpec& p) {
  Argv a = {"vllm", "bench", "serve", "--backend", "vllm", "--base-url", t.endpoint_url, "--model", t.served_model};
  append_tokenizer(a, w);
  vllm_dataset(a, w);
  // Without --ignore-eos a request may stop before OSL and the points are not comparable.
  a.push_back("--ignore-eos");
  a.insert(a.end(), {"--num-prompts", n(p.num_prompts), "--max-concurrency", n(p.concurrency), "--request-rate", "inf"});
  if (w.warmup_requests > 0) a.insert(a.end(), {"--num-warmups", n(w.warmup_requests)});
  a.insert(a.end(), {"--percentile-metrics", "ttft,tpot,itl,e2el", "--metric-percentiles", "50,90,99", "--save-result",
                     "--result-dir", p.remote_dir, "--result-filename", "result.json"});
  append_extra(a, t.extra_args);
  return a;
}

Argv aiperf_bench(const WorkloadSpec& w, const BenchTarget& t, const PointSpec& p) {
  Argv a = {"aiperf", "profile", "--model", t.served_model, "--url", t.endpoint_url, "--endpoint-type", "chat", "--streaming"};
  append_tokenizer(a, w);
  a.insert(a.end(), {"--concurrency", n(p.concurrency), "--request-count", n(p.num_prompts)});
  if (w.warmup_requests > 0) a.insert(a.end(), {"--warmup-request-count", n(w.warmup_requests)});
  if (w.dataset == "random") {
    if (w.isl) a.insert(a.end(), {"--synthetic-input-tokens-mean", n(*w.isl), "--synthetic-input-tokens-stddev", "0"});
    if (w.osl) a.insert(a.end(), {"--output-tokens-mean", n(*w.osl), "--output-tokens-stddev", "0"});
  } else if (w.dataset == "sharegpt") {
    a.insert(a.end(), {"--public-dataset", "sharegpt"});
    if (w.osl) a.insert(a.end(), {"--output-tokens-mean", n(*w.osl), "--output-tokens-stddev", "0"});
  } else {
    append_extra(a, w.dataset_args);
  }
  // AIPerf does not hold the output length without asking the server to ignore EOS.
  a.insert(a.end(), {"--extra-inputs", "ignore_eos:true", "--artifact-dir", p.remote_dir});
  append_extra(a, t.extra_args);
  return a;
}

Argv sglang_bench(const WorkloadSpec& w, const BenchTarget& t, const PointSpec& p) {
  Argv a = {"python3", "-m", "sglang.bench_serving", "--backend", "sglang", "--base-url", t.endpoint_url, "--model",
            t.served_model};
  append_tokenizer(a, w);
  if (w.dataset == "random") {
    // SGLang's "random" samples ShareGPT text (a download) and draws lengths
    // from [1, L] unless --random-range-ratio 1: "random-ids" with ratio 1 is
    // the exact, offline form of the same workload.
    a.insert(a.end(), {"--dataset-name", "random-ids"});
    if (w.isl) a.insert(a.end(), {"--random-input-len", n(*w.isl)});
    if (w.osl) a.insert(a.end(), {"--random-output-len", n(*w.osl)});
    a.insert(a.end(), {"--random-range-ratio", "1"});
  } else if (w.dataset == "sharegpt") {
    a.insert(a.end(), {"--dataset-name", "sharegpt", "--dataset-path", w.dataset_path.value_or("")});
    if (w.osl) a.insert(a.end(), {"--sharegpt-output-len", n(*w.osl)});
  } else {
    append_extra(a, w.dataset_args);
  }
  a.insert(a.end(), {"--num-prompts", n(p.num_prompts), "--max-concurrency", n(p.concurrency), "--request-rate", "inf",
                     "--warmup-requests", n(w.warmup_requests), "--output-file", p.remote_dir + "/result.jsonl"});
  append_extra(a, t.extra_args);
  return a;
}

}  // namespace

const std::vector<BackendSpec>& backend_table() {
  static const std::vector<BackendSpec> t = {
      {"vllm-sweep", "vllm bench serve per concurrency, --save-result", vllm_bench, "result.json", true, "vllm_sweep",
       "--ignore-eos (every dataset)"},
      {"aiperf", "aiperf profile per concurrency, artifact dir per point", aiperf_bench, "", false, "aiperf",
       "--extra-inputs ignore_eos:true and --output-tokens-stddev 0"},
      {"sglang-sweep", "python3 -m sglang.bench_serving per concurrency, --output-file", sglang_bench, "result.jsonl", true,
       "sglang", "SGLang ignores EOS unless --disable-ignore-eos (not passed); --random-range-ratio 1"},
  };
  return t;
}

const BackendSpec* find_backend(const std::string& name) {
  for (const auto& b : backend_table())
    if (name == b.name) return &b;
  return nullptr;
}

bool dataset_planned(const std::string& dataset) { return dataset == "random" || dataset == "sharegpt"; }

}  // namespace ptr
