#!/usr/bin/env bash
# Forgets all local state: the portal's SQLite databases and the local AWS (DataZone
# stand-in and moto). The next start seeds the demo mesh again.
set -euo pipefail
repo_root="$(cd "$(dirname "$0")/.." && pwd)"
rm -rf "$repo_root/.data/backstage" "$repo_root/.data/local-aws"
echo "[data-mesh-portal] local state removed (.data/backstage, .data/local-aws)"
