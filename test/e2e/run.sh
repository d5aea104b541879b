#!/usr/bin/env bash
# The e2e suite: rendered configs in real Prosody 13 (our image, via buildah) and
# Prosody 0.12 (Debian bookworm), with real PostgreSQL, the upload gateway (its
# own image) against an S3-compatible server, and a real XMPP client.
# Needs root and the packages of scripts/install-e2e-deps.sh; says what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
for tool in buildah podman debootstrap prosody prosodyctl openssl runuser ss lua5.4 dnsmasq sslscan unshare chroot chromium certutil pebble knotd knotc; do
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

echo "test:e2e: building the Prosody 13 image (image/build.sh)" >&2
npm run --silent build:webclient
image/build.sh >/dev/null
echo "test:e2e: building the upload gateway image" >&2
npm run --silent build:gateway
image/build.sh prosody-stack/upload-gateway gateway >/dev/null
echo "test:e2e: building the backup runner's image" >&2
npm run --silent build:backup
image/build.sh prosody-stack/backup backup >/dev/null
echo "test:e2e: building the certificate renewer's image" >&2
npm run --silent build:renewer
image/build.sh prosody-stack/renewer renewer >/dev/null

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
