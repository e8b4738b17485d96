#!/bin/sh
# Build a bootable GRUB ISO:
#   mkiso.sh OUT.iso KERNEL "CMDLINE" MODULE[:ARG+ARG...]...
# Each module is a path to an ELF; its GRUB module line is "name args", where
# name is the file's base name. The first module must be init.
set -eu
out=$1 kernel=$2 cmdline=$3
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/kernel.elf"
{
	echo 'set timeout=0'
	echo 'set default=0'
	echo 'serial --unit=0 --speed=115200'
	echo 'terminal_input console serial'
	echo 'terminal_output console'
	echo 'menuentry "Tessera" {'
	echo "  multiboot2 /boot/kernel.elf $cmdline"
	for m in "$@"; do
		path=${m%%:*}
		args=
		case $m in *:*) args=$(echo "${m#*:}" | tr + ' ') ;; esac
		name=$(basename "$path")
		cp "$path" "$dir/boot/$name"
		echo "  module2 /boot/$name $name $args"
	done
	echo '  boot'
	echo '}'
} > "$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$dir" >/dev/null 2>&1 || {
	echo "mkiso: grub-mkrescue failed" >&2
	grub-mkrescue -o "$out" "$dir"
	exit 1
}
