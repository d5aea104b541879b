#!/usr/bin/env bash
# Downloads (never installs) Debian's prosody and prosody-modules for one
# release and unpacks them with dpkg -x, through a private apt configuration so
# the machine's own sources are never changed.
#   scripts/fetch-debian-packages.sh bookworm|trixie DEST
# Leaves DEST/prosody/ and DEST/prosody-modules/ (unpacked trees) and
# DEST/versions.txt. Does nothing when DEST already holds both trees.
set -euo pipefail
release="${1:?usage: fetch-debian-packages.sh RELEASE DEST}"
dest="${2:?usage: fetch-debian-packages.sh RELEASE DEST}"
mkdir -p "$dest" && dest=$(cd "$dest" && pwd)  # apt's Dir:: options need absolute paths
case "$release" in bookworm|trixie) ;; *) echo "unsupported release: $release" >&2; exit 2 ;; esac
for tool in apt-get dpkg; do
  command -v "$tool" >/dev/null || { echo "missing $tool: this needs a Debian machine" >&2; exit 3; }
done
if [ -d "$dest/prosody" ] && [ -d "$dest/prosody-modules" ] && [ -s "$dest/versions.txt" ]; then
  exit 0
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || { echo "missing $keyring (package debian-archive-keyring)" >&2; exit 3; }

apt_dir="$dest/apt"
rm -rf "$apt_dir" "$dest/debs" "$dest/prosody" "$dest/prosody-modules"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.list.d" "$apt_dir/preferences.d" "$dest/debs"
echo "deb [signed-by=$keyring] http://deb.debian.org/debian $release main" > "$apt_dir/sources.list"
opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
  -o "Dir::Etc::Preferences=$apt_dir/preferences"
  -o "Dir::Etc::PreferencesParts=$apt_dir/preferences.d"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "Dir::State::status=/dev/null"
  -o "APT::Sandbox::User=root"
  -o "Debug::NoLocking=1"
)
apt-get "${opts[@]}" -qq update
(cd "$dest/debs" && apt-get "${opts[@]}" -qq download prosody prosody-modules)
for package in prosody prosody-modules; do
  deb=$(ls "$dest/debs/${package}_"*.deb)
  mkdir -p "$dest/$package"
  dpkg -x "$deb" "$dest/$package"
  echo "$package $(dpkg-deb -f "$deb" Version)" >> "$dest/versions.txt"
done
rm -rf "$apt_dir"
