#!/usr/bin/env bash
# `npm test`: installs what the tests need, then type-check, lint, unit, integration, e2e.
# Integration and e2e tests build real namespaces, so this runs as root (as CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "npm test builds real network namespaces: run it as root" >&2
  exit 1
fi

need=()
command -v ip >/dev/null || need+=(iproute2)
command -v unshare >/dev/null && command -v setpriv >/dev/null || need+=(util-linux)
command -v script >/dev/null || need+=(bsdutils) # a pseudo-terminal for the CLI tests
[ -x /usr/bin/chromium ] || need+=(chromium)
# Exports: DOT is checked with Graphviz; the PNG's labels are DejaVu Sans outlines.
command -v dot >/dev/null || need+=(graphviz)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v g++ >/dev/null && command -v make >/dev/null || need+=(g++ make)
# vethmap why: the tests ping between their own namespaces and build firewalls inside them.
command -v ping >/dev/null || need+=(iputils-ping)
command -v iptables >/dev/null && command -v iptables-restore >/dev/null || need+=(iptables)
command -v sysctl >/dev/null || need+=(procps)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

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
