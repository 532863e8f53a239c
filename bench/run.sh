#!/usr/bin/env bash
# Runs the benchmarks and prints their figures (see bench/README.md).
set -euo pipefail
build=${1:-build}
"$build/bench/bench_report" --cli "$build/perftunereport" --runs "${PTR_BENCH_REPORT_RUNS:-15}"
"$build/bench/bench_aiperf_jsonl" --size-mb "${PTR_BENCH_SIZE_MB:-1024}" --runs "${PTR_BENCH_RUNS:-7}"
