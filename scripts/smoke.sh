#!/usr/bin/env bash
# End-to-end run over real outputs: a fresh campaign from the example config,
# every shared fixture folder imported into a cell, the atlas, then the report.
set -euo pipefail
build=${1:-build}
shared=${2:-../shared}
bin="$build/perftunereport"
root="$build/smoke-campaigns"
rm -rf "$root"
export PERFREPORT_CAMPAIGNS_DIR="$root"
id=$("$bin" --json campaign_init --config configs/campaigns/example.yaml | sed -n 's/.*"campaign": "\(.*\)".*/\1/p')
ident=(--model GLM-4.7 --hardware H100 --quant FP8 --tensor-parallel 8 --parallel-strategy TP --no-mtp --mbt 8192)
"$bin" import_perf_bench --campaign example --cell h100-fp8-tp8-mbt8192 --path "$shared/fixtures/vllm/sweep-serve"
# One model per cell (a cell refuses files of several models).
f="$shared/fixtures"
imp() { local cell=$1; shift; "$bin" import_perf_bench --campaign example --cell "$cell" "$@" "${ident[@]}" 2>/dev/null; }
imp vllm-qwen3-32b --path "$f/vllm/bench-serve/run_1_TP8_DP1_CTX1024_C100_P100_O128.json" --path "$f/vllm/bench-serve/run_1_TP8_DP1_CTX1024_C100_P100_O128.txt"
imp vllm-qwen36-27b --path "$f/vllm/bench-serve/tm-l40sx2_qwen27b_in4096_out128_p50_c1_d48e1d.json"
imp vllm-legacy --path "$f/vllm/bench-serve-legacy"
imp sglang-qwen3-8b --path "$f/sglang/tp8_dp1_Qwen3-8B_in1024_out128_p100_c100_38769a.jsonl" --path "$f/sglang/tp8_dp1_Qwen3-8B_in1024_out128_p100_c100_38769a.txt"
imp sglang-llama --path "$f/sglang/llama_3_3_70b_online_output.jsonl"
imp sglang-deepseek --path "$f/sglang/deepseek_dp_mla_output.jsonl"
imp aiperf-gpt-oss --path "$f/aiperf/legacy-v0.1-records__profile_export_aiperf.json" --path "$f/aiperf/legacy-v0.1-records__profile_export_aiperf.csv"
imp aiperf-qwen3 --path "$f/aiperf/v0.2x-qwen-c1__profile_export_aiperf.json" --path "$f/aiperf/v0.2x-qwen-c1__profile_export.jsonl"
imp aiperf-qwen36 --path "$f/aiperf/v0.10.0-schema1.3-agent-c16__profile_export_aiperf.json" --path "$f/aiperf/v0.10.0-schema1.3-agent-c16__profile_export_aiperf.csv"
"$bin" atlas_aggregate --campaign example 2>/dev/null
"$bin" report_render --campaign example --heatmap-concurrencies 1,16,100 2>/dev/null
echo "atlas: $root/$id/atlas.jsonl"
