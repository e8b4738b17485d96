#!/usr/bin/env bats
# The benchmark image runs and prints every figure (values are checked for
# sanity only; docs/STATUS.md records them).

load helpers

setup_file() {
	export LOG="$BATS_FILE_TMPDIR/bench.log"
	boot tessera-bench.iso "$LOG" 120
}

@test "make bench's image prints every IPC figure" {
	assert_status "$LOG" 0
	for name in ipc_call_reply_ns ipc_call_reply_cycles ipc_4k_transfer_ns \
		ipc_64k_transfer_ns boot_to_first_user_ms; do
		assert_log "$LOG" "ipc_bench: $name: [1-9][0-9]* (ns|cycles|ms)"
	done
}
