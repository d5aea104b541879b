#!/usr/bin/env bash
# Builds our images with no Docker engine (DESIGN.md §3):
#   debootstrap a minimal Debian → podman import as BASE_IMAGE → buildah bud CONTEXT.
# Usage: image/build.sh [TAG] [CONTEXT]
#   default: the Prosody image, prosody-stack/prosody:13 from image/;
#   the upload gateway: image/build.sh prosody-stack/upload-gateway gateway (after npm run build:gateway).
# Environment: SUITE (trixie), STORAGE_DRIVER (vfs), REBUILD_BASE=1 to redo debootstrap,
#              ROCKS_MODULES and PACKAGES_AS_OF (the period of the packages, as image tags carry it)
#              passed to the Dockerfile.
# Needs root and Debian's buildah, podman and debootstrap (scripts/install-e2e-deps.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
tag="${1:-prosody-stack/prosody:13}"
context="${2:-$here}"
suite="${SUITE:-trixie}"
driver="${STORAGE_DRIVER:-vfs}"
base="localhost/debian:${suite}-slim"
cache="${PROSODY_STACK_CACHE:-/var/cache/prosody-stack}/image"

for tool in buildah podman debootstrap; do
  command -v "$tool" >/dev/null || { echo "image/build.sh: $tool is missing (run scripts/install-e2e-deps.sh as root)" >&2; exit 69; }
done

if [ "${REBUILD_BASE:-0}" = 1 ] || ! podman --storage-driver "$driver" image exists "$base"; then
  mkdir -p "$cache"
  tarball="$cache/${suite}-minbase.tar"
  if [ "${REBUILD_BASE:-0}" = 1 ] || [ ! -s "$tarball" ]; then
    tree="$(mktemp -d "$cache/${suite}-rootfs.XXXXXX")"
    # mktemp makes 0700; the image's / must be enterable by the prosody user.
    chmod 0755 "$tree"
    trap 'rm -rf "$tree"' EXIT
    debootstrap --variant=minbase "$suite" "$tree" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
      || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
    tar -C "$tree" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  fi
  podman --storage-driver "$driver" import "$tarball" "$base" >/dev/null
fi

buildah bud --storage-driver "$driver" --isolation chroot --layers --format docker \
  --build-arg "BASE_IMAGE=$base" --build-arg "ROCKS_MODULES=${ROCKS_MODULES:-}" \
  --build-arg "PACKAGES_AS_OF=${PACKAGES_AS_OF:-}" \
  -t "$tag" "$context" >&2
buildah --storage-driver "$driver" inspect --format '{{.FromImageID}}' "$tag" 2>/dev/null \
  || buildah --storage-driver "$driver" images --noheading --format '{{.ID}}' "$tag"
