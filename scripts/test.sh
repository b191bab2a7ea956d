#!/usr/bin/env bash
# `npm test`: installs what the tests need, then type-check, lint, unit, integration, e2e.
# Integration and e2e tests build real namespaces, so this runs as root (as CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "npm test builds real network namespaces: run it as root" >&2
  exit 1
fi

bash scripts/packages.sh base browser diagrams test

node scripts/ensure-built.mjs --force-install
npm run --silent typecheck
npm run --silent lint

results=$(mktemp)
trap 'rm -f "$results"' EXIT
status=0
# One file at a time across all projects: several files building namespaces and timing
# events at once would measure each other.
npx vitest run --no-file-parallelism --reporter=default --reporter=json --outputFile.json="$results" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  if (skipped && process.env.CI) { console.error("skipped tests under CI are failures"); process.exit(1); }
' "$results" || status=1
exit $status
