#!/usr/bin/env bash
# Installs code-server (VS Code's real server and extension host) from npm into $1, with the
# workarounds that avoid GitHub downloads. Needs Node 20, ripgrep, libkrb5-dev.
# Usage: install-code-server.sh DIR [VERSION] ; npm's cache is $NEWSMARK_NPM_CACHE if set.
set -euo pipefail
CS_DIR=$1
CS_VERSION=${2:-4.96.4}
NPM_CACHE=${NEWSMARK_NPM_CACHE:-}
cache_args=()
[ -n "$NPM_CACHE" ] && cache_args=(--cache "$NPM_CACHE") && export npm_config_cache=$NPM_CACHE

rm -rf "$CS_DIR"
mkdir -p "$CS_DIR/tmp"
cd "$CS_DIR"
npm init -y >/dev/null
npm install --ignore-scripts --no-audit --no-fund "${cache_args[@]}" "code-server@$CS_VERSION"
npm rebuild argon2
cd node_modules/code-server
# 1. the shrinkwrap pins @vscode/proxy-agent to a GitHub git URL; the registry tarball is the same.
#    The registry is the one npm is configured with (`npm config get registry`), never a named host.
registry=$(npm config get registry)
registry=${registry%/}
sed -i "s#\"resolved\": \"git+ssh://git@github.com/microsoft/vscode-proxy-agent.git\#0803e0a7d1249bcb64ae9d256d0ee732b7246ea5\"#\"resolved\": \"$registry/@vscode/proxy-agent/-/proxy-agent-0.27.0.tgz\"#" lib/vscode/npm-shrinkwrap.json
# 2. @vscode/ripgrep's postinstall downloads rg from GitHub: seed its cache with Debian's rg
export TMPDIR=$CS_DIR/tmp
c=$TMPDIR/vscode-ripgrep-cache-1.15.9
mkdir -p "$c"
tar czf "$c/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
# 3. as root, postinstall wants unsafe-perm, which npm 11 only takes from the environment
npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" npm_config_unsafe_perm=true sh postinstall.sh
touch "$CS_DIR/.installed"
echo "code-server $CS_VERSION installed in $CS_DIR"
