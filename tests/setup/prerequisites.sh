#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine that has only the .NET SDK:
# gcc with 32-bit support (gcc-multilib) for the native i386 harnesses, and Debian's i386 busybox.
# Idempotent and quiet when everything is present.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"

apt_install() {
  echo "tests: installing $*" >&2
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

probe="$(mktemp -d)"; trap 'rm -rf "$probe"' EXIT
echo 'int main(void){return 0;}' > "$probe/t.c"
if ! gcc -m32 -O2 -static "$probe/t.c" -o "$probe/t" >/dev/null 2>&1; then
  apt_install gcc gcc-multilib
fi
"$root/samples/busybox/fetch.sh" >/dev/null
