#!/usr/bin/env bash
# The data-moves benchmark (main.ts): how long a storage switch, a backup and a
# restore take for N archived messages, on the Docker platform's containers
# replayed with buildah. Builds our Prosody and backup images if missing. Needs
# root and the packages of scripts/install-e2e-deps.sh, like the e2e suite.
#   npm run bench:data-moves                      (1,000, 10,000 and 100,000 messages)
#   DATA_MOVES_MESSAGES=1000,50000 npm run bench:data-moves
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then
  echo "bench:data-moves: run as root (buildah's chroot isolation; Prosody and PostgreSQL run as their own users)" >&2
  exit 1
fi
for tool in buildah podman debootstrap openssl runuser ss sqlite3 ssh-keygen; do
  command -v "$tool" >/dev/null || { echo "bench:data-moves: $tool is missing. Install it with: sudo scripts/install-e2e-deps.sh" >&2; exit 1; }
done
storage="--storage-driver ${STORAGE_DRIVER:-vfs}"
if ! buildah $storage inspect localhost/prosody-stack/prosody:13 >/dev/null 2>&1; then
  echo "bench:data-moves: building the Prosody 13 image (image/build.sh)" >&2
  npm run --silent build:webclient
  image/build.sh >/dev/null
fi
if ! buildah $storage inspect localhost/prosody-stack/backup:latest >/dev/null 2>&1; then
  echo "bench:data-moves: building the backup runner's image" >&2
  npm run --silent build:backup
  image/build.sh prosody-stack/backup backup >/dev/null
fi
. test/e2e/suite-ca.sh bench
# Not exec: the CA's folder is removed when this script exits.
npx ts-node --transpile-only bench/data-moves/main.ts
