#!/usr/bin/env bats
# Signals from the shell's point of view: terminal keys reach the
# foreground job, kill reaches a background one, traps run.

load helpers

setup_file() {
	export LOG="$BATS_FILE_TMPDIR/signals.log"
	shell_session tessera.iso "$LOG" 120 \
		'sleep 30' 'KEY:\003' \
		'echo after-interrupt=$?' \
		'sleep 30 & echo started-$!' \
		'kill $!; wait $!; echo killed=$?' \
		'trap "echo trapped-usr1" USR1; kill -USR1 $$' \
		'sleep 4' 'KEY:\032' \
		'jobs' \
		'fg' \
		'echo after-fg=$?' \
		'sh -c "kill -TERM \$\$"; echo self-term=$?'
}

@test "^C interrupts a foreground sleep (status 130)" {
	assert_log "$LOG" '^after-interrupt=130$'
}

@test "kill ends a background job (status 143)" {
	assert_log "$LOG" '^started-[0-9]+$'
	assert_log "$LOG" '^killed=143$'
}

@test "a trap runs when the shell gets a signal" {
	assert_log "$LOG" '^trapped-usr1$'
}

@test "^Z stops a job, jobs lists it, fg resumes it to completion" {
	assert_log "$LOG" 'Stopped +sleep 4'
	assert_log "$LOG" '^sleep 4$'
	assert_log "$LOG" '^after-fg=0$'
}

@test "a process killed by a signal reports 128 + the signal" {
	assert_log "$LOG" '^self-term=143$'
	refute_log "$LOG" 'KERNEL PANIC|fault:'
}
