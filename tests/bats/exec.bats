#!/usr/bin/env bats
# exec shares an executable's pages copy-on-write (posix/pm/imgcache.c):
# many execs must give every frame back, for an initramfs program (whose
# page copy the process manager keeps) as for one written at run time
# (a copy for each exec).

load helpers

@test "1000 execs of BusyBox and 100 of a copy written at run time leak no memory" {
	run "$ROOT/scripts/tessera-run" '
		kb() { sed -n "s/^MemFree: *\([0-9]*\) kB$/\1/p" /proc/meminfo; }
		a=$(kb); i=0
		while [ $i -lt 1000 ]; do /bin/true || exit 1; i=$((i + 1)); done
		b=$(kb)
		cp /bin/busybox /tmp/busybox && /tmp/busybox true || exit 1
		c=$(kb); i=0
		while [ $i -lt 100 ]; do /tmp/busybox true || exit 1; i=$((i + 1)); done
		d=$(kb)
		echo "leaked: $((a - b)) kB $((c - d)) kB"'
	[ "$status" -eq 0 ] || { echo "status $status: $output"; false; }
	[[ "$output" =~ leaked:\ (-?[0-9]+)\ kB\ (-?[0-9]+)\ kB ]] || { echo "$output"; false; }
	# a page a process would be 4000 kB; allow the shell's own growth
	[ "${BASH_REMATCH[1]}" -lt 64 ] && [ "${BASH_REMATCH[2]}" -lt 64 ] || { echo "$output"; false; }
}

# More programs than the process manager keeps copies of (8): every exec
# of the second and third rounds evicts the least recently used copy and
# builds one anew. Each program must still run its own pages, pristine,
# and the evicted copies' frames must come back.
@test "exec with more programs than kept copies: each runs its own pages, no memory leaks" {
	local files=() i
	for i in 0 1 2 3 4 5 6 7 8 9; do
		"$ROOT/$BUILD/sysroot/bin/tessera-cc" -O2 -DVARIANT=$i -o "$BATS_TEST_TMPDIR/v$i" \
			"$BATS_TEST_DIRNAME/exec_variant.c"
		files+=(-f "$BATS_TEST_TMPDIR/v$i:bin/v$i")
	done
	run "$ROOT/scripts/tessera-run" "${files[@]}" '
		kb() { sed -n "s/^MemFree: *\([0-9]*\) kB$/\1/p" /proc/meminfo; }
		round() { for i in 0 1 2 3 4 5 6 7 8 9; do v$i || exit 1; done; }
		round; round; a=$(kb)
		r=0; while [ $r -lt 20 ]; do round > /dev/null; r=$((r + 1)); done
		echo "leaked: $((a - $(kb))) kB"'
	[ "$status" -eq 0 ] || { echo "status $status: $output"; false; }
	for i in 0 1 2 3 4 5 6 7 8 9; do
		[ "${lines[$i]}" = "variant $i pristine" ] && [ "${lines[$((i + 10))]}" = "variant $i pristine" ] ||
			{ echo "$output"; false; }
	done
	[[ "${lines[20]}" =~ ^leaked:\ (-?[0-9]+)\ kB$ ]] && [ "${BASH_REMATCH[1]}" -lt 64 ] ||
		{ echo "$output"; false; }
}
