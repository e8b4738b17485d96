#!/usr/bin/env bats
# BusyBox init as pid 1 of `make run`: it starts the shell from
# /etc/inittab, and poweroff / reboot typed in that shell end the machine
# the way Linux does (init kills everything, then reboot(2)), so QEMU exits
# by itself.

load helpers

# shutdown_by CMD LOG: boot, type CMD at the first prompt, wait for QEMU
# to exit on its own; its exit status lands in $LOG.status
shutdown_by() {
	local fifo="$BATS_TEST_TMPDIR/in" status=0
	mkfifo "$fifo"
	timeout --kill-after=5 90 "$ROOT/scripts/qemu.sh" "$ROOT/$BUILD/tessera.iso" headless \
		< "$fifo" > "$2" 2>&1 &
	local pid=$!
	exec 8> "$fifo"
	wait_for_prompts "$2" 1 60
	printf '%s\r' "$1" >&8
	wait "$pid" || status=$?
	exec 8>&-
	echo "$status" > "$2.status"
}

@test "poweroff in the shell: init stops everything, QEMU powers off" {
	local log="$BATS_TEST_TMPDIR/poweroff.log"
	shutdown_by poweroff "$log"
	assert_status "$log" 0
	assert_log "$log" 'The system is going down NOW!'
	assert_log "$log" 'Sent SIGTERM to all processes'
	assert_log "$log" 'reboot: Power down'
	assert_log "$log" 'poweroff \(status 0\)'
}

@test "reboot in the shell restarts the machine (QEMU -no-reboot exits)" {
	local log="$BATS_TEST_TMPDIR/reboot.log"
	shutdown_by reboot "$log"
	assert_status "$log" 0
	assert_log "$log" 'reboot: Restarting system'
	refute_log "$log" 'KERNEL PANIC'
}
