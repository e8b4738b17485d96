#!/bin/sh
# Boot an ISO under QEMU (TCG: KVM does not work on the machines we target).
#   qemu.sh ISO [interactive|headless] [extra qemu args...]
# Given a Linux kernel instead of an ISO (make bench's peer), QEMU loads it
# with -kernel; the caller adds -initrd and -append.
# headless: serial on stdout, no display, no input; the guest must power off
# or leave through isa-debug-exit (the caller adds a timeout).
set -eu
iso=$1 mode=${2:-interactive}
shift 2 || shift $#
case $iso in
*.iso) image="-boot d -cdrom $iso" ;;
*) image="-kernel $iso" ;;
esac
common="-accel tcg -cpu max -m 512M -no-reboot $image
	-device isa-debug-exit,iobase=0xf4,iosize=0x04"
case $mode in
interactive)
	# serial on the terminal; the VGA console in a window if there is a display
	if [ -n "${DISPLAY:-}" ]; then display="-display gtk"; else display="-display none"; fi
	exec qemu-system-x86_64 $common $display -serial mon:stdio "$@" ;;
headless)
	exec qemu-system-x86_64 $common -display none -serial stdio -monitor none "$@" ;;
*)
	echo "usage: qemu.sh ISO [interactive|headless]" >&2; exit 2 ;;
esac
