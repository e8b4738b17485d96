#!/bin/sh
# Boot Tessera under QEMU (TCG: KVM does not work on the machines we target).
#   qemu.sh IMAGE [interactive|headless] [extra qemu args...]
# IMAGE is an ISO (the firmware boots GRUB from the CD: `make run`), or a
# .kboot file from scripts/mkkboot.sh (QEMU loads the kernel and modules
# itself with -kernel), or a Linux kernel (make bench's peer; the caller
# adds -initrd and -append).
# headless: serial on stdout, no display, no input; the guest must power off
# or leave through isa-debug-exit (the caller adds a timeout).
set -eu
image=$1 mode=${2:-interactive}
shift 2 || shift $#
case $image in
*.iso) set -- -boot d -cdrom "$image" "$@" ;;
*.kboot)
	{ read -r kernel; read -r initrd; read -r cmdline; } < "$image"
	set -- -kernel "$kernel" -initrd "$initrd" -append "$cmdline" "$@" ;;
*) set -- -kernel "$image" "$@" ;;
esac
common="-accel tcg -cpu max -m 512M -no-reboot
	-device isa-debug-exit,iobase=0xf4,iosize=0x04"
case $mode in
interactive)
	# serial on the terminal; the VGA console in a window if there is a display
	if [ -n "${DISPLAY:-}" ]; then display="-display gtk"; else display="-display none"; fi
	exec qemu-system-x86_64 $common $display -serial mon:stdio "$@" ;;
headless)
	exec qemu-system-x86_64 $common -display none -serial stdio -monitor none "$@" ;;
*)
	echo "usage: qemu.sh IMAGE [interactive|headless]" >&2; exit 2 ;;
esac
