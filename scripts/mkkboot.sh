#!/bin/sh
# The -kernel twin of mkiso.sh, with the same arguments: the QEMU arguments
# that boot KERNEL and its modules with QEMU itself as the (multiboot1)
# loader, skipping the firmware's CD boot and GRUB:
#   mkkboot.sh OUT.kboot KERNEL "CMDLINE" MODULE[:ARG+ARG...]...
# OUT gets three lines, which scripts/qemu.sh passes on: the kernel, the
# -initrd list ("path args,path args", a comma inside written ",,") and the
# command line. Paths are absolute, so QEMU may run from anywhere; the kernel
# names each module by its file's base name, as GRUB's module lines do.
set -eu
out=$1 kernel=$2 cmdline=$3
shift 3
initrd=
for m in "$@"; do
	path=$(realpath "${m%%:*}")
	case $path in *' '*)
		echo "mkkboot: QEMU cannot load a module whose path has a space: $path" >&2
		exit 1 ;;
	esac
	args=
	case $m in *:*) args=" $(echo "${m#*:}" | tr + ' ')" ;; esac
	initrd="$initrd${initrd:+,}$(printf '%s' "$path$args" | sed 's/,/,,/g')"
done
printf '%s\n' "$(realpath "$kernel")" "$initrd" "$cmdline" > "$out"
