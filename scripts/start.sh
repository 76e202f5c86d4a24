#!/usr/bin/env bash
# The README's start command: installs what is missing, starts the local AWS (seeded with
# the demo mesh on first start) and the portal (app on :3000, backend on :7007, loopback).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
source "$(dirname "$0")/lib.sh"
cd "$repo_root"

APP_PORT=3000 BACKEND_PORT=7007 AWS_PORT="${DMP_LOCAL_AWS_PORT:-4566}"
require_free_ports "$APP_PORT" "$BACKEND_PORT" "$AWS_PORT"

say "installing packages (yarn install)"
install_node_packages

export DMP_DATA_DIR="$repo_root/.data"
mkdir -p "$DMP_DATA_DIR/backstage"
token_file="$DMP_DATA_DIR/script-token"
if [ ! -s "$token_file" ]; then
  (umask 077 && node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))' >"$token_file")
fi
export DMP_SCRIPT_TOKEN="${DMP_SCRIPT_TOKEN:-$(cat "$token_file")}"

aws_dir="$DMP_DATA_DIR/local-aws"
rm -f "$aws_dir/endpoint.env"
say "starting the local AWS on 127.0.0.1:$AWS_PORT"
node -r @backstage/cli/config/nodeTransform.cjs packages/local-aws/src/cli.ts start \
  --port "$AWS_PORT" --data-dir "$aws_dir" &
aws_pid=$!
trap 'kill $aws_pid 2>/dev/null || true; wait $aws_pid 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 180); do
  [ -s "$aws_dir/endpoint.env" ] && break
  kill -0 $aws_pid 2>/dev/null || die "the local AWS exited during start-up (see above)"
  sleep 1
done
[ -s "$aws_dir/endpoint.env" ] || die "the local AWS did not become ready in 180 s"
set -a; source "$aws_dir/endpoint.env"; set +a
# The local AWS accepts any key; never send a real profile's credentials to it.
unset AWS_PROFILE AWS_SESSION_TOKEN
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION="${AWS_REGION:-us-east-1}"

cat >&2 <<MSG
[data-mesh-portal] local AWS:  AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL  (any access key works, e.g.
                     AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
                     aws --endpoint-url $AWS_ENDPOINT_URL datazone list-domains)
[data-mesh-portal] portal:     http://localhost:$APP_PORT (backend http://localhost:$BACKEND_PORT)
[data-mesh-portal] API token for scripts: .data/script-token (Authorization: Bearer <token>)
MSG
yarn start
