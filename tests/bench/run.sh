#!/usr/bin/env bash
# make bench: Tessera's figures, and Linux's beside them; one
# "name: value unit" line per figure.
#  - the native IPC figures of ipc_bench (tessera-bench.iso), Tessera only;
#  - posix_bench, one static musl binary, as pid 1 of Tessera
#    (build/bench/posix_bench.iso) and under the /init of Debian's Linux
#    (scripts/fetch-linux.sh) booted with the same initramfs in the same QEMU;
#  - boot to the shell prompt, timed from the host (median of 3 boots), both
#    kernels loaded by QEMU's -kernel; Tessera's GRUB boot beside it.
# Each shared figure F prints F_tessera, F_linux and F_ratio = tessera/linux
# (a time ratio above 1, or a bandwidth ratio below 1, is Tessera slower),
# then whether the project's three targets are met. Fails if a boot
# crashes, times out or a figure is missing; never on a missed target.
set -euo pipefail
BUILD=${BUILD:-build}
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
BOOTS=3
# what Linux prints from the first byte on (the setup code's "Probing EDD"
# with earlyprintk), but only warnings from its log, as `quiet` would
LINUX_BOOT_CMDLINE='console=ttyS0 earlyprintk=ttyS0 loglevel=4 rdinit=/bin/sh'

fail() {
	echo "bench: $1" >&2
	[ -f "${2:-}" ] && tr -d '\r' < "$2" | tail -n 30 >&2
	exit 1
}

# qemu LOG SECONDS IMAGE ARGS...: a headless boot that must power off
qemu() {
	local log=$1 limit=$2
	shift 2
	timeout --kill-after=5 "$limit" scripts/qemu.sh "$1" headless "${@:2}" \
		> "$log" 2>&1 < /dev/null || fail "QEMU exited with status $? ($1)" "$log"
}

# figures LOG: the "name: value unit" lines of a log
figures() {
	tr -d '\r' < "$1" | grep -E '^[a-z0-9_]+: [0-9.]+ [a-zA-Z/]+$' || true
}

# median of the numbers on stdin
median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# compare NAME UNIT TESSERA LINUX
compare() {
	echo "$1_tessera: $3 $2"
	echo "$1_linux: $4 $2"
	awk -v t="$3" -v l="$4" -v n="$1" 'BEGIN { printf "%s_ratio: %.2f x\n", n, t / l }'
}

# target NAME MAX: is NAME's ratio at most MAX?
target() {
	awk -v r="$(sed -n "s/^$1_ratio: \([0-9.]*\) x$/\1/p" "$tmp/results")" -v max="$2" \
		-v n="$1" 'BEGIN { printf "target_%s: %s (%.2f x, target <= %.2f x)\n", n,
			r <= max ? "met" : "missed", r, max }'
}

vmlinuz=$(scripts/fetch-linux.sh)
echo "bench: Linux is $(basename "$(dirname "$vmlinuz")"), QEMU $(qemu-system-x86_64 \
	--version | sed -n '1s/.*version \([^ ]*\).*/\1/p') TCG" >&2

# native IPC figures
qemu "$tmp/ipc.log" 180 "$BUILD/tessera-bench.iso"
tr -d '\r' < "$tmp/ipc.log" | sed -n 's/^\[[ 0-9.]*\] ipc_bench: \([a-z0-9_]*: [0-9]* [a-z]*\)$/\1/p'

# posix_bench on both kernels
qemu "$tmp/tessera.log" 300 "$BUILD/bench/posix_bench.iso" -serial "file:$tmp/tessera.out"
grep -q 'pm: pid 1 exited with status 0' "$tmp/tessera.log" ||
	fail "posix_bench failed on Tessera" "$tmp/tessera.out"
mkdir "$tmp/overlay"
cp tests/bench/linux-init "$tmp/overlay/init"
scripts/mkinitramfs.sh "$tmp/init.cpio" "$tmp/overlay"
cat "$BUILD/bench/initramfs" "$tmp/init.cpio" > "$tmp/linux-initrd"
# Linux boots as a distribution would, quietly; its /init runs posix_bench
qemu "$tmp/linux.out" 300 "$vmlinuz" -initrd "$tmp/linux-initrd" -append 'console=ttyS0 quiet'
grep -q '^posix_bench: exit status 0' <(tr -d '\r' < "$tmp/linux.out") ||
	fail "posix_bench failed on Linux" "$tmp/linux.out"

figures "$tmp/tessera.out" > "$tmp/tessera.figures"
figures "$tmp/linux.out" > "$tmp/linux.figures"
[ -s "$tmp/tessera.figures" ] || fail "posix_bench printed no figure on Tessera" "$tmp/tessera.out"
while read -r name value unit; do
	name=${name%:}
	linux=$(sed -n "s|^$name: \([0-9.]*\) $unit\$|\1|p" "$tmp/linux.figures")
	[ -n "$linux" ] || fail "no $name on Linux" "$tmp/linux.out"
	compare "$name" "$unit" "$value" "$linux"
done < "$tmp/tessera.figures" > "$tmp/results"

# Boot to the shell prompt, like for like: `make run`'s kernel, modules and
# initramfs loaded by QEMU itself with -kernel (build/tessera.kboot; QEMU,
# firmware, the kernel, the servers, sh) against Linux with `make run`'s
# initramfs, sh as its init, also loaded with -kernel (QEMU, firmware,
# bzImage and initrd, decompression, the kernel, sh): boot_prompt.
# boot_prompt_grub is `make run` itself, Tessera only: the firmware reads
# the CD and GRUB loads the same kernel and modules from it, a cost Linux's
# -kernel boot skips, so it is reported but not compared.
# *_kernel starts at the first byte on the serial port: Tessera's first log
# line, Linux's setup code (before decompression).
for ((i = 0; i < BOOTS; i++)); do
	tests/bench/boot_prompt.pl 60 scripts/qemu.sh "$BUILD/tessera.kboot" headless \
		2> "$tmp/boot.err" >> "$tmp/boot.tessera" || fail "Tessera: no prompt" "$tmp/boot.err"
	tests/bench/boot_prompt.pl 60 scripts/qemu.sh "$BUILD/tessera.iso" headless \
		2> "$tmp/boot.err" >> "$tmp/boot.grub" || fail "Tessera (GRUB): no prompt" "$tmp/boot.err"
	tests/bench/boot_prompt.pl 180 scripts/qemu.sh "$vmlinuz" headless \
		-initrd "$BUILD/rootfs/initramfs" -append "$LINUX_BOOT_CMDLINE" \
		2> "$tmp/boot.err" >> "$tmp/boot.linux" || fail "Linux: no prompt" "$tmp/boot.err"
done
compare boot_prompt ms "$(cut -d' ' -f1 "$tmp/boot.tessera" | median)" \
	"$(cut -d' ' -f1 "$tmp/boot.linux" | median)" >> "$tmp/results"
compare boot_prompt_kernel ms "$(cut -d' ' -f2 "$tmp/boot.tessera" | median)" \
	"$(cut -d' ' -f2 "$tmp/boot.linux" | median)" >> "$tmp/results"
echo "boot_prompt_grub: $(cut -d' ' -f1 "$tmp/boot.grub" | median) ms" >> "$tmp/results"

cat "$tmp/results"
target boot_prompt 0.1
target getppid 3
target fork_execve 1.5
