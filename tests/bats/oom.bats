#!/usr/bin/env bats
# Out of memory (posix/pm/oom.c): a POSIX process that touches more memory
# than there is is killed by SIGKILL, as Linux's OOM killer kills the
# biggest process, with one line in the serial log; the servers, which keep
# a reserve of frames, go on serving (files, pipes, fork and exec). One
# whose page tables pass its quota (a 16th of memory) is killed the same
# way, though the machine has memory left.

load helpers

hog_run() {
	"$ROOT/$BUILD/sysroot/bin/tessera-cc" -O2 -o "$BATS_TEST_TMPDIR/hog" \
		"$BATS_TEST_DIRNAME/hog.c"
	TESSERA_RUN_LOG="$BATS_TEST_TMPDIR/serial" run "$ROOT/scripts/tessera-run" \
		-f "$BATS_TEST_TMPDIR/hog:bin/hog" "
		kb() { sed -n \"s/^MemFree: *\([0-9]*\) kB$/\1/p\" /proc/meminfo; }
		a=\$(kb)
		hog $1 $3; echo \"status \$?\"
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
	local line rss
	line=$(grep -o "oom: killed pid [0-9]* (hog) rss [0-9]* pages" "$BATS_TEST_TMPDIR/serial") ||
		{ show_log "$BATS_TEST_TMPDIR/serial"; false; }
	rss=$(echo "$line" | sed 's/.* rss \([0-9]*\) pages/\1/')
	# the pages the hog had: most of memory, or (its quota) about one a table
	[ "$rss" -ge "$4" ] && [ "$rss" -le "$5" ] || { echo "$line"; false; }
	[ "$(grep -c "oom: killed" "$BATS_TEST_TMPDIR/serial")" -eq 1 ] ||
		{ show_log "$BATS_TEST_TMPDIR/serial"; false; }
}

@test "a memory hog running as root is killed by SIGKILL and the servers go on" {
	hog_run - 0 4 100000 131072
}

@test "a memory hog running as uid 1000 is killed by SIGKILL and the servers go on" {
	hog_run 1000 1000 4 100000 131072
}

@test "a process touching a page every 2 MiB is killed at its page-table quota" {
	hog_run 1000 1000 2048 8000 8400
}
