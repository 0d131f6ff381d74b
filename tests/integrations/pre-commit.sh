#!/usr/bin/env bash
# The pre-commit hook with the real pre-commit: a temporary git repository
# of articles, a clean commit that passes and a commit with an uncited
# figure that is blocked. The hook is this repository's .pre-commit-hooks.yaml
# entry, run as a `repo: local` hook on the binary built here (a `repo:`
# pointing at this path would make pre-commit rebuild the crate from scratch).
#
#   NEWSMARK_BIN   the binary (default target/release/newsmark, else debug)
#   PRE_COMMIT     the pre-commit executable (default: on PATH, else the venv
#                  under target/ that .ci/run makes)
# Outside CI, a machine without pre-commit skips with a message; in CI
# (CI=true) that is a failure.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${NEWSMARK_BIN:-}
[ -n "$bin" ] || for b in "$repo/target/release/newsmark" "$repo/target/debug/newsmark"; do [ -x "$b" ] && { bin=$b; break; }; done
[ -x "$bin" ] || { echo "pre-commit test: no newsmark binary (cargo build first)"; exit 1; }
pre_commit=${PRE_COMMIT:-$(command -v pre-commit || true)}
[ -n "$pre_commit" ] || [ ! -x "$repo/target/venv/bin/pre-commit" ] || pre_commit=$repo/target/venv/bin/pre-commit
if [ -z "$pre_commit" ]; then
  if [ "${CI:-}" = true ]; then echo "pre-commit test: pre-commit is not installed"; exit 1; fi
  echo "pre-commit test: SKIPPED (pre-commit not installed; pip install pre-commit)"; exit 0
fi
"$pre_commit" validate-manifest "$repo/.pre-commit-hooks.yaml" || { echo "FAIL: .pre-commit-hooks.yaml is not a valid manifest"; exit 1; }
python=$(head -1 "$pre_commit" | sed -n 's/^#!//p'); [ -x "$python" ] || python=python3

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q articles && cd articles
git config user.email test@example.org; git config user.name test; git config commit.gpgsign false
# The hook definition, as a local hook running the built binary.
# With `args`, the user's override of the definition's default arguments.
config() {
  "$python" - "$repo/.pre-commit-hooks.yaml" "$bin" "$@" > .pre-commit-config.yaml <<'PY'
import json, sys, yaml
hook = yaml.safe_load(open(sys.argv[1]))[0]
assert hook["pass_filenames"] is True and hook["entry"].startswith("newsmark ")
hook["entry"] = sys.argv[2] + hook["entry"][len("newsmark"):]
hook["language"] = "system"
if len(sys.argv) > 3:
    hook["args"] = json.loads(sys.argv[3])
print(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}))
PY
}
config
cat > entities.news.md <<'MD'
::: entity nato
name: NATO
kind: organisation
:::

::: source wire
title: Wire report
published: 2020-02-12
:::
MD
mkdir -p desk
cat > desk/a.news.md <<'MD'
---
id: a
published: 2020-02-13
---

[NATO]{ent=nato} has [about 500 trainers]{fig=trainers}[@wire] in Iraq.
MD
"$pre_commit" install >/dev/null
git add -A
# 1. Clean: passes, although desk/a.news.md alone names an entity and a
#    source defined in another file (checked within its project).
git commit -qm clean || { echo "FAIL: the clean commit was blocked"; exit 1; }
# 2. An uncited figure blocks the commit (the definition's --deny warnings).
printf '\nAnd [40 jets]{fig=jets}.\n' >> desk/a.news.md
git add desk/a.news.md
if out=$(git commit -qm "uncited" 2>&1); then echo "FAIL: the uncited figure was not blocked"; exit 1; fi
grep -q "uncited-figure" <<<"$out" || { echo "FAIL: no uncited-figure in the hook output:"; echo "$out"; exit 1; }
grep -q "desk/a.news.md" <<<"$out" || { echo "FAIL: the hook output names no file:"; echo "$out"; exit 1; }
# With `args: []`, warnings pass and errors still block.
config '[]'
git add -A
git commit -qm "uncited, allowed" || { echo "FAIL: a warning blocked the commit with args: []"; exit 1; }
printf '\nSaid [NATO]{ent=natto}.\n' >> desk/a.news.md
git add -A
if git commit -qm "unknown entity" >/dev/null 2>&1; then echo "FAIL: an error was not blocked"; exit 1; fi
# 3. A commit touching no article: the hook is skipped, not failed.
git reset -q --hard HEAD
echo notes > notes.txt && git add notes.txt
git commit -qm "no articles" || { echo "FAIL: a commit without articles was blocked"; exit 1; }
echo "pre-commit test: ok (a clean commit passed; an uncited figure and an unknown entity were blocked)"
