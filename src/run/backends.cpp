#include "run/backends.hpp"

#include <string>

namespace ptr {

namespace {

std::string n(long v) { return std::to_string(v); }

void append_extra(Argv& a, const BenchTarget& t) {
  for (const auto& e : t.extra_args)
    if (e.is_string()) a.push_back(e.get<std::string>());
    else a.push_back(e.dump());
}

// vLLM and SGLang spell the dataset flags the same way.
void append_dataset(Argv& a, const AtlasCell& c) {
  std::string dataset = c.dataset.value_or("random");
  a.insert(a.end(), {"--dataset-name", dataset});
  if (dataset == "random") {
    if (c.isl) a.insert(a.end(), {"--random-input-len", n(*c.isl)});
    if (c.osl) a.insert(a.end(), {"--random-output-len", n(*c.osl)});
  }
}

Argv vllm_bench(const AtlasCell& c, const BenchTarget& t, const PointSpec& p) {
  Argv a = {"vllm", "bench", "serve", "--backend", "vllm", "--base-url", t.endpoint_url, "--model", t.served_model};
  append_dataset(a, c);
  a.insert(a.end(), {"--num-prompts", n(p.num_prompts), "--max-concurrency", n(p.concurrency), "--request-rate", "inf",
                     "--percentile-metrics", "ttft,tpot,itl,e2el", "--metric-percentiles", "50,90,99", "--save-result",
                     "--result-dir", p.remote_dir, "--result-filename", "result.json"});
  append_extra(a, t);
  return a;
}

Argv aiperf_bench(const AtlasCell& c, const BenchTarget& t, const PointSpec& p) {
  Argv a = {"aiperf", "profile", "--model", t.served_model, "--url", t.endpoint_url, "--endpoint-type", "chat", "--streaming",
            "--concurrency", n(p.concurrency), "--request-count", n(p.num_prompts)};
  if (c.isl) a.insert(a.end(), {"--synthetic-input-tokens-mean", n(*c.isl)});
  if (c.osl) a.insert(a.end(), {"--output-tokens-mean", n(*c.osl)});
  a.insert(a.end(), {"--artifact-dir", p.remote_dir});
  append_extra(a, t);
  return a;
}

Argv sglang_bench(const AtlasCell& c, const BenchTarget& t, const PointSpec& p) {
  Argv a = {"python3", "-m", "sglang.bench_serving", "--backend", "sglang", "--base-url", t.endpoint_url, "--model",
            t.served_model};
  append_dataset(a, c);
  a.insert(a.end(), {"--num-prompts", n(p.num_prompts), "--max-concurrency", n(p.concurrency), "--request-rate", "inf",
                     "--output-file", p.remote_dir + "/result.jsonl"});
  append_extra(a, t);
  return a;
}

}  // namespace

const std::vector<BackendSpec>& backend_table() {
  static const std::vector<BackendSpec> t = {
      {"vllm-sweep", "vllm bench serve per concurrency, --save-result", vllm_bench, true, "vllm_sweep"},
      {"aiperf", "aiperf profile per concurrency, artifact dir per point", aiperf_bench, false, "aiperf"},
      {"sglang-sweep", "python3 -m sglang.bench_serving per concurrency, --output-file", sglang_bench, true, "sglang"},
  };
  return t;
}

const BackendSpec* find_backend(const std::string& name) {
  for (const auto& b : backend_table())
    if (name == b.name) return &b;
  return nullptr;
}

}  // namespace ptr
