#!/usr/bin/env bats
# Native calls from POSIX processes (issue 7): a POSIX process holds no
# native authority, so as root and as any other user every native call is
# refused and the escalation through TS_SYS_PROC_CREATE (a process with the
# POSIX flag and badge 1, code written into it, a thread started there)
# fails at its first step; no priority above its own can be had.

load helpers

@test "POSIX processes: every native call EPERM, as root and uid 1000; the pid-1 exploit fails" {
	"$ROOT/$BUILD/sysroot/bin/tessera-cc" -O2 -Wall -Wextra -Werror -I"$ROOT/include" \
		-o "$BATS_TEST_TMPDIR/natives" "$BATS_TEST_DIRNAME/natives.c"
	run "$ROOT/scripts/tessera-run" -f "$BATS_TEST_TMPDIR/natives:bin/natives" \
		'natives && ls /root'
	[ "$status" -eq 0 ] || { echo "status $status: $output"; false; }
	[[ "${lines[0]}" =~ ^uid\ 0:\ ([0-9]+)\ of ]] || { echo "$output"; false; }
	local n=${BASH_REMATCH[1]}
	local refused="$n of $n native calls refused, $((256 - n)) unknown ENOSYS"
	[ "$n" -gt 40 ] &&
		[ "${lines[0]}" = "uid 0: $refused; exploit refused; /root/pwned absent" ] ||
		{ echo "$output"; false; }
	[ "${lines[1]}" = "${lines[0]/uid 0/uid 1000}" ] || { echo "$output"; false; }
	[ "${lines[2]}" = "uid 1000 creating in /root directly: EACCES" ] || { echo "$output"; false; }
	[ "${#lines[@]}" -eq 3 ] || { echo "$output"; false; }   # /root stays empty
}
