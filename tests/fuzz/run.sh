#!/usr/bin/env bash
# Boot the fuzzer as pid 1 of its own image and judge the run:
#   tests/fuzz/run.sh BUILD OUT run SEED FIRST COUNT [UID]
#   tests/fuzz/run.sh BUILD OUT replay
# OUT gets console (the fuzzer's log: a "fz INDEX NR ARGS…" line before each
# call) and serial (the kernel's and servers' log). Fails, showing the last
# call and the log's end, on a panic, a server's death, a fuzzer FAIL line,
# a result the process manager had to turn into an error (posix/pm/main.c),
# or a machine that did not finish in time (FUZZ_TIMEOUT, or one from COUNT).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd) out=$2
shift 2
mkdir -p "$out"
case $1 in
run) args="run+$2+$3+$4${5:++$5}" limit=${FUZZ_TIMEOUT:-$((90 + $4 / 200))} ;;
replay) args="replay+/fuzz/corpus" limit=${FUZZ_TIMEOUT:-300} ;;
*) echo "usage: run.sh BUILD OUT run SEED FIRST COUNT [UID] | replay" >&2; exit 2 ;;
esac
u=$build/user
"$root/scripts/mkinitramfs.sh" "$out/initramfs" "$root/rootfs" - \
	"$build/fuzz/fuzz:bin/fuzz" "${FUZZ_CORPUS:-$root/tests/fuzz/corpus}:fuzz/corpus" || exit 1
"$root/scripts/mkiso.sh" "$out/fuzz.iso" "$build/kernel.elf" poweroff "$u/init" "$u/names" \
	"$u/vfs:ioport=0x2f8:8+log+programs" \
	"$u/pm:test+wait+oneshot+ioport=0x70:2+system+spawn=8+log+programs+--+fuzz+$args" \
	"$out/initramfs:posix" > /dev/null || exit 1
rm -f "$out/console"
start=$(date +%s)
timeout --kill-after=5 "$limit" "$root/scripts/qemu.sh" "$out/fuzz.iso" headless \
	-serial "file:$out/console" > "$out/serial.raw" 2>&1 < /dev/null
qemu=$?
tr -d '\r' < "$out/serial.raw" > "$out/serial"
tr -d '\r' < "$out/console" > "$out/log" 2>/dev/null
echo "fuzz: $(( $(date +%s) - start )) s in QEMU (status $qemu)"
grep '^fuzz: ' "$out/log" | grep -v '^fuzz: corpus .*: replaying$' | tail -n 12

status=$(sed -n 's/.*pm: pid 1 exited with status \([0-9]*\)$/\1/p' "$out/serial")
# (a server's result that would have left its caller waiting is a finding too)
died='(fault|proc): pid [0-9]+ \((init|names|vfs|pm)\) '
bad=$(grep -E "KERNEL PANIC|$died|test pm: FAILED|a result equal to TS_NO_REPLY" "$out/serial")
if [ "$status" = 0 ] && [ -z "$bad" ]; then
	exit 0
fi
[ -n "$status" ] || echo "fuzz: the machine did not finish in $limit s"
[ -z "$bad" ] || echo "fuzz: $bad"
echo "fuzz: the last call logged: $(grep '^fz ' "$out/log" | tail -n 1)"
echo "--- serial log (end) ---"
tail -n 25 "$out/serial"
exit 1
