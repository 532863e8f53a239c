#!/usr/bin/env bash
# make fuzz: runs every libFuzzer harness built in FUZZ_BUILD for SECONDS (or
# 1,000,000 inputs, whichever comes first), two at a time, seeded with the
# saved corpus (fuzz/corpus/<harness>) and real files; then merges what found
# new coverage back into the saved corpus and prints one line per harness.
#   fuzz/run.sh FUZZ_BUILD BUILD SHARED [SECONDS]
set -euo pipefail
fuzz_build=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
shared=$(cd "$3" && pwd)
seconds=${4:-300}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
work=$fuzz_build/fuzz-work
rm -rf "$work/seeds"
mkdir -p "$work/seeds" "$work/corpus" "$work/crashes"

# Copies files (one per line on stdin) into a seed folder, numbered: fixtures
# of different folders share names.
seed_into() {
  local dir=$work/seeds/$1 i=0
  mkdir -p "$dir"
  while IFS= read -r f; do
    cp "$f" "$dir/$i-$(basename "$f")"
    i=$((i + 1))
  done
}

# A small campaign made by the release CLI: the files the campaign reads back.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf 'name: fuzzseed\ncells: []\n' >"$scratch/c.yaml"
cli=$build/perftunereport
PERFREPORT_CAMPAIGNS_DIR=$scratch "$cli" campaign_init --config "$scratch/c.yaml" >/dev/null
PERFREPORT_CAMPAIGNS_DIR=$scratch "$cli" import_perf_bench --campaign fuzzseed --cell a \
  --path "$shared/fixtures/aiperf/v0.2x-qwen-c1__profile_export_aiperf.json" \
  --path "$shared/fixtures/aiperf/v0.2x-qwen-c1__profile_export.jsonl" \
  --model M --hardware H100 --quant FP8 --tensor-parallel 1 --parallel-strategy TP --no-mtp >/dev/null 2>&1
PERFREPORT_CAMPAIGNS_DIR=$scratch "$cli" import_perf_bench --campaign fuzzseed --cell b \
  --path "$shared/fixtures/vllm/sweep-serve" \
  --model M --hardware H100 --quant FP8 --tensor-parallel 8 --parallel-strategy TP --no-mtp >/dev/null 2>&1
PERFREPORT_CAMPAIGNS_DIR=$scratch "$cli" atlas_aggregate --campaign fuzzseed >/dev/null 2>&1

find "$shared/fixtures" "$shared/acceptance" -type f -size -256k ! -name '*.md' | sort | seed_into formats
find "$repo/configs/campaigns" "$repo/tests/data" -maxdepth 1 -name '*.yaml' | sort | seed_into campaign_config
find "$scratch" \( -name normalized.json -o -name cell.json -o -name atlas.jsonl \) | sort | seed_into cell_json
{ find "$shared/fixtures" -type f \( -name '*.json' -o -name '*.jsonl' \) -size -64k; find "$repo/configs" -name '*.yaml'; } | sort | seed_into json_yaml
{ find "$scratch" -name requests.csv; echo "$repo/configs/sol-ceilings.yaml"; find "$repo/tests/data" -name '*config*.json'; } | sort | seed_into tables
find "$here/seeds/mcp" -type f | sort | seed_into mcp  # handwritten sessions

run_one() {
  local name=$1 bin=$fuzz_build/fuzz/fuzz_$1
  mkdir -p "$work/corpus/$name" "$here/corpus/$name"
  local max_len=65536
  [[ $name == mcp ]] && max_len=60000
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$repo/tests/asan.supp UBSAN_OPTIONS=print_stacktrace=1 \
    "$bin" "$work/corpus/$name" "$here/corpus/$name" "$work/seeds/$name" -max_total_time="$seconds" -runs=1000000 \
    -timeout=10 -rss_limit_mb=4096 -max_len=$max_len -print_final_stats=1 \
    -artifact_prefix="$work/crashes/$name-" >"$work/$name.log" 2>&1 || true
  # Keep for CI's replay the smallest set of inputs (each cut to 16 KiB, to
  # keep the repository small) that covers what the saved and grown ones do.
  rm -rf "$work/saved/$name"
  mkdir -p "$work/saved/$name"
  if "$bin" -merge=1 -max_len=16384 "$work/saved/$name" "$here/corpus/$name" "$work/corpus/$name" \
    >"$work/$name.merge.log" 2>&1; then
    rm -rf "$here/corpus/$name"
    mv "$work/saved/$name" "$here/corpus/$name"
  fi
}
export -f run_one
export fuzz_build work here repo seconds

harnesses=$(cd "$fuzz_build/fuzz" && ls fuzz_* | grep -v '\.' | sed 's/^fuzz_//' | sort)
printf '%s\n' $harnesses | xargs -P 2 -I{} bash -c 'run_one {}'

printf '%-16s %10s %9s %7s %8s %8s %s\n' harness runs execs/s cov ft corpus crashes
for name in $harnesses; do
  log=$work/$name.log
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE).*cov:' "$log" | tail -1)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  saved=$(find "$here/corpus/$name" -type f | wc -l)
  crashes=$(find "$work/crashes" -name "$name-*" -type f | wc -l)
  printf '%-16s %10s %9s %7s %8s %8s %s\n' "$name" "${runs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$saved" "$crashes"
done
if find "$work/crashes" -type f | grep -q .; then
  echo "fuzz: crash inputs in $work/crashes (add each, minimized, to fuzz/regressions/<harness>/)" >&2
  exit 1
fi
