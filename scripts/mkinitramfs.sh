#!/bin/sh
# Build an initramfs (cpio newc, owned by root):
#   mkinitramfs.sh OUT ROOTFS_DIR [BUSYBOX] [FILE:PATH ...]
# ROOTFS_DIR is copied as the tree; BUSYBOX, if given (not "-"), becomes
# /bin/busybox with a symlink for every applet; FILE:PATH adds FILE at PATH.
set -eu
out=$1 rootfs=$2 busybox=${3:--}
shift 2
[ $# -gt 0 ] && shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp -a "$rootfs"/. "$dir"/
rm -f "$dir/README.md"
mkdir -p "$dir/bin" "$dir/sbin" "$dir/usr/bin" "$dir/usr/sbin" "$dir/dev" "$dir/proc" "$dir/tmp"
chmod 1777 "$dir/tmp"
if [ "$busybox" != - ]; then
	cp "$busybox" "$dir/bin/busybox"
	# the binary is static: the build machine runs it to list its applets
	"$busybox" --list-full | while read -r applet; do
		[ "$applet" = bin/busybox ] || [ -e "$dir/$applet" ] || ln -s /bin/busybox "$dir/$applet"
	done
fi
for f in "$@"; do
	mkdir -p "$dir/$(dirname "${f#*:}")"
	cp -R "${f%%:*}" "$dir/${f#*:}"
done
(cd "$dir" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$out"
