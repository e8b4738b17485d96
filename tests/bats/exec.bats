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
