#!/usr/bin/env bash
# The served-load benchmark (main.ts): builds our Prosody 13 image if it is
# missing, makes a throwaway CA the load client trusts (NODE_EXTRA_CA_CERTS),
# and runs every configuration one after another. Needs root and the packages
# of scripts/install-e2e-deps.sh, like the e2e suite. Takes about 20 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then
  echo "bench:served-load: run as root (buildah's chroot isolation; Prosody and PostgreSQL run as their own users)" >&2
  exit 1
fi
for tool in buildah podman debootstrap openssl runuser ss; do
  command -v "$tool" >/dev/null || { echo "bench:served-load: $tool is missing. Install it with: sudo scripts/install-e2e-deps.sh" >&2; exit 1; }
done
if ! buildah --storage-driver "${STORAGE_DRIVER:-vfs}" inspect localhost/prosody-stack/prosody:13 >/dev/null 2>&1; then
  echo "bench:served-load: building the Prosody 13 image (image/build.sh)" >&2
  image/build.sh >/dev/null
fi
E2E_CA_DIR="$(mktemp -d /tmp/prosody-bench-ca.XXXXXX)"
trap 'rm -rf "$E2E_CA_DIR"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ProsodyStack bench CA" \
  -keyout "$E2E_CA_DIR/ca.key" -out "$E2E_CA_DIR/ca.crt" 2>/dev/null
chmod 0755 "$E2E_CA_DIR"
export E2E_CA_DIR NODE_EXTRA_CA_CERTS="$E2E_CA_DIR/ca.crt"
exec npx ts-node --transpile-only bench/served-load/main.ts
