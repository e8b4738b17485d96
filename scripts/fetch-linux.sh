#!/bin/sh
# Fetch the kernel Debian's linux-image-amd64 currently depends on, for
# `make bench` to boot beside Tessera, and print the path of its vmlinuz:
#   fetch-linux.sh
# The package is downloaded (apt-get download: no root needed) and unpacked
# (dpkg-deb -x) once into ~/.cache/tessera/linux/VERSION/.
set -eu
cache=${TESSERA_LINUX_CACHE:-${HOME:-/tmp}/.cache/tessera/linux}

for tool in apt-cache apt-get dpkg-deb; do
	command -v "$tool" > /dev/null || {
		echo "fetch-linux: $tool is missing: apt-get install apt dpkg" >&2; exit 1; }
done

# linux-image-amd64 is a metapackage; its dependency names the real kernel
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1)
if [ -z "$pkg" ]; then
	echo "fetch-linux: apt knows no linux-image-amd64; run (as root) 'apt-get update'" >&2
	exit 1
fi
version=${pkg#linux-image-}
dir=$cache/$version
if [ ! -f "$dir/vmlinuz" ]; then
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	echo "fetch-linux: downloading $pkg into $dir" >&2
	(cd "$tmp" && apt-get download "$pkg") > "$tmp/log" 2>&1 || {
		echo "fetch-linux: 'apt-get download $pkg' failed (try 'apt-get update' as root):" >&2
		tail -n 5 "$tmp/log" >&2
		exit 1
	}
	dpkg-deb -x "$tmp"/*.deb "$tmp/root"
	mkdir -p "$tmp/out"
	cp "$tmp/root/boot/vmlinuz-$version" "$tmp/out/vmlinuz"
	mv -T "$tmp/out" "$dir" 2>/dev/null || test -f "$dir/vmlinuz"
fi
echo "$dir/vmlinuz"
