#!/usr/bin/env bats
# BusyBox vi over the serial terminal: raw mode, escape sequences, editing
# and saving a file that the shell then reads. A command key goes alone, as
# typed (vi stalls when a command key and the next arrive in one read:
# docs/STATUS.md, known bugs).

load helpers

setup_file() {
	export LOG="$BATS_FILE_TMPDIR/vi.log"
	shell_session tessera.iso "$LOG" 120 \
		'printf "first line\n" > /tmp/notes.txt' \
		'vi /tmp/notes.txt' 'KEY:G' 'KEY:o' 'KEY:hello from vi' 'KEY:\033' 'KEY::wq\r' \
		'cat /tmp/notes.txt' \
		'vi /tmp/new.txt' 'KEY:i' 'KEY:line one\r' 'KEY:line two' 'KEY:\033' 'KEY::x\r' \
		'wc -l < /tmp/new.txt; tail -1 /tmp/new.txt'
}

@test "vi appends a line to a file and saves it" {
	tr -d '\r' < "$LOG" | grep -A2 '/ # cat /tmp/notes.txt$' | grep -q '^hello from vi$' ||
		{ show_log "$LOG"; false; }
	assert_log "$LOG" '^first line$'
}

@test "vi creates a new file" {
	assert_log "$LOG" '^2$'
	assert_log "$LOG" '^line two$'
	refute_log "$LOG" 'KERNEL PANIC|fault'
}
