#!/usr/bin/env bash
# Renders the report of each shared acceptance set, the way a user would:
# campaign_init from tests/data/acceptance/<name>.yaml, one import per cell
# (identity flags where the config does not declare the cell), the atlas,
# the report. Used by the acceptance report tests and for docs/report.md's
# screenshots.  Usage: acceptance-reports.sh BUILD SHARED OUT
set -euo pipefail
build=$1
shared=$2
out=$3
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/perftunereport"
acc="$shared/acceptance"
mkdir -p "$out"
export PERFREPORT_CAMPAIGNS_DIR="$out/campaigns"
rm -rf "$PERFREPORT_CAMPAIGNS_DIR"

init() { "$bin" campaign_init --config "$here/tests/data/acceptance/$1.yaml" >/dev/null; }
# Each report in its own folder: report.pdf, report_status.json, warnings.
render() {
  "$bin" atlas_aggregate --campaign "$1" >/dev/null 2>&1
  mkdir -p "$out/$1"
  "$bin" report_render --campaign "$1" --out "$out/$1/report.pdf" "${@:2}" >/dev/null 2>"$out/$1/warnings"
}
lower() { tr '[:upper:]' '[:lower:]'; }

# FlashSampling: three arms, one cell each (declared in the config).
init flashsampling
for arm in baseline fmms-triton fmms-flashinfer; do
  "$bin" import_perf_bench --campaign flashsampling-gpt-oss-120b --cell "$arm" --path "$acc/flashsampling/gpt-oss-120b/$arm" >/dev/null 2>&1
done
render flashsampling-gpt-oss-120b

# GLM-4.7-FP8 (vLLM): one cell per hardware x parallelism x input length.
init glm
for f in "$acc"/llm-benchmaq/vllm/runpod_*/GLM-4.7-FP8/*.json; do
  base=$(basename "$f" .json)                      # run_1_TP8_DP1_CTX1024_C100_P100_O128
  folder=$(basename "$(dirname "$(dirname "$f")")")  # runpod_h100sxm
  hw=$(echo "${folder#runpod_}" | sed 's/sxm$//' | tr '[:lower:]' '[:upper:]')
  tp=$(echo "$base" | sed -n 's/.*_TP\([0-9]*\)_.*/\1/p')
  dp=$(echo "$base" | sed -n 's/.*_DP\([0-9]*\)_.*/\1/p')
  isl=$(echo "$base" | sed -n 's/.*_CTX\([0-9]*\)_.*/\1/p')
  osl=$(echo "$base" | sed -n 's/.*_O\([0-9]*\)$/\1/p')
  cell=$(echo "glm-$hw-tp$tp-dp$dp-isl$isl" | lower)
  paths=(--path "$f")
  [ -f "${f%.json}.txt" ] && paths+=(--path "${f%.json}.txt")
  "$bin" import_perf_bench --campaign glm-4-7-fp8-llm-benchmaq --cell "$cell" "${paths[@]}" \
    --model GLM-4.7-FP8 --hardware "$hw" --quant FP8 --tensor-parallel "$tp" --data-parallel "$dp" \
    --parallel-strategy TP --no-mtp --isl "$isl" --osl "$osl" --engine vllm >/dev/null 2>&1
done
render glm-4-7-fp8-llm-benchmaq

# gpt-oss-120b (SGLang): one cell per hardware x parallelism.
init sglang
for f in "$acc"/llm-benchmaq/sglang/runpod_*/gpt-oss-120b/*.jsonl; do
  base=$(basename "$f" .jsonl)  # A100_tp4_dp2_in1024_out128_p100_c100_38769a
  hw=${base%%_*}
  tp=$(echo "$base" | sed -n 's/.*_tp\([0-9]*\)_.*/\1/p')
  dp=$(echo "$base" | sed -n 's/.*_dp\([0-9]*\)_.*/\1/p')
  isl=$(echo "$base" | sed -n 's/.*_in\([0-9]*\)_.*/\1/p')
  osl=$(echo "$base" | sed -n 's/.*_out\([0-9]*\)_.*/\1/p')
  cell=$(echo "gpt-oss-$hw-tp$tp-dp$dp" | lower)
  paths=(--path "$f")
  [ -f "${f%.jsonl}.txt" ] && paths+=(--path "${f%.jsonl}.txt")
  "$bin" import_perf_bench --campaign gpt-oss-120b-sglang-llm-benchmaq --cell "$cell" "${paths[@]}" \
    --model gpt-oss-120b --hardware "$hw" --quant MXFP4 --tensor-parallel "$tp" --data-parallel "$dp" \
    --parallel-strategy TP --no-mtp --isl "$isl" --osl "$osl" --engine sglang >/dev/null 2>&1
done
render gpt-oss-120b-sglang-llm-benchmaq

# AIPerf: one cell, two concurrencies (the nested run).
init aiperf
"$bin" import_perf_bench --campaign aiperf-qwen --cell qwen3-0-6b --path "$acc/aiperf/qwen_concurrency2" \
  --model Qwen/Qwen3-0.6B --hardware RTX-6000-Ada --quant BF16 --tensor-parallel 1 --parallel-strategy TP --no-mtp \
  --isl 100 --osl 200 >/dev/null 2>&1
render aiperf-qwen
ls "$out"/*/report.pdf
