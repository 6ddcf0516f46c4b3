#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after another,
# and prints each target's executions and coverage (libFuzzer's final stats).
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# Needs a nightly toolchain (cargo +nightly); without one it says so and
# exits 0. Installs cargo-fuzz when it is missing. New inputs go to
# fuzz/work/<target>/ (not committed); the seeds in fuzz/corpus/<target>/
# are read, never written. A failing input is saved under fuzz/artifacts/
# <target>/ and the script exits 1 after the remaining targets: copy it to
# fuzz/artifacts-kept/<target>/ once fixed, so the regression test keeps it.
set -uo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
shift || true
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
    echo "usage: fuzz/run.sh [SECONDS] [TARGET...]" >&2
    exit 2
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
build=(cargo +nightly fuzz build --sanitizer none --release --debug-assertions)
echo "fuzz: building ${#targets[@]} targets"
if ! "${build[@]}"; then
    echo "fuzz: build failed" >&2
    exit 1
fi

mkdir -p logs
failed=()
printf '%-24s %12s %8s %8s %8s %s\n' target executions "exec/s" cov ft result
for target in "${targets[@]}"; do
    mkdir -p "work/$target" "artifacts/$target"
    dict=()
    [ -f "dict/$target.dict" ] && dict=("-dict=dict/$target.dict")
    log="logs/$target.log"
    cargo +nightly fuzz run --sanitizer none --release --debug-assertions "$target" \
        "work/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "${dict[@]}" >"$log" 2>&1
    status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    result=ok
    if [ "$status" -ne 0 ]; then
        result="FAILED (see fuzz/$log)"
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
