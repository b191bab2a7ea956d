#!/usr/bin/env bash
# Installs the Debian packages a script needs, by purpose, when they are missing:
#   base      what reads and builds namespaces (ip, unshare, setpriv) and builds the addon
#   browser   Debian's Chromium, driven by playwright-core (its own download fails here)
#   diagrams  Graphviz (the DOT export is checked with it) and the PNG labels' font
#   test      the rest of the test suite's needs: a pseudo-terminal, Docker, ping, iptables
# `npm test` asks for all four, `npm run bench` for base, browser and diagrams, `npm run
# fuzz` for base. Runs apt-get only when something is missing (so as root, as those do).
set -euo pipefail

need=()
for purpose in "$@"; do
  case "$purpose" in
    base)
      command -v ip >/dev/null || need+=(iproute2)
      command -v unshare >/dev/null && command -v setpriv >/dev/null || need+=(util-linux)
      command -v g++ >/dev/null && command -v make >/dev/null || need+=(g++ make)
      ;;
    browser)
      [ -x /usr/bin/chromium ] || need+=(chromium)
      ;;
    diagrams)
      command -v dot >/dev/null || need+=(graphviz)
      [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
      ;;
    test)
      command -v script >/dev/null || need+=(bsdutils) # a pseudo-terminal for the CLI tests
      command -v docker-compose >/dev/null || need+=(docker-compose)
      # The Docker test (server/test/integration/docker-engine.test.ts): a real engine, a
      # static busybox to import as an image, debootstrap for the local Node base images.
      command -v dockerd >/dev/null || need+=(docker.io)
      dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
      command -v debootstrap >/dev/null || need+=(debootstrap)
      # vethmap why: the tests ping between their own namespaces and build firewalls inside them.
      command -v ping >/dev/null || need+=(iputils-ping)
      command -v iptables >/dev/null && command -v iptables-restore >/dev/null || need+=(iptables)
      command -v sysctl >/dev/null || need+=(procps)
      ;;
    *)
      echo "packages.sh: unknown purpose '$purpose' (base, browser, diagrams, test)" >&2
      exit 2
      ;;
  esac
done

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${need[*]} (run as root, or install them: apt-get install ${need[*]})" >&2
    exit 1
  fi
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
