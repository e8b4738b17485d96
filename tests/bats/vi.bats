#!/usr/bin/env bats
# BusyBox vi over the serial terminal: raw mode, escape sequences, editing
# and saving a file that the shell then reads. Keys come as a user pastes
# them, several commands in one read (vi reads a byte at a time and asks
# poll whether more waits), and typed one at a time. An escape goes alone:
# to vi, as on Linux, keys right behind it would be an escape sequence.

load helpers

setup_file() {
	export LOG="$BATS_FILE_TMPDIR/vi.log"
	shell_session tessera.iso "$LOG" 150 \
		'printf "first line\n" > /tmp/notes.txt' \
		'vi /tmp/notes.txt' 'KEY:Gohello from vi' 'KEY:\033' 'KEY::wq\r' \
		'cat /tmp/notes.txt' \
		'vi /tmp/notes.txt' 'KEY:ggdd:wq\r' \
		'echo "left: $(cat /tmp/notes.txt)"' \
		'vi /tmp/new.txt' 'KEY:i' 'KEY:line one\r' 'KEY:line two' 'KEY:\033' 'KEY::x\r' \
		'wc -l < /tmp/new.txt; tail -1 /tmp/new.txt'
}

@test "vi appends a line to a file and saves it (keys pasted)" {
	tr -d '\r' < "$LOG" | grep -A2 '/ # cat /tmp/notes.txt$' | grep -q '^hello from vi$' ||
		{ show_log "$LOG"; false; }
	assert_log "$LOG" '^first line$'
}

@test "vi runs commands and a colon command pasted in one read" {
	assert_log "$LOG" '^left: hello from vi$'
}

@test "vi creates a new file (keys typed one at a time)" {
	assert_log "$LOG" '^2$'
	assert_log "$LOG" '^line two$'
	refute_log "$LOG" 'KERNEL PANIC|fault'
}
