#!/usr/bin/env bash
# Runs the `run:` steps of action.yml as GitHub's runner would (in order,
# with `${{ … }}` expressions, `env:`, `working-directory:` and `if:` on the
# cache result evaluated), without the `uses:` step (actions/cache): once as
# a cache miss (the build step runs; CARGO_TARGET_DIR points at this
# repository's target/, so an up-to-date release build makes it quick) and
# once as a cache hit (the build step is skipped). Checks that findings come
# out as workflow commands and that the exit code follows `args`.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
python=${PYTHON:-}
for p in "$repo/target/venv/bin/python" python3; do
  [ -n "$python" ] || { "$p" -c 'import yaml' 2>/dev/null && python=$p; } || true
done
if [ -z "$python" ]; then
  if [ "${CI:-}" = true ]; then echo "action test: no python with PyYAML"; exit 1; fi
  echo "action test: SKIPPED (no python with PyYAML)"; exit 0
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ws/articles" "$work/runner"
cat > "$work/ws/articles/a.news.md" <<'MD'
---
id: a
published: 2020-02-13
---

[about 500 trainers]{fig=trainers} in Iraq.
MD
export CARGO_TARGET_DIR=$repo/target

run_action() { # cache-hit paths args
  "$python" - "$repo/action.yml" "$repo" "$work" "$@" <<'PY'
import os, re, subprocess, sys, yaml
action_file, repo, work, cache_hit, paths, args = sys.argv[1:7]
action = yaml.safe_load(open(action_file))
inputs = {k: v.get("default", "") for k, v in action["inputs"].items()}
inputs.update(paths=paths, args=args)
outputs = {}
env = dict(os.environ, RUNNER_OS="Linux", RUNNER_TEMP=f"{work}/runner", GITHUB_WORKSPACE=f"{work}/ws",
           GITHUB_ACTION_PATH=repo)

def expr(text):
    def one(m):
        e = m.group(1).strip()
        if e == "github.action_path": return repo
        if e.startswith("inputs."): return inputs[e[7:]]
        m2 = re.fullmatch(r"steps\.(\w+)\.outputs\.([\w-]+)", e)
        if m2: return outputs.get(m2.group(1), {}).get(m2.group(2), "")
        raise SystemExit(f"unknown expression {e}")
    return re.sub(r"\$\{\{(.*?)\}\}", one, str(text))

status = 0
for step in action["runs"]["steps"]:
    sid = step.get("id", "")
    if "uses" in step:
        assert step["uses"].startswith("actions/cache@"), step
        outputs[sid] = {"cache-hit": cache_hit}
        continue
    cond = step.get("if")
    if cond:
        assert cond == "steps.cache.outputs.cache-hit != 'true'", cond
        if outputs["cache"]["cache-hit"] == "true":
            print(f"-- skipped: {step['name']}", file=sys.stderr)
            continue
    out_file = f"{work}/runner/output-{sid or 'x'}"
    open(out_file, "w").close()
    step_env = dict(env, GITHUB_OUTPUT=out_file)
    step_env.update({k: expr(v) for k, v in step.get("env", {}).items()})
    cwd = expr(step.get("working-directory", f"{work}/ws"))
    assert step["shell"] == "bash"
    print(f"-- running: {step['name']}", file=sys.stderr)
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", expr(step["run"])], cwd=cwd, env=step_env)
    outputs[sid] = dict(line.rstrip("\n").split("=", 1) for line in open(out_file) if "=" in line)
    if result.returncode != 0:
        status = result.returncode
        break
sys.exit(status)
PY
}

# Cache miss: builds, then checks; a warning alone exits 0.
out=$(run_action false articles "")
grep -q '^::warning file=articles/a.news.md,line=6,col=1,.*title=newsmark uncited-figure::' <<<"$out" \
  || { echo "FAIL: no annotation for the uncited figure:"; echo "$out"; exit 1; }
[ -x "$work/runner/newsmark-bin/newsmark" ] || { echo "FAIL: the build step left no binary"; exit 1; }
# Cache hit: the build step is skipped, the cached binary runs; --deny warnings fails.
if out=$(run_action true articles "--deny warnings"); then echo "FAIL: --deny warnings did not fail"; exit 1; fi
grep -q 'uncited-figure' <<<"$out" || { echo "FAIL: no annotation on the cache hit:"; echo "$out"; exit 1; }
echo "action test: ok (build, cache hit, annotations, exit codes)"
