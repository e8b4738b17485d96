#!/usr/bin/env bats
# Signals from the shell's point of view: terminal keys reach the
# foreground job, kill reaches a background one, traps run, a background
# job that reads the terminal (or writes it with tostop) is stopped.

load helpers

setup_file() {
	export LOG="$BATS_FILE_TMPDIR/signals.log"
	shell_session tessera.iso "$LOG" 180 \
		'sleep 30' 'KEY:\003' \
		'echo after-interrupt=$?' \
		'sleep 30 & echo started-$!' \
		'kill $!; wait $!; echo killed=$?' \
		'trap "echo trapped-usr1" USR1; kill -USR1 $$' \
		'sleep 4' 'KEY:\032' \
		'jobs' \
		'fg' \
		'echo after-fg=$?' \
		'sh -c "kill -TERM \$\$"; echo self-term=$?' \
		'cat &' \
		'sleep 1' \
		'jobs' \
		'fg' 'KEY:typed-to-cat\r' 'KEY:\004' \
		'echo after-cat=$?' \
		'stty tostop; echo tostop-out &' \
		'sleep 1' \
		'jobs' \
		'stty -tostop; fg' \
		'echo after-tostop=$?'
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

@test "a background job reading the terminal stops (SIGTTIN) until fg" {
	assert_log "$LOG" 'Stopped \(tty input\) +cat'
	assert_log "$LOG" '^typed-to-cat$'
	assert_log "$LOG" '^after-cat=0$'
}

@test "with tostop a background job writing the terminal stops (SIGTTOU)" {
	assert_log "$LOG" 'Stopped \(tty output\) +echo tostop-out'
	assert_log "$LOG" '^tostop-out$'
	assert_log "$LOG" '^after-tostop=0$'
}
