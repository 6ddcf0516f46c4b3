#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), JOBS at a time
# (default 1, one after another), and prints each target's executions and
# coverage (libFuzzer's final stats).
#
#   fuzz/run.sh [-j JOBS] [SECONDS] [TARGET...]
#
# Targets run in the order given (default: the order of `cargo fuzz list`).
# For a long run on a shared machine: nice -n 19 fuzz/run.sh -j 2 900
#
# Needs a nightly toolchain (cargo +nightly); without one it says so and
# exits 0. Installs cargo-fuzz when it is missing. New inputs go to
# fuzz/work/<target>/ (not committed); the seeds in fuzz/corpus/<target>/
# are read, never written. A failing input is saved under fuzz/artifacts/
# <target>/ and the script exits 1 after the remaining targets: copy it to
# fuzz/artifacts-kept/<target>/ once fixed, so the regression test keeps it.
# Each target's log is fuzz/logs/<target>.log (not committed), or
# $FUZZ_LOGS/<target>.log when FUZZ_LOGS names another directory.
set -uo pipefail
cd "$(dirname "$0")"

usage() {
    echo "usage: fuzz/run.sh [-j JOBS] [SECONDS] [TARGET...]" >&2
    exit 2
}

jobs=1
if [ "${1:-}" = "-j" ]; then
    jobs="${2:-}"
    shift 2 || usage
fi
if ! [[ "$jobs" =~ ^[1-9][0-9]*$ ]]; then
    usage
fi
seconds="${1:-60}"
shift || true
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
    usage
fi

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz: skipped: no nightly toolchain (cargo +nightly), which cargo-fuzz needs"
    exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    if ! cargo install cargo-fuzz --locked --quiet; then
        echo "fuzz: cargo install cargo-fuzz failed" >&2
        exit 1
    fi
fi

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi

# No sanitizer: the crate forbids unsafe code, and without ASan each target
# runs about twice as fast. Debug assertions (overflow checks) stay on.
flags=(--sanitizer none --release --debug-assertions)
echo "fuzz: building ${#targets[@]} targets"
if ! cargo +nightly fuzz build "${flags[@]}"; then
    echo "fuzz: build failed" >&2
    exit 1
fi
# The built binaries, run directly: `cargo fuzz run` would rebuild them
# whenever a source file changes while the targets run.
# cargo-fuzz builds into CARGO_TARGET_DIR when it is set (relative to fuzz/).
bin="${CARGO_TARGET_DIR:-target}/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"

logs="${FUZZ_LOGS:-logs}"
mkdir -p "$logs"
# Runs one target; its exit status goes to $logs/<target>.status.
run_target() {
    local target="$1" dict=()
    mkdir -p "work/$target" "artifacts/$target"
    [ -f "dict/$target.dict" ] && dict=("-dict=dict/$target.dict")
    "$bin/$target" "work/$target" "corpus/$target" \
        -artifact_prefix="artifacts/$target/" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "${dict[@]}" >"$logs/$target.log" 2>&1
    echo "$?" >"$logs/$target.status"
}

for target in "${targets[@]}"; do
    if [ ! -x "$bin/$target" ]; then
        echo "fuzz: no target $target" >&2
        exit 2
    fi
done
for target in "${targets[@]}"; do
    rm -f "$logs/$target.status"
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
        wait -n
    done
    run_target "$target" &
done
wait

failed=()
printf '%-24s %12s %8s %8s %8s %s\n' target executions "exec/s" cov ft result
for target in "${targets[@]}"; do
    log="$logs/$target.log"
    status=$(cat "$logs/$target.status" 2>/dev/null || echo 1)
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    result=ok
    if [ "$status" -ne 0 ]; then
        result="FAILED (see $log)"
        failed+=("$target")
    fi
    printf '%-24s %12s %8s %8s %8s %s\n' "$target" "${runs:-?}" "${speed:-?}" \
        "${cov:-?}" "${ft:-?}" "$result"
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: failing targets: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each, no failure"
