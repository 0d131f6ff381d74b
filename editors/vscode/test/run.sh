#!/usr/bin/env bash
# Builds, packages and tests the VS Code extension, ending with an end-to-end test in a real
# VS Code (code-server 4.96.4, driven by Debian's Chromium through playwright-core) against the
# real `newsmark lsp`. docs/editors.md explains the set-up.
#
# Environment:
#   NEWSMARK_BIN        the newsmark binary (default: $REPO/target/release/newsmark)
#   NEWSMARK_CACHE      installs cached between runs (default: $REPO/.e2e/cache)
#   NEWSMARK_SEEDS      the workspace to copy and open (default: $REPO/seeds)
#   NEWSMARK_ARTIFACTS  screenshots and logs of a failed run (default: $REPO/.e2e/artifacts/vscode)
#   NEWSMARK_SCREENSHOT the screenshot of inlay hints and code lenses (default: $REPO/target/vscode-e2e/hints-and-lenses.png)
#   SKIP_E2E=1          stop after packaging (no code-server, no Chromium)
# Prints `vscode e2e: N passed, M failed` last; exits non-zero on any failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)   # editors/vscode
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${NEWSMARK_CACHE:-$REPO/.e2e/cache}
BIN=${NEWSMARK_BIN:-$REPO/target/release/newsmark}
SEEDS=${NEWSMARK_SEEDS:-$REPO/seeds}
ARTIFACTS=${NEWSMARK_ARTIFACTS:-$REPO/.e2e/artifacts/vscode}
CS_VERSION=4.96.4
CS_DIR=$CACHE/code-server-$CS_VERSION
CS=$CS_DIR/node_modules/.bin/code-server

# What the seeds workspace must show (see docs/editors.md, "Testing").
FILE=${NEWSMARK_E2E_FILE:-forces-news-2020-02-13.news.md}
export E2E_CODES=${NEWSMARK_E2E_CODES:-uncited-figure,conflicting-attribution}
export E2E_WORKSPACE_CODES=${NEWSMARK_E2E_WORKSPACE_CODES:-conflicting-attribution}
export E2E_HOVER_AT=${NEWSMARK_E2E_HOVER_AT:-]{ent=stoltenberg\}}
export E2E_HOVER_EXPECT=${NEWSMARK_E2E_HOVER_EXPECT:-Secretary General of NATO}

started=$SECONDS
passed=0
failed=0
mkdir -p "$CACHE"
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/newsmark-vscode-test.XXXXXX")
CS_PID=
E2E_PID=

log() { printf '[vscode %3ds] %s\n' "$((SECONDS - started))" "$*"; }
summary() {
  log "done in $((SECONDS - started))s"
  echo "vscode e2e: $passed passed, $failed failed"
}
stop_group() { # stop a process group this script started with setsid, by its id
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  stop_group "$E2E_PID"
  stop_group "$CS_PID"
  if [ "${KEEP_TMP:-}" = 1 ]; then echo "kept $LOGS"; else rm -rf "$LOGS"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# step NAME TIMEOUT CMD...: runs CMD (bounded), counts it, shows its log on failure.
step() {
  local name=$1 limit=$2
  shift 2
  local t0=$SECONDS slug
  slug=$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '-')
  if (cd "$HERE" && timeout -k 10 "$limit" "$@") >"$LOGS/$slug.log" 2>&1; then
    passed=$((passed + 1))
    log "PASS $name ($((SECONDS - t0))s)"
  else
    local rc=$?
    failed=$((failed + 1))
    log "FAIL $name (exit $rc after $((SECONDS - t0))s)"
    sed 's/^/    /' "$LOGS/$slug.log" | tail -n 60
    return 1
  fi
}
abort() {
  log "$*"
  summary
  exit 1
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}
ensure_apt() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ---------------------------------------------------------------- build, check, package
command -v node >/dev/null || abort "node is not installed (Node 20 is needed)"
log "node $(node -v), npm $(npm -v 2>/dev/null)"

step "npm ci" 600 npm ci --no-audit --no-fund --cache "$CACHE/npm" || abort "npm ci failed"
step "type check (tsc)" 300 npm run --silent typecheck || true
step "grammar tests (vscode-tmgrammar-test)" 300 npm run --silent test:grammar || true
step "Markdown preview plugin (markdown-it)" 300 npm run --silent test:preview || true
step "bundle (esbuild)" 300 npm run --silent bundle || abort "bundling failed"
rm -f "$HERE/newsmark.vsix"
step "package (vsce)" 300 npm run --silent package || abort "packaging failed"
python3 -m zipfile -l "$HERE/newsmark.vsix" | sed 's/^/    /'
if [ "${SKIP_E2E:-}" = 1 ]; then
  summary
  [ "$failed" -eq 0 ]
  exit
fi

# ---------------------------------------------------------------- end to end in code-server
[ -x "$BIN" ] || { failed=$((failed + 1)); abort "FAIL no newsmark binary at $BIN (cargo build --release, or set NEWSMARK_BIN)"; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
[ -f "$SEEDS/$FILE" ] || { failed=$((failed + 1)); abort "FAIL $SEEDS/$FILE does not exist"; }

ensure_apt chromium libkrb5-dev ripgrep || { failed=$((failed + 1)); abort "FAIL apt-get install chromium libkrb5-dev ripgrep"; }
case "$(node -v)" in v20.*) ;; *) log "warning: code-server $CS_VERSION expects Node 20, this is $(node -v)" ;; esac
if [ ! -f "$CS_DIR/.installed" ] || ! "$CS" --version >/dev/null 2>&1; then
  log "installing code-server $CS_VERSION into $CS_DIR (2-4 minutes)"
  NEWSMARK_NPM_CACHE=$CACHE/npm step "install code-server $CS_VERSION" 900 "$HERE/test/install-code-server.sh" "$CS_DIR" "$CS_VERSION" ||
    abort "could not install code-server"
fi
log "code-server $("$CS" --version 2>/dev/null | head -n1)"

rm -rf "$ARTIFACTS"
TMP=$LOGS/run
WS=$TMP/workspace
UD=$TMP/user-data
EXT=$TMP/extensions
mkdir -p "$TMP/home" "$TMP/config" "$TMP/data" "$TMP/cache" "$UD/User" "$EXT"
cp -R "$SEEDS" "$WS"
export HOME=$TMP/home XDG_CONFIG_HOME=$TMP/config XDG_DATA_HOME=$TMP/data XDG_CACHE_HOME=$TMP/cache
export E2E_SETTINGS=$UD/User/settings.json E2E_SERVER_PATH=$BIN
node -e '
  const [file, bin, machine] = process.argv.slice(1);
  require("fs").writeFileSync(file, JSON.stringify({
    "security.workspace.trust.enabled": false,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "editor.autoClosingBrackets": "never",
    "editor.autoClosingQuotes": "never",
    "editor.autoIndent": "none",
    "editor.autoSurround": "never",
    "editor.formatOnType": false,
    "newsmark.trace.server": "messages",
  }, null, 2));
  // code-server is a remote window: the binary is a machine setting (the Settings editor'"'"'s Remote tab)
  require("fs").mkdirSync(require("path").dirname(machine), { recursive: true });
  require("fs").writeFileSync(machine, JSON.stringify({ "newsmark.server.path": bin }, null, 2));
' "$E2E_SETTINGS" "$BIN" "$UD/Machine/settings.json"

step "install the .vsix into code-server" 120 "$CS" --user-data-dir "$UD" --extensions-dir "$EXT" \
  --install-extension "$HERE/newsmark.vsix" || abort "could not install the .vsix"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export NEWSMARK_E2E_DIAGNOSTICS_FILE=$TMP/diagnostics.json
log "starting code-server on 127.0.0.1:$PORT with $WS"
setsid timeout -k 5 600 "$CS" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry \
  --disable-update-check --disable-workspace-trust --user-data-dir "$UD" --extensions-dir "$EXT" \
  "$WS" >"$TMP/code-server.log" 2>&1 &
CS_PID=$!
healthy=
for _ in $(seq 1 120); do
  if node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
    healthy=1
    break
  fi
  kill -0 "$CS_PID" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$healthy" ]; then
  failed=$((failed + 1))
  tail -n 40 "$TMP/code-server.log"
  abort "FAIL code-server did not become healthy"
fi
log "code-server is up"

set +e
E2E_SCREENSHOT=${NEWSMARK_SCREENSHOT:-$REPO/target/vscode-e2e/hints-and-lenses.png} \
E2E_URL=http://127.0.0.1:$PORT E2E_WORKSPACE=$WS E2E_FILE=$FILE E2E_ARTIFACTS=$ARTIFACTS \
  setsid timeout -k 5 480 node "$HERE/test/e2e/e2e.mjs" >"$TMP/e2e.log" 2>&1 &
E2E_PID=$!
tail -n +1 -f --pid="$E2E_PID" "$TMP/e2e.log" | sed 's/^/    /'
wait "$E2E_PID"
rc=$?
E2E_PID=
set -e
e2e_pass=$(grep -c '^PASS ' "$TMP/e2e.log" || true)
e2e_fail=$(grep -c '^FAIL ' "$TMP/e2e.log" || true)
[ "$rc" -ne 0 ] && [ "$e2e_fail" -eq 0 ] && e2e_fail=1 && log "e2e.mjs exited with $rc"
passed=$((passed + e2e_pass))
failed=$((failed + e2e_fail))

if [ "$e2e_fail" -ne 0 ]; then
  mkdir -p "$ARTIFACTS"
  cp "$TMP/code-server.log" "$TMP/e2e.log" "$ARTIFACTS/" 2>/dev/null || true
  [ -f "$NEWSMARK_E2E_DIAGNOSTICS_FILE" ] && cp "$NEWSMARK_E2E_DIAGNOSTICS_FILE" "$ARTIFACTS/"
  find "$UD/logs" -name '*Newsmark*.log' -exec cp {} "$ARTIFACTS/" \; 2>/dev/null || true
  for f in "$ARTIFACTS"/*Newsmark.log; do
    [ -f "$f" ] || continue
    echo "--- tail of $(basename "$f") ---"
    tail -n 30 "$f"
  done
  log "artifacts (screenshots, logs) in $ARTIFACTS"
fi
summary
[ "$failed" -eq 0 ]
