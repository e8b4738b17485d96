#!/bin/sh
# Install everything Tessera needs to build and test on Debian 12, and enable
# deb-src so that ports can `apt-get source` their upstream code.
# Idempotent: installs only what is missing. Needs root (or sudo) only when
# something is missing; otherwise it says exactly what to run as root.
set -eu

PACKAGES="gcc make binutils libc6-dev qemu-system-x86 grub-pc-bin grub-common
xorriso mtools cpio bats e2fsprogs dosfstools dpkg-dev gdb python3 file perl
clang libclang-rt-14-dev"

missing=
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done

need_src=
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ &&
   ! grep -qs '^deb-src' /etc/apt/sources.list; then
	need_src=yes
fi

[ -z "$missing" ] && [ -z "$need_src" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		exec sudo "$0" "$@"
	fi
	echo "setup: missing:${missing:- (none)}${need_src:+; deb-src not enabled}" >&2
	echo "setup: run as root: sudo $0" >&2
	exit 1
fi

if [ -n "$need_src" ]; then
	# mirror the binary sources as deb-src (deb822 or one-line format)
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
			> /etc/apt/sources.list.d/tessera-src.sources
	else
		grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
			> /etc/apt/sources.list.d/tessera-src.list
	fi
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
[ -n "$missing" ] && apt-get install -y -qq $missing
echo "setup: done"
