#!/usr/bin/env bash
# Runs the benchmarks and prints their figures (see bench/README.md).
set -euo pipefail
build=${1:-build}
"$build/bench/bench_report" --cli "$build/perftunereport" --runs "${PTR_BENCH_REPORT_RUNS:-15}"
"$build/bench/bench_aiperf_jsonl" --size-mb "${PTR_BENCH_SIZE_MB:-1024}" --runs "${PTR_BENCH_RUNS:-7}"
# The lake: SQLite always; PostgreSQL on a private server like the tests'.
state=$(mktemp -d)
trap 'bash tests/support/pg-server.sh stop "$state/pg" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
bash tests/support/pg-server.sh start "$state/pg" >/dev/null
"$build/bench/bench_lake" --runs "${PTR_BENCH_LAKE_RUNS:-7}" --pg-url "$(cat "$state/pg/url")"
