#!/usr/bin/env bats
# The benchmark images run and print every figure (values are checked for
# sanity only; make bench prints them beside Linux's, whose boot stays out
# of make test: it takes 5-10 s and fetches Debian's kernel).

load helpers

setup_file() {
	export LOG="$BATS_FILE_TMPDIR/bench.log"
	boot tessera-bench.iso "$LOG" 120
	# posix_bench with 50 ms per figure, its console on the second serial port
	export POSIX_LOG="$BATS_FILE_TMPDIR/posix_bench.log" POSIX_OUT="$BATS_FILE_TMPDIR/posix_bench.out"
	timeout --kill-after=5 120 "$ROOT/scripts/qemu.sh" "$ROOT/$BUILD/bench/posix_bench-quick.iso" \
		headless -serial "file:$POSIX_OUT" > "$POSIX_LOG" 2>&1 < /dev/null
}

@test "make bench's image prints every IPC figure" {
	assert_status "$LOG" 0
	for name in ipc_call_reply_ns ipc_call_reply_cycles ipc_4k_transfer_ns \
		ipc_64k_transfer_ns boot_to_first_user_ms; do
		assert_log "$LOG" "ipc_bench: $name: [1-9][0-9]* (ns|cycles|ms)"
	done
}

@test "posix_bench runs on Tessera and prints every figure, each above zero" {
	assert_log "$POSIX_LOG" "pm: pid 1 exited with status 0$"
	local name unit value
	while read -r name unit; do
		assert_log "$POSIX_OUT" "^$name: [0-9]+\.[0-9]{2} $unit\$"
		value=$(tr -d '\r' < "$POSIX_OUT" | sed -n "s|^$name: \([0-9.]*\) $unit\$|\1|p")
		awk -v v="$value" 'BEGIN { exit !(v > 0) }' || { echo "$name: $value"; return 1; }
	done <<-END
		getppid us
		fork_exit_wait us
		fork_execve us
		fork_execve_busybox us
		pipe_round_trip us
		pipe_bandwidth MB/s
		file_read MB/s
	END
	[ "$(tr -d '\r' < "$POSIX_OUT" | wc -l)" -eq 7 ] || { show_log "$POSIX_OUT"; return 1; }
}
