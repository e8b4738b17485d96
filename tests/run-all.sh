#!/usr/bin/env bash
# make test: host unit tests, the in-OS Bats tests, the differential
# POSIX tests (Linux host vs Tessera), BusyBox's own testsuite and its
# shell's ash_test (Linux host vs Tessera), then a short host fuzzing of the
# servers (tests/hostfuzz); ends with one line
# "tests: N passed, N failed" and fails if anything failed.
set -uo pipefail
BUILD=${BUILD:-build}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

"$BUILD/unit_tests" | tee "$out"
unit_status=${PIPESTATUS[0]}
unit_pass=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out")
unit_fail=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out")

BUILD=$BUILD bats --tap tests/bats | tee "$out"
bats_status=${PIPESTATUS[0]}
bats_pass=$(grep -c '^ok ' "$out")
bats_fail=$(grep -c '^not ok ' "$out")

tests/posix/run.sh "$BUILD" | tee "$out"
posix_status=${PIPESTATUS[0]}
posix_pass=$(grep -c '^ok ' "$out")
posix_fail=$(grep -c '^FAIL ' "$out")

tests/busybox/run.sh "$BUILD" | tee "$out"
busybox_status=${PIPESTATUS[0]}
busybox_pass=$(sed -n 's/^busybox: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out")
busybox_fail=$(sed -n 's/^busybox: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out")
ash_pass=$(sed -n 's/^ash: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out")
ash_fail=$(sed -n 's/^ash: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out")

# host fuzzing of the servers' request handling: a short run of each
tests/hostfuzz/run.sh "$BUILD/hostfuzz" "${HOSTFUZZ_SECONDS:-15}" | tee "$out"
hostfuzz_status=${PIPESTATUS[0]}
hostfuzz_pass=$(sed -n 's/^hostfuzz: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out")
hostfuzz_fail=$(sed -n 's/^hostfuzz: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out")

passed=$(( ${unit_pass:-0} + bats_pass + posix_pass + ${busybox_pass:-0} + ${ash_pass:-0} +
	   ${hostfuzz_pass:-0} ))
failed=$(( ${unit_fail:-1} + bats_fail + posix_fail + ${busybox_fail:-1} + ${ash_fail:-1} +
	   ${hostfuzz_fail:-1} ))
[ "$unit_status" -eq 0 ] && [ "$bats_status" -eq 0 ] && [ "$posix_status" -eq 0 ] &&
	[ "$busybox_status" -eq 0 ] && [ "$hostfuzz_status" -eq 0 ] ||
	failed=$(( failed > 0 ? failed : 1 ))
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
