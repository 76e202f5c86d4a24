#!/usr/bin/env bash
# Helpers shared by the start and test commands. Sourced after scripts/toolchain.sh.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '[data-mesh-portal] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"
  fi
}

# Debian packages the repository needs, installed when missing.
apt_install() {
  say "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2 ||
    die "apt-get install $* failed; re-run to resume"
}

install_node_packages() {
  cd "$repo_root"
  if ! yarn install --no-immutable >"$repo_root/.toolchain/yarn-install.log" 2>&1; then
    grep -E 'YN0001|YN0009|YN0018|YN0028|YN0082' "$repo_root/.toolchain/yarn-install.log" | head -20 >&2
    die "yarn install failed (full log: .toolchain/yarn-install.log); re-run to resume"
  fi
}

port_in_use() {
  node -e '
    const s = require("net").createServer();
    s.once("error", () => process.exit(0));
    s.listen(Number(process.argv[1]), "127.0.0.1", () => s.close(() => process.exit(1)));
  ' "$1"
}

require_free_ports() {
  local port
  for port in "$@"; do
    if port_in_use "$port"; then
      die "port $port is already in use (stop whatever listens there, e.g. 'ss -ltnp | grep :$port')"
    fi
  done
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_for_http() { # url seconds
  local url="$1" deadline=$((SECONDS + $2))
  until curl -s -o /dev/null "$url"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 1
  done
}

ensure_chromium() {
  command -v chromium >/dev/null || apt_install chromium
  export DMP_CHROMIUM="$(command -v chromium)"
}

# A throwaway PostgreSQL 15 server owned by this run, on a free loopback port.
# Sets BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING and DMP_PG_DIR.
start_test_postgres() {
  local bin=/usr/lib/postgresql/15/bin
  [ -x "$bin/initdb" ] || apt_install postgresql-15
  local dir port owner=""
  dir="$(mktemp -d /tmp/dmp-pg.XXXXXX)"
  port="$(free_port)"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
    owner="postgres"
  fi
  run_pg() { if [ -n "$owner" ]; then su "$owner" -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
  run_pg "$bin/initdb -D $dir/data -U postgres --auth=trust -E UTF8 >$dir/initdb.log 2>&1" ||
    die "PostgreSQL initdb failed: $(tail -3 "$dir/initdb.log")"
  run_pg "$bin/pg_ctl -D $dir/data -l $dir/server.log -w -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' start >/dev/null" ||
    die "PostgreSQL did not start: $(tail -5 "$dir/server.log")"
  export DMP_PG_DIR="$dir"
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres:postgres@127.0.0.1:$port"
  say "PostgreSQL 15 test server on 127.0.0.1:$port"
}

stop_test_postgres() {
  [ -n "${DMP_PG_DIR:-}" ] || return 0
  local cmd="/usr/lib/postgresql/15/bin/pg_ctl -D $DMP_PG_DIR/data -m immediate stop"
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$cmd" >/dev/null 2>&1; else $cmd >/dev/null 2>&1; fi
  rm -rf "$DMP_PG_DIR"
}
