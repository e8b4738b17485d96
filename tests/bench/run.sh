#!/bin/sh
# make bench: boot the benchmark image and print its figures, one
# "name: value unit" per line.
set -eu
BUILD=${BUILD:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
timeout --kill-after=5 180 scripts/qemu.sh "$BUILD/tessera-bench.iso" headless \
	> "$log" 2>&1 < /dev/null || status=$?
tr -d '\r' < "$log" | sed -n 's/^\[[ 0-9.]*\] ipc_bench: \([a-z0-9_]*: [0-9]* [a-z]*\)$/\1/p'
if [ "$status" -ne 0 ]; then
	echo "bench: QEMU exited with status $status" >&2
	tr -d '\r' < "$log" >&2
	exit 1
fi
