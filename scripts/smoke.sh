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
"$bin" import_perf_bench --campaign example --cell vllm-bench-serve --path "$shared/fixtures/vllm/bench-serve" "${ident[@]}"
"$bin" import_perf_bench --campaign example --cell vllm-legacy --path "$shared/fixtures/vllm/bench-serve-legacy" "${ident[@]}" 2>/dev/null
"$bin" import_perf_bench --campaign example --cell sglang --path "$shared/fixtures/sglang" "${ident[@]}" 2>/dev/null
"$bin" import_perf_bench --campaign example --cell aiperf --path "$shared/fixtures/aiperf" "${ident[@]}" 2>/dev/null
"$bin" atlas_aggregate --campaign example 2>/dev/null
"$bin" report_render --campaign example --heatmap-concurrencies 1,16,100 2>/dev/null
echo "atlas: $root/$id/atlas.jsonl"
