#!/usr/bin/env bash
# The fact-check page in a real browser (headless Chromium):
#  - the seeds' report: the DOM with script disabled (everything visible, the filter form
#    hidden), with script (the form shown), and with filters preset in the address
#    (#filter:f=…, #filter:o=…, #filter:k=…), checked by check_dom.py against
#    `newsmark check --format json`; a screenshot in target/report/seeds.png;
#  - the hostile workspace (tests/report/hostile): nothing from an article runs or loads.
# Installs chromium and python3 with apt-get when missing (CI runs on a clean machine).
# NEWSMARK_BIN: the binary to test (default: target/debug/newsmark, built if missing).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/target/report"
cd "$root"

missing=()
command -v chromium > /dev/null || missing+=(chromium)
command -v python3 > /dev/null || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" > /dev/null
fi
bin="${NEWSMARK_BIN:-$root/target/debug/newsmark}"
[ -x "$bin" ] || cargo build --quiet
echo "$("$bin" --version); $(chromium --version 2> /dev/null | head -1)"

# shellcheck source=../lib/headless-chromium.sh
. "$root/tests/lib/headless-chromium.sh"
dom() { # dom NAME URL [chromium flags…]
  local name="$1" url="$2"; shift 2
  if ! browser "$@" --dump-dom "$url" > "$out/$name.dom.html" || [ ! -s "$out/$name.dom.html" ]; then
    echo "FAIL $name: chromium could not load $url"; tail -5 "$scratch/chromium.log"; exit 1
  fi
}

rm -rf "$out"; mkdir -p "$out"
"$bin" report seeds --out "$out/seeds.html"
"$bin" check seeds --format json > "$out/seeds.check.json" || true
page="file://$out/seeds.html"
# --dump-dom needs script to serialise the page, so "script disabled" is the page with its one
# script element removed (the DOM is then what a browser with script off builds); the
# screenshot with script really disabled is taken too.
python3 -c 'import re,sys; s=open(sys.argv[1]).read(); open(sys.argv[2],"w").write(re.sub(r"<script>.*?</script>", "", s, flags=re.S))' \
  "$out/seeds.html" "$out/seeds.noscript.html"
dom seeds.noscript "file://$out/seeds.noscript.html"
browser --blink-settings=scriptEnabled=false --window-size=1200,1800 --screenshot="$out/seeds.noscript.png" "$page" > /dev/null
dom seeds.script "$page"
dom seeds.contradicting "$page#filter:f=contradicting-figure"
dom seeds.outlet "$page#filter:o=o1"
dom seeds.key "$page#filter:k=k0"
browser --window-size=1200,1800 --screenshot="$out/seeds.png" "$page" > /dev/null
[ -s "$out/seeds.png" ] || { echo "FAIL: no screenshot"; tail -5 "$scratch/chromium.log"; exit 1; }

cp -r "$here/hostile" "$scratch/hostile"; mkdir -p "$scratch/hostile/.git"
(cd "$scratch/hostile" && "$bin" report . --out "$out/hostile.html")
dom hostile.script "file://$out/hostile.html"

python3 "$here/check_dom.py" "$out"
echo "report page test: passed; pages, DOMs and the screenshot in $out"
