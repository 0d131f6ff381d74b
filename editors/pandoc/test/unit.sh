#!/usr/bin/env bash
# The filter on small hostile inputs, pandoc only (no browser, no Rust): every case under
# cases/NAME/ is rendered from inside its folder,
#   pandoc --lua-filter newsmark.lua -s input.news.md $(cat args) -t html
# and must succeed with nothing on stderr (a Lua error inside the filter is reported there
# as "[newsmark.lua] … left as is", a fatal one by pandoc), then meet its `expect` file:
#   contains TEXT   the HTML contains TEXT verbatim
#   lacks TEXT      the HTML does not contain TEXT
#   stderr TEXT     stderr has a line containing TEXT (then only such lines are allowed)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
filter="$here/../newsmark.lua"
failures=0
cases=0
for dir in "$here"/cases/*/; do
  name="$(basename "$dir")"
  cases=$((cases + 1))
  args=()
  if [ -f "$dir/args" ]; then read -r -a args < "$dir/args"; fi
  out="$(mktemp --suffix=.html)"; err="$(mktemp)"
  if ! (cd "$dir" && pandoc --lua-filter "$filter" -s input.news.md "${args[@]}" -t html --wrap=none -o "$out") 2> "$err"; then
    echo "FAIL $name: pandoc failed:"; sed 's/^/    /' "$err"; failures=$((failures + 1)); continue
  fi
  allowed=()
  while IFS= read -r line; do
    case "$line" in 'stderr '*) allowed+=("${line#stderr }") ;; esac
  done < "$dir/expect"
  for want in "${allowed[@]}"; do
    if ! grep -qF -- "$want" "$err"; then
      echo "FAIL $name: stderr lacks: $want"; failures=$((failures + 1)); fi
  done
  unexpected="$(grep -vF "${allowed[@]/#/-e}" "$err" || true)"
  if [ "${#allowed[@]}" -eq 0 ]; then unexpected="$(cat "$err")"; fi
  if [ -n "$unexpected" ]; then
    echo "FAIL $name: unexpected stderr:"; printf '%s\n' "$unexpected" | sed 's/^/    /'; failures=$((failures + 1))
  fi
  while IFS= read -r line; do
    case "$line" in
      '' | '#'* | 'stderr '*) continue ;;
      'contains '*) want="${line#contains }"
        if ! grep -qF -- "$want" "$out"; then
          echo "FAIL $name: missing: $want"; failures=$((failures + 1)); fi ;;
      'lacks '*) want="${line#lacks }"
        if grep -qF -- "$want" "$out"; then
          echo "FAIL $name: present: $want"; grep -nF -- "$want" "$out" | head -3 | sed 's/^/    /'
          failures=$((failures + 1)); fi ;;
      *) echo "FAIL $name: bad expect line: $line"; failures=$((failures + 1)) ;;
    esac
  done < "$dir/expect"
  rm -f "$out" "$err"
done
if [ "$failures" -gt 0 ]; then
  echo "pandoc filter unit cases: $failures failure(s) in $cases cases"; exit 1
fi
echo "pandoc filter unit cases: $cases cases passed"
