#!/usr/bin/env bash
# The README's test command: installs what is missing (Node 22, yarn, packages, Debian's
# Chromium and PostgreSQL 15), then runs every suite: type check, lint, the Jest suites of
# all packages on SQLite and PostgreSQL, and the browser tests against a started portal.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
source "$(dirname "$0")/lib.sh"
cd "$repo_root"

say "installing packages (yarn install)"
install_node_packages
ensure_chromium
start_test_postgres
trap stop_test_postgres EXIT

results="$repo_root/node_modules/.cache"
mkdir -p "$results"
rm -f "$results/jest-results.json" "$results/e2e-results.json"
status=0

say "type check"
# The whole repository in one program needs more than Node's default heap.
NODE_OPTIONS="--max-old-space-size=8192" yarn tsc || status=1
say "lint"
yarn backstage-cli repo lint >&2 || status=1

say "unit, contract and integration tests (Jest)"
CI=true yarn backstage-cli repo test --json --outputFile="$results/jest-results.json" || status=1

say "browser tests (Playwright + Chromium)"
if ! (cd e2e && yarn playwright test --config playwright.config.ts); then
  status=1
  # CI keeps only this output: print what each failed test's page showed.
  for context in "$results"/e2e-test-results/*/error-context.md; do
    [ -f "$context" ] || continue
    echo "--- page when it failed: ${context#"$results"/}"
    sed -n '/^# Page snapshot/,$p' "$context" | head -c 30000
  done
fi

node - "$results/jest-results.json" "$results/e2e-results.json" <<'JS'
const fs = require('fs');
const read = f => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : undefined);
const jest = read(process.argv[2]);
const e2e = read(process.argv[3]);
const passed = (jest?.numPassedTests ?? 0) + (e2e?.stats?.expected ?? 0);
const failed = (jest?.numFailedTests ?? 0) + (e2e?.stats?.unexpected ?? 0) +
  (jest ? 0 : 1) + (e2e ? 0 : 1); // a runner that produced no report counts as a failure
const skipped = (jest?.numPendingTests ?? 0) + (e2e?.stats?.skipped ?? 0);
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
JS
exit $status
