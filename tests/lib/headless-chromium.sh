# Sourced by the Chromium page tests (editors/pandoc/test/run.sh, tests/report/run.sh):
# a scratch folder removed on exit, HOME/XDG dirs inside it (Chromium writes profile, cache
# and crash files there), and `browser`, headless Chromium with a fresh profile whose stderr
# (dbus chatter on machines without a session bus) goes to $scratch/chromium.log, shown by the
# caller only on failure.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch" XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache" XDG_DATA_HOME="$scratch/data"
browser() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$scratch/profile" "$@" 2>> "$scratch/chromium.log"
}
