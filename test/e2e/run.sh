#!/usr/bin/env bash
# The e2e suite: rendered configs in real Prosody 13 (our image, via buildah) and
# Prosody 0.12 (Debian bookworm), with real PostgreSQL, the upload gateway (its
# own image) against an S3-compatible server, and a real XMPP client.
# Needs root and the packages of scripts/install-e2e-deps.sh; says what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
for tool in buildah podman debootstrap dpkg-scanpackages prosody prosodyctl openssl runuser ss lua5.4 dnsmasq sslscan unshare chroot chromium certutil pebble knotd knotc; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
for package in prosody-modules lua-dbi-sqlite3 lua-dbi-postgresql postgresql; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "test:e2e: missing ${missing[*]}. Install them with: sudo scripts/install-e2e-deps.sh" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "test:e2e: run as root (buildah's chroot isolation, and Prosody/PostgreSQL run as their own users)" >&2
  exit 1
fi

# The suite's programs and images are for one moment (the reproducible-builds convention the
# component reads): the Prosody image is built for this week's packages, as a `pulumi up` today
# would build it (image.refresh weekly), and image-updates.test.ts builds the next week's.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(date +%s)}"
npm run --silent build:webclient
npm run --silent build:gateway
npm run --silent build:backup
npm run --silent build:renewer
npm run --silent build:watchdog
node -r ts-node/register/transpile-only test/e2e/build-images.ts

. test/e2e/suite-ca.sh e2e

# Test files named on the command line run alone (mocha would add them to the config's spec and run
# everything). No exec: suite-ca.sh's EXIT trap removes the CA when mocha is done.
for argument in "$@"; do
  case "$argument" in
    *.test.ts)
      npx mocha --no-config --require ts-node/register/transpile-only --extension ts \
        --timeout 120000 --slow 10000 "$@"
      exit
      ;;
  esac
done
npx mocha --config .mocharc.e2e.json "$@"
