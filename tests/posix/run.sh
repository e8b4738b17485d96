#!/usr/bin/env bash
# Differential conformance tests: every static musl program built from
# tests/posix/*.c runs on this Linux host and inside Tessera (one boot each,
# its console on a second serial port); the outputs and exit statuses must
# match, except where tests/posix/expected-differences lists a reason.
# On the host each runs as root in a private mount namespace, so that the
# mounts test's mounts stay its own.
#   run.sh BUILD_DIR [NAME…]    (names: only those tests)
set -uo pipefail
build=$(cd "${1:-build}" && pwd)
shift $(($# > 0))
root=$(cd "$(dirname "$0")/../.." && pwd)
expect="$root/tests/posix/expected-differences"
env=(env -i PATH=/bin:/sbin:/usr/bin HOME=/ TERM=vt100)
ns=()
[ "$(id -u)" -eq 0 ] && ns=(unshare --mount --propagation private)
passed=0 failed=0

for bin in "$build"/posix/bin/*; do
	name=$(basename "$bin")
	[ $# -eq 0 ] || [[ " $* " == *" $name "* ]] || continue
	out="$build/posix/out/$name"
	mkdir -p "$out"
	# argv[0] is the bare name, as the process manager gives it; signals
	# as pid 1 has them
	(cd / && "${ns[@]}" "${env[@]}" "$root/tests/lib/as-pid1" "$bin" "$name") \
		> "$out/linux" 2>&1
	echo "exit: $?" >> "$out/linux"

	rm -f "$out/console"
	timeout --kill-after=5 120 "$root/scripts/qemu.sh" "$build/posix/$name.iso" headless \
		-serial "file:$out/console" > "$out/serial" 2>&1 < /dev/null
	tr -d '\r' < "$out/console" > "$out/tessera" 2>/dev/null
	status=$(tr -d '\r' < "$out/serial" | sed -n 's/.*pm: pid 1 exited with status \([0-9]*\)$/\1/p')
	echo "exit: ${status:-none}" >> "$out/tessera"

	if diff -u "$out/linux" "$out/tessera" > "$out/diff"; then
		echo "ok   $name"
		passed=$((passed + 1))
	elif grep -q "^$name:" "$expect" 2>/dev/null; then
		echo "ok   $name (expected difference: $(grep "^$name:" "$expect" | cut -d: -f2-))"
		passed=$((passed + 1))
	else
		echo "FAIL $name: Tessera differs from Linux"
		cat "$out/diff"
		echo "--- serial log ---"
		tr -d '\r' < "$out/serial" | tail -20
		failed=$((failed + 1))
	fi
done
echo "posix: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
