#!/usr/bin/env bash
# Installs what the e2e suite needs on a Debian bookworm machine, as root:
# Prosody 0.12 + prosody-modules from bookworm (the 0.12 leg), LuaDBI drivers,
# PostgreSQL and dnsmasq (started by the suite on loopback ports, never as services), sslscan,
# ssh-keygen (a real Ed25519 backup key, as @pulumi/tls makes it), Chromium and certutil (the web client's browser test),
# pebble (Let's Encrypt's test ACME server) and Knot DNS (the zone its DNS-01 challenges are read from),
# buildah/podman/debootstrap to build our Prosody 13 image with no Docker engine, and dpkg-dev
# (dpkg-scanpackages: the archive that brings a newer package to the image-update test), and
# prometheus (promtool: the alert rules' tests in npm run test:truth) and prometheus-alertmanager (the
# monitoring e2e starts both on loopback; their services are never started).
# Packages already present are left alone; no service is started.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(
  prosody prosody-modules lua-dbi-sqlite3 lua-dbi-postgresql lua-unbound lua5.4
  postgresql openssl ca-certificates dnsmasq sslscan
  buildah podman debootstrap uidmap fuse-overlayfs openssh-client sqlite3
  chromium libnss3-tools pebble knot dpkg-dev prometheus prometheus-alertmanager
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

# Package scripts must not start Prosody or PostgreSQL as system services: the
# suite starts its own on loopback and stops them when done.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 0755 "$policy"
  created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT

apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
