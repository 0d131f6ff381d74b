#!/usr/bin/env bash
# Newsmark benchmark: `newsmark check` against ripgrep, and the language
# server's start-up, edit latency and memory, on generated corpora.
#
#   bash benches/run.sh [--smoke] [--runs N] [--edits N] [--release|--debug] [SIZES...]
#
# SIZES default to `1000 10000 100000` articles. For each size it generates a
# corpus once (examples/gen_corpus.rs; cached under $NEWSMARK_BENCH_DIR,
# default target/bench-corpus, regenerated when the generator changes), then
# runs N times (default 3, or $NEWSMARK_BENCH_RUNS):
#
#   rg -c ']\{' DIR                        the floor: read every file once
#   newsmark check --format json DIR       the linter
#   lsp_bench DIR                          the server (examples/lsp_bench.rs)
#
# and, once, typing in one 5 MB open document made from seeds/ (examples/
# big_document.rs; 300 KB and 4 keystrokes with --smoke), with unique and with
# repeated ids, both text syncs.
#
# and prints a Markdown table of medians: wall time and peak RSS of `rg` and
# `check` (GNU time), the server's time from `initialize` to diagnostics for
# every file, p50/p95/max of edit → publishDiagnostics over N edits (default
# 100) and its peak RSS (VmHWM). Then it compares the medians with the targets.
#
# NEWSMARK_BENCH_BIN=PATH benchmarks another `newsmark` binary (e.g. one
# built from an older commit) with this checkout's generator and driver.
#
# --smoke: 200 articles, 1 run, 20 edits, debug build (for .ci/run, where
# `cargo test` has already built the debug binary and the examples; building
# the examples in release would also build the dev-dependencies in release).
# Any failure makes the exit status non-zero; a missed target never does.
# --debug / --release choose the build (default: release, debug for --smoke).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

SMOKE=0
RUNS=${NEWSMARK_BENCH_RUNS:-3}
EDITS=100
PROFILE=""
SIZES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) SMOKE=1 ;;
        --runs) RUNS=$2; shift ;;
        --edits) EDITS=$2; shift ;;
        --release) PROFILE=release ;;
        --debug) PROFILE=debug ;;
        -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) SIZES+=("$1") ;;
    esac
    shift
done
if [ "$SMOKE" = 1 ]; then
    [ ${#SIZES[@]} -eq 0 ] && SIZES=(200)
    RUNS=1
    EDITS=20
    PROFILE=${PROFILE:-debug}
fi
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000 10000 100000)
PROFILE=${PROFILE:-release}

BENCH_DIR=${NEWSMARK_BENCH_DIR:-$ROOT/target/bench-corpus}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

say() { echo "$@" >&2; }

# ------------------------------------------------------------------ tools

install_if_missing() { # command package
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "run.sh: installing $2 with apt-get"
        apt-get install -y -qq "$2" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$2" >/dev/null 2>&1; } || true
    fi
    command -v "$1" >/dev/null 2>&1 || { say "run.sh: $1 is missing: install $2"; exit 1; }
}
[ -x /usr/bin/time ] || { install_if_missing /usr/bin/time time; }
/usr/bin/time -f '%M' true 2>/dev/null || { say "run.sh: /usr/bin/time is not GNU time: install the 'time' package"; exit 1; }
install_if_missing rg ripgrep

# ------------------------------------------------------------------ build

say "run.sh: building ($PROFILE)"
if [ "$PROFILE" = release ]; then
    cargo build -q --release --bin newsmark --example gen_corpus --example lsp_bench --example big_document
else
    cargo build -q --bin newsmark --example gen_corpus --example lsp_bench --example big_document
fi
BIN=${NEWSMARK_BENCH_BIN:-$TARGET_DIR/$PROFILE/newsmark}
GEN=$TARGET_DIR/$PROFILE/examples/gen_corpus
LSP=$TARGET_DIR/$PROFILE/examples/lsp_bench
BIG=$TARGET_DIR/$PROFILE/examples/big_document

# ------------------------------------------------------------------ helpers

median() { # values...
    printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# measure OUT_PREFIX EXPECTED_STATUS cmd... → sets ${OUT_PREFIX}_s and ${OUT_PREFIX}_kb
measure() {
    local prefix=$1 expected=$2
    shift 2
    local t0 t1 status=0
    t0=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$TMP/rss" "$@" >/dev/null 2>"$TMP/stderr" || status=$?
    t1=$(date +%s%N)
    if [ "$status" != "$expected" ]; then
        say "run.sh: \`$*\` exited with $status, expected $expected:"
        tail -5 "$TMP/stderr" >&2
        exit 1
    fi
    printf -v "${prefix}_s" '%s' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
    printf -v "${prefix}_kb" '%s' "$(tail -1 "$TMP/rss")"
}

field() { # line key
    tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "nan" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# ------------------------------------------------------------------ machine

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
RAM=$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
say "run.sh: $(nproc) CPUs ($CPU), $RAM RAM; load average $LOAD; $(rustc --version); $(rg --version | head -1)"
say "run.sh: commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); sizes ${SIZES[*]}; $RUNS run(s) each; $EDITS edits"

# ------------------------------------------------------------------ runs

GEN_HASH=$(cat examples/gen_corpus.rs | cksum | cut -d' ' -f1)
ROWS=()
REGISTRY_ROWS=()
VERDICTS=()
for SIZE in "${SIZES[@]}"; do
    DIR=$BENCH_DIR/n$SIZE
    if [ "$(cat "$DIR/.stamp" 2>/dev/null)" != "$GEN_HASH $SIZE" ]; then
        say "run.sh: generating $SIZE articles in $DIR"
        rm -rf "$DIR"
        "$GEN" "$SIZE" "$DIR" 2>/dev/null
        echo "$GEN_HASH $SIZE" >"$DIR/.stamp"
    fi
    FILES=$(find "$DIR" -name '*.news.md' | wc -l)
    BYTES=$(find "$DIR" -name '*.news.md' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
    CORPUS_KB=$((BYTES / 1024))

    # Warm the page cache, and check the corpus has no error-level finding.
    rg -c ']\{' "$DIR" >/dev/null
    "$BIN" check --format json "$DIR" >"$TMP/check.json" || {
        say "run.sh: newsmark check found errors in the generated corpus (or failed)"
        grep -Eo '"severity": *"error"' "$TMP/check.json" | wc -l >&2 || true
        exit 1
    }
    WARNINGS=$( (grep -Eo '"severity": *"warning"' "$TMP/check.json" || true) | wc -l)

    RG_S=() RG_KB=() CK_S=() CK_KB=() READY=() P50=() P95=() MAX=() LSP_KB=() OTHERS=()
    REG50=() REG95=() RTB=() RTT=()
    for run in $(seq "$RUNS"); do
        say "run.sh: $SIZE articles, run $run/$RUNS"
        measure rg 0 rg -c ']\{' "$DIR"
        measure ck 0 "$BIN" check --format json "$DIR"
        LINE=$(timeout 1800 "$LSP" "$DIR" --server "$BIN" --edits "$EDITS" --timeout 1750) || { say "run.sh: lsp_bench failed or timed out (30 min)"; exit 1; }
        say "  rg ${rg_s}s ${rg_kb}KB; check ${ck_s}s ${ck_kb}KB; lsp $LINE"
        RG_S+=("$rg_s") RG_KB+=("$rg_kb") CK_S+=("$ck_s") CK_KB+=("$ck_kb")
        READY+=("$(field "$LINE" ready_ms)") P50+=("$(field "$LINE" p50_ms)") P95+=("$(field "$LINE" p95_ms)")
        MAX+=("$(field "$LINE" max_ms)") LSP_KB+=("$(field "$LINE" rss_kb)") OTHERS+=("$(field "$LINE" others_per_edit)")
        REG50+=("$(field "$LINE" registry_type_p50_ms)") REG95+=("$(field "$LINE" registry_type_p95_ms)")
        RTB+=("$(field "$LINE" retype_busiest_p50_ms)") RTT+=("$(field "$LINE" retype_typical_p50_ms)")
        RTB_FILES=$(field "$LINE" retype_busiest_files) RTT_FILES=$(field "$LINE" retype_typical_files)
    done
    reg50=$(median "${REG50[@]}") reg95=$(median "${REG95[@]}") rtb=$(median "${RTB[@]}") rtt=$(median "${RTT[@]}")
    REGISTRY_ROWS+=("| $SIZE | $reg50 | $reg95 | $rtt ($RTT_FILES files) | $rtb ($RTB_FILES files) |")
    rg_s=$(median "${RG_S[@]}") ck_s=$(median "${CK_S[@]}") ck_kb=$(median "${CK_KB[@]}")
    ready=$(median "${READY[@]}") p50=$(median "${P50[@]}") p95=$(median "${P95[@]}") max=$(median "${MAX[@]}")
    lsp_kb=$(median "${LSP_KB[@]}") others=$(median "${OTHERS[@]}")
    ROWS+=("| $SIZE | $(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') | $WARNINGS | $rg_s | $ck_s | $(ratio "$ck_s" "$rg_s")× | $(mb "$ck_kb") | $(ratio "$ck_kb" "$CORPUS_KB")× | $(awk -v m="$ready" 'BEGIN { printf "%.2f", m / 1000 }') | $p50 | $p95 | $max | $others | $(mb "$lsp_kb") | $(ratio "$lsp_kb" "$CORPUS_KB")× |")

    verdict() { # label value op limit
        if awk -v v="$2" -v l="$4" "BEGIN { exit !(v $3 l) }"; then VERDICTS+=("- $SIZE: $1 — met"); else VERDICTS+=("- $SIZE: $1 — MISSED"); fi
    }
    case "$SIZE" in
        10000)
            verdict "check within 3× rg ($(ratio "$ck_s" "$rg_s")×)" "$(ratio "$ck_s" "$rg_s")" "<=" 3
            verdict "server ready within 0.5 s ($(awk -v m="$ready" 'BEGIN { printf "%.2f", m / 1000 }') s)" "$ready" "<=" 500
            verdict "edit → diagnostics p95 ≤ 10 ms ($p95 ms)" "$p95" "<=" 10
            verdict "registry keystroke p95 ≤ 10 ms ($reg95 ms)" "$reg95" "<=" 10
            verdict "id retyped in the registry republishes its $RTT_FILES mentioning files ≤ 50 ms ($rtt ms)" "$rtt" "<=" 50
            verdict "check peak RSS ≤ 3× corpus ($(ratio "$ck_kb" "$CORPUS_KB")×)" "$ck_kb" "<=" "$((3 * CORPUS_KB))"
            verdict "server peak RSS ≤ 3× corpus ($(ratio "$lsp_kb" "$CORPUS_KB")×)" "$lsp_kb" "<=" "$((3 * CORPUS_KB))"
            ;;
        100000)
            verdict "check ≤ 10 s ($ck_s s)" "$ck_s" "<=" 10
            verdict "check peak RSS ≤ 2 GB ($(mb "$ck_kb") MB)" "$ck_kb" "<=" $((2 * 1024 * 1024))
            verdict "server peak RSS ≤ 2 GB ($(mb "$lsp_kb") MB)" "$lsp_kb" "<=" $((2 * 1024 * 1024))
            ;;
    esac
done

echo
echo "Medians of $RUNS run(s); $EDITS edits per server run; $(nproc) CPUs ($CPU), $RAM; $PROFILE build;"
echo "load average $LOAD before, $(cut -d' ' -f1-3 /proc/loadavg) after."
echo
echo "| articles | corpus MB | warnings | rg s | check s | check ÷ rg | check RSS MB | ÷ corpus | server ready s | edit p50 ms | edit p95 ms | edit max ms | files re-published per edit | server RSS MB | ÷ corpus |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "Shared registry (entities.news.md): keystroke → change applied (a request sent after it answered), and an id"
echo "retyped (last letter dropped / restored) → every file mentioning it re-published; medians in ms."
echo
echo "| articles | registry keystroke p50 | p95 | retype typical id | retype busiest id |"
echo "|---:|---:|---:|---:|---:|"
printf '%s\n' "${REGISTRY_ROWS[@]}"
# ------------------------------------------------------------------ one big document

BIG_BYTES=5000000 BIG_KEYS=20
[ "$SMOKE" = 1 ] && BIG_BYTES=300000 BIG_KEYS=4
BIG_ROWS=()
# Two documents: every copy of the seeds defining the same ids (12,915
# findings, 53 MB per publish: the protocol's cost), and --unique-ids (a
# long report: each copy renames its ids, 3,186 findings: the analysis's cost).
for VARIANT in unique-ids duplicate-ids; do
for SYNC in incremental full; do
    say "run.sh: big document ($BIG_BYTES bytes, $VARIANT), $SYNC sync"
    FLAGS=(); [ "$VARIANT" = unique-ids ] && FLAGS=(--unique-ids)
    LINE=$(timeout 1800 "$BIG" --server "$BIN" --dir "$BENCH_DIR/big-document-$VARIANT" --bytes "$BIG_BYTES" --keystrokes "$BIG_KEYS" --sync "$SYNC" "${FLAGS[@]}") || { say "run.sh: big_document failed or timed out (30 min)"; exit 1; }
    say "  $LINE"
    BIG_ROWS+=("| $VARIANT | $SYNC | $(awk -v b="$(field "$LINE" bytes)" 'BEGIN { printf "%.1f", b / 1e6 }') | $(awk -v b="$(field "$LINE" publish_bytes)" 'BEGIN { printf "%.1f", b / 1e6 }') | $(field "$LINE" finding_p50_ms) | $(field "$LINE" finding_p95_ms) | $(field "$LINE" inline_p50_ms) | $(field "$LINE" inline_p95_ms) | $(mb "$(field "$LINE" peak_rss_kb)") |")
    [ "$SMOKE" = 1 ] || [ "$SYNC" != incremental ] || {
        p95=$(field "$LINE" inline_p95_ms)
        if awk -v v="$p95" 'BEGIN { exit !(v <= 10) }'; then VERDICTS+=("- big document ($VARIANT): keystroke inside a line p95 ≤ 10 ms ($p95 ms) — met"); else VERDICTS+=("- big document ($VARIANT): keystroke inside a line p95 ≤ 10 ms ($p95 ms) — MISSED"); fi
    }
done
done
echo
echo "One big open document (seeds/ repeated; examples/big_document.rs), $BIG_KEYS keystrokes each: a new finding typed"
echo "at the start → its publishDiagnostics received; a letter typed inside a prose line → a request after it answered."
echo
echo "| ids | sync | document MB | publish MB | new finding p50 ms | p95 | inside a line p50 ms | p95 | server RSS MB |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${BIG_ROWS[@]}"
if [ ${#VERDICTS[@]} -gt 0 ]; then
    echo
    echo "Targets:"
    printf '%s\n' "${VERDICTS[@]}"
fi
