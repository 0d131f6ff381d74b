#!/usr/bin/env bash
# A bounded fuzzing smoke for CI: builds the three cargo-fuzz targets,
# replays the committed corpus and regressions through each, then fuzzes
# each for a few seconds. Exits non-zero on any crash, hang or leak.
#
# Budget: three minutes in all. A warm build takes seconds, and then each
# target replays its corpus and fuzzes for FUZZ_SECONDS; a cold build of
# the instrumented targets takes longer than the budget on a small
# machine, and is then left for the next run (it resumes where it
# stopped). `cargo test` replays the same corpus and mutation-fuzzes each
# target without cargo-fuzz (tests/fuzz_corpus.rs), so when cargo-fuzz
# cannot be installed, or the build does not fit the budget, this script
# says so and exits 0.
#
#   bash fuzz/smoke.sh                 # defaults
#   FUZZ_SECONDS=60 BUILD_BUDGET=900 bash fuzz/smoke.sh # longer, from cold
set -uo pipefail

cd "$(dirname "$0")"
TARGETS=(parse_and_check quantity incremental_edits)
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
BUILD_BUDGET=${BUILD_BUDGET:-120}
# A target dir of its own: the sanitizer-free smoke build does not
# invalidate the address-sanitizer build used for long fuzzing runs.
TARGET_DIR=target/smoke
export RUSTC_BOOTSTRAP=1 # -Z flags on a stable toolchain

skip() {
  echo "fuzz/smoke.sh: SKIPPED: $*" >&2
  echo "fuzz/smoke.sh: the corpus is still replayed by cargo test (tests/fuzz_corpus.rs)" >&2
  exit 0
}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz/smoke.sh: installing cargo-fuzz" >&2
  timeout 600 cargo install cargo-fuzz --locked >/dev/null 2>&1 || skip "cargo-fuzz is not installed and cannot be installed here"
fi

started=$(date +%s)
echo "fuzz/smoke.sh: building ${TARGETS[*]} (budget ${BUILD_BUDGET}s)" >&2
timeout "$BUILD_BUDGET" cargo fuzz build --sanitizer none --target-dir "$TARGET_DIR" >build.log 2>&1
status=$?
if [ $status -eq 124 ]; then
  rm -f build.log
  skip "the fuzz build did not finish within ${BUILD_BUDGET}s (run again: the next build is incremental)"
elif [ $status -ne 0 ]; then
  cat build.log >&2
  rm -f build.log
  echo "fuzz/smoke.sh: FAILED: the fuzz targets do not build" >&2
  exit 1
fi
rm -f build.log
echo "fuzz/smoke.sh: built in $(($(date +%s) - started))s" >&2

failed=0
for target in "${TARGETS[@]}"; do
  inputs=("corpus/$target")
  [ -d "regressions/$target" ] && inputs+=("regressions/$target")
  mkdir -p "artifacts/$target"
  # Replay every committed input once, then fuzz from them for a while,
  # writing new inputs to a scratch corpus (the committed one stays as is).
  scratch=$(mktemp -d)
  if ! timeout $((FUZZ_SECONDS + 120)) cargo fuzz run --sanitizer none --target-dir "$TARGET_DIR" "$target" \
    "$scratch" "${inputs[@]}" -- -max_total_time="$FUZZ_SECONDS" -timeout=30 -rss_limit_mb=3072 \
    -max_len=20000 -print_final_stats=1 >"$scratch.log" 2>&1; then
    echo "fuzz/smoke.sh: FAILED: $target" >&2
    grep -E "panicked|ERROR|SUMMARY|Failing input|artifact" "$scratch.log" >&2 || tail -40 "$scratch.log" >&2
    failed=1
  else
    runs=$(grep -m1 -o 'stat::number_of_executed_units: [0-9]*' "$scratch.log" | grep -o '[0-9]*$')
    echo "fuzz/smoke.sh: $target: ok, ${runs:-?} runs" >&2
  fi
  rm -rf "$scratch" "$scratch.log"
done
echo "fuzz/smoke.sh: finished in $(($(date +%s) - started))s" >&2
exit $failed
