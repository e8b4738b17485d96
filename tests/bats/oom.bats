#!/usr/bin/env bats
# Out of memory (posix/pm/oom.c): a POSIX process that touches more memory
# than there is is killed by SIGKILL, as Linux's OOM killer kills the
# biggest process, with one line in the serial log; the servers, which keep
# a reserve of frames, go on serving (files, pipes, fork and exec).

load helpers

hog_run() {
	"$ROOT/$BUILD/sysroot/bin/tessera-cc" -O2 -o "$BATS_TEST_TMPDIR/hog" \
		"$BATS_TEST_DIRNAME/hog.c"
	TESSERA_RUN_LOG="$BATS_TEST_TMPDIR/serial" run "$ROOT/scripts/tessera-run" \
		-f "$BATS_TEST_TMPDIR/hog:bin/hog" "
		kb() { sed -n \"s/^MemFree: *\([0-9]*\) kB$/\1/p\" /proc/meminfo; }
		a=\$(kb)
		hog $1; echo \"status \$?\"
		b=\$(kb)
		echo served > /tmp/f && cat /tmp/f
		echo piped | cat
		ls /bin | grep -c busybox
		echo \"back: \$((a - b)) kB\""
	[ "$status" -eq 0 ] || { echo "status $status: $output"; false; }
	[ "${lines[0]}" = "hog: uid $2" ] || { echo "$output"; false; }
	# sh: the job's end, 128 + SIGKILL
	[ "${lines[1]}" = Killed ] && [ "${lines[2]}" = "status 137" ] || { echo "$output"; false; }
	[ "${lines[3]}" = served ] && [ "${lines[4]}" = piped ] && [ "${lines[5]}" = 1 ] ||
		{ echo "$output"; false; }
	# the hog's memory came back (the shell's own growth aside)
	[[ "${lines[6]}" =~ back:\ (-?[0-9]+)\ kB ]] && [ "${BASH_REMATCH[1]}" -lt 1024 ] ||
		{ echo "$output"; false; }
	grep -q "oom: killed pid [0-9]* (hog) rss [0-9]* pages" "$BATS_TEST_TMPDIR/serial" ||
		{ show_log "$BATS_TEST_TMPDIR/serial"; false; }
	[ "$(grep -c "oom: killed" "$BATS_TEST_TMPDIR/serial")" -eq 1 ] ||
		{ show_log "$BATS_TEST_TMPDIR/serial"; false; }
}

@test "a memory hog running as root is killed by SIGKILL and the servers go on" {
	hog_run "" 0
}

@test "a memory hog running as uid 1000 is killed by SIGKILL and the servers go on" {
	hog_run 1000 1000
}
