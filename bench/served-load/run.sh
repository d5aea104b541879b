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
  npm run --silent build:webclient
  image/build.sh >/dev/null
fi
. test/e2e/suite-ca.sh bench
# Not exec: the CA's folder is removed when this script exits.
npx ts-node --transpile-only bench/served-load/main.ts
