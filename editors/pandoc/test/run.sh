#!/usr/bin/env bash
# Rendering test of editors/pandoc/newsmark.lua:
#  1. unit.sh: the filter on small hostile inputs (pandoc only);
#  2. every seeds/*.news.md rendered with the filter to HTML under target/render/, each page
#     opened in headless Chromium: a screenshot (target/render/NAME.png) and the DOM as the
#     browser built it (target/render/NAME.dom.html), checked by check_dom.py for the
#     articles (files with front matter) and for literal markup on every page.
# Installs pandoc, chromium and python3 with apt-get when missing (CI runs on a clean machine).
# Exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
filter="$here/../newsmark.lua"
seeds="$root/seeds"
out="$root/target/render"

missing=()
command -v pandoc > /dev/null || missing+=(pandoc)
command -v chromium > /dev/null || missing+=(chromium)
command -v python3 > /dev/null || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" > /dev/null
fi
echo "$(pandoc --version | head -1); $(chromium --version 2> /dev/null | head -1)"

bash "$here/unit.sh"

# Without the filter, stock pandoc must still render every seed's definition blocks as divs
# (the attribute form, docs/rendering.md "Without the filter"): no `:::` fence in the HTML.
for source in "$seeds"/*.news.md; do
  blocks=$(grep -cE '^:::+ *\{' "$source" || true)
  divs=$(pandoc -t html --wrap=none "$source" | grep -cE '<div id="[^"]+" class="(entity|source|quantity)"' || true)
  if pandoc -t html "$source" | grep -q ':::' || [ "$divs" -ne "$blocks" ]; then
    echo "FAIL $(basename "$source"): stock pandoc shows ::: fences or renders $divs of $blocks definition blocks as divs"
    exit 1
  fi
done
echo "stock pandoc: every seed definition block is a div"

# shellcheck source=../../tests/lib/headless-chromium.sh
. "$root/tests/lib/headless-chromium.sh"

rm -rf "$out"; mkdir -p "$out"
failures=0
for source in "$seeds"/*.news.md; do
  name="$(basename "$source" .news.md)"
  html="$out/$name.html"
  if ! pandoc --lua-filter "$filter" -s "$source" -o "$html" 2> "$out/$name.pandoc.log" || [ -s "$out/$name.pandoc.log" ]; then
    echo "FAIL $name: pandoc:"; sed 's/^/    /' "$out/$name.pandoc.log"; failures=$((failures + 1)); continue
  fi
  if ! browser --dump-dom "file://$html" > "$out/$name.dom.html" || [ ! -s "$out/$name.dom.html" ]; then
    echo "FAIL $name: chromium could not load the page"; tail -5 "$scratch/chromium.log"; failures=$((failures + 1)); continue
  fi
  if ! browser --window-size=1100,2400 --screenshot="$out/$name.png" "file://$html" > /dev/null || [ ! -s "$out/$name.png" ]; then
    echo "FAIL $name: no screenshot"; tail -5 "$scratch/chromium.log"; failures=$((failures + 1))
  fi
  python3 "$here/check_dom.py" "$source" "$out/$name.dom.html" "$seeds" || failures=$((failures + 1))
done
articles=$(grep -l '^id:' "$seeds"/*.news.md | wc -l)
if [ "$articles" -lt 5 ]; then
  echo "FAIL: expected the five seed articles, found $articles files with front matter"; failures=$((failures + 1))
fi
if [ "$failures" -gt 0 ]; then
  echo "rendering test: $failures failure(s); pages and screenshots in $out"; exit 1
fi
echo "rendering test: $(ls "$seeds"/*.news.md | wc -l) pages rendered and checked ($articles articles); screenshots in $out"
