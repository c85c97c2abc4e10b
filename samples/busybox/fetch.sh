#!/usr/bin/env bash
# Fetches Debian's static i386 busybox (busybox-static:i386) into a cache and prints its path.
# Idempotent: a second call only prints the path. Needs apt (as root, or through sudo) the first time.
set -euo pipefail
cache="${KML_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kml}/busybox-i386"
bin="$cache/busybox"
if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi

sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
mkdir -p "$cache"
if ! dpkg --print-foreign-architectures | grep -qx i386; then
  $sudo dpkg --add-architecture i386
fi
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"
# The security mirror may lack an i386 index; that error is harmless for this package.
$sudo apt-get update -qq >/dev/null 2>&1 || true
if ! apt-get download -q busybox-static:i386 >/dev/null 2>&1; then
  $sudo apt-get download -q busybox-static:i386 >/dev/null
fi
deb="$(ls ./*.deb | head -n 1)"
dpkg-deb -x "$deb" extract
cp extract/bin/busybox "$bin.tmp"
chmod +x "$bin.tmp"
basename "$deb" > "$cache/VERSION"
mv "$bin.tmp" "$bin"
echo "$bin"
