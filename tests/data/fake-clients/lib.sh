# Shared by the fake benchmark clients (vllm, python3 -m sglang.bench_serving,
# aiperf) that the stand-in kubectl runs. Each checks the argv cell_run must
# pass and writes real-format output from the shared fixtures, with the
# point's concurrency and prompt count. Knobs (comma lists of concurrencies):
# FAKE_FAIL_CONCURRENCY (exit 1), FAKE_HANG_CONCURRENCY (never returns),
# FAKE_DETACH_CONCURRENCY (leaves a process of the point running after exit);
# FAKE_BENCH_SECONDS (each point takes that long, as a real one does).
set -u
fx=${FAKE_FIXTURES:?}
argv=("$@")
value_of() { # value_of FLAG: the item after FLAG in argv
  local i
  for ((i = 0; i < ${#argv[@]}; i++)); do
    if [ "${argv[$i]}" = "$1" ]; then echo "${argv[$((i + 1))]}"; return; fi
  done
}
has() { local a; for a in "${argv[@]}"; do [ "$a" = "$1" ] && return 0; done; return 1; }
die() { echo "fake $client: $*" >&2; exit 2; }
require() { has "$1" || die "missing $1 in: ${argv[*]}"; }
require_value() { [ "$(value_of "$1")" = "$2" ] || die "expected $1 $2, got '$(value_of "$1")'"; }
listed() { case ",$1," in *",$2,"*) return 0 ;; esac; return 1; }
point_knobs() { # point_knobs CONCURRENCY DIR
  if [ -n "${FAKE_BENCH_SECONDS:-}" ]; then sleep "$FAKE_BENCH_SECONDS"; fi
  if listed "${FAKE_FAIL_CONCURRENCY:-}" "$1"; then echo "RuntimeError: engine died at c=$1" >&2; exit 1; fi
  if listed "${FAKE_HANG_CONCURRENCY:-}" "$1"; then sleep 600 & wait $!; fi
  if listed "${FAKE_DETACH_CONCURRENCY:-}" "$1"; then
    setsid bash -c 'sleep 30; true' remote-work "$2" </dev/null >/dev/null 2>&1 &
  fi
}
