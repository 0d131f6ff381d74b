#!/usr/bin/env bash
# End-to-end check of the eglot configuration shown in docs/editors.md (Emacs 28 with Debian's
# elpa-eglot, or Emacs 29+): the snippet is taken from the docs, loaded into a batch Emacs, and
# a seeds article is opened against the real `newsmark lsp`.
#
# Environment: NEWSMARK_BIN (default $REPO/target/release/newsmark), NEWSMARK_SEEDS, EMACS.
# Prints `emacs e2e: N passed, M failed` last; exits non-zero on any failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)   # editors/emacs
REPO=$(cd "$HERE/../.." && pwd)
BIN=${NEWSMARK_BIN:-$REPO/target/release/newsmark}
SEEDS=${NEWSMARK_SEEDS:-$REPO/seeds}
EMACS=${EMACS:-emacs}
export NEWSMARK_E2E_FILE=${NEWSMARK_E2E_FILE:-forces-news-2020-02-13.news.md}
export NEWSMARK_E2E_CODES=${NEWSMARK_E2E_CODES:-uncited-figure,conflicting-attribution}
export NEWSMARK_E2E_HOVER_AT=${NEWSMARK_E2E_HOVER_AT:-]{ent=stoltenberg\}}
export NEWSMARK_E2E_HOVER_EXPECT=${NEWSMARK_E2E_HOVER_EXPECT:-Secretary General of NATO}

die() {
  echo "emacs e2e: setup failed: $*" >&2
  echo "emacs e2e: 0 passed, 1 failed"
  exit 1
}
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

[ -x "$BIN" ] || die "no newsmark binary at $BIN (cargo build --release, or set NEWSMARK_BIN)"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
if ! command -v "$EMACS" >/dev/null || ! timeout 60 "$EMACS" --batch --eval "(require 'eglot)" >/dev/null 2>&1; then
  echo "installing emacs-nox and elpa-eglot"
  as_root env DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends emacs-nox elpa-eglot >/dev/null ||
    die "apt-get install emacs-nox elpa-eglot failed"
fi
echo "$("$EMACS" --version | head -n1)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/newsmark-emacs-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cp -R "$SEEDS" "$TMP/workspace"
mkdir -p "$TMP/workspace/.git" "$TMP/home"   # a project root, as in a checkout
export NEWSMARK_E2E_ROOT=$TMP/workspace
# The documented snippet: the first ```elisp block of the Emacs section.
awk '/^## Emacs/{s=1} s&&/^```elisp$/{b=1;next} b&&/^```$/{exit} b' "$REPO/docs/editors.md" >"$TMP/snippet.el"
grep -q eglot-server-programs "$TMP/snippet.el" || die "no eglot snippet found in docs/editors.md"

set +e
# --batch skips the user's init file but loads site-start (where Debian activates elpa-eglot).
(cd "$TMP/workspace" && HOME=$TMP/home PATH=$(dirname "$BIN"):$PATH timeout -k 5 120 \
  "$EMACS" --batch -l "$TMP/snippet.el" -l "$HERE/test/check.el") 2>&1 | grep -v '^Loading ' | tee "$TMP/out.txt"
rc=${PIPESTATUS[0]}
set -e
pass=$(grep -c '^PASS ' "$TMP/out.txt" || true)
fail=$(grep -c '^FAIL ' "$TMP/out.txt" || true)
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
echo "emacs e2e: $pass passed, $fail failed"
[ "$rc" -eq 0 ] && [ "$fail" -eq 0 ]
