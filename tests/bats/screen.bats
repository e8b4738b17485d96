#!/usr/bin/env bats
# The screen terminal (tty1): typed on the PS/2 keyboard through QEMU's
# monitor, read back from the VGA text memory. BusyBox init starts a shell
# there (rootfs/etc/inittab) as on the serial console.

load helpers

# step NAME: the screen as it is now, kept as $BATS_FILE_TMPDIR/NAME.txt
step() {
	screen_wait "$2" 20 || true
	cp "$SCREEN_DIR/screen.txt" "$BATS_FILE_TMPDIR/$1.txt"
}

setup_file() {
	export SERIAL="$BATS_FILE_TMPDIR/serial.log"
	screen_start tessera.iso "$SERIAL" 150
	serial_wait '^/ # ' 1 60
	step boot 'boot: first user process'
	step prompt '^/ # *$'
	keys_type $'echo $((6*7))\n'
	step arithmetic '^42 *$'
	keys_send up ret
	sleep 2
	step history '^42 *$'
	keys_type 'echo abcx'; keys_send backspace; keys_type $'d\n'
	step backspace '^abcd *$'
	keys_type 'echo one two'; keys_send ctrl-w; keys_type $'three\n'
	step werase '^one three *$'
	keys_type 'junk junk'; keys_send ctrl-u; keys_type $'echo killed\n'
	step kill '^killed *$'
	keys_type $'sleep 30\n'; sleep 2; keys_send ctrl-c
	keys_type $'echo after=$?\n'
	step interrupt '^after=130 *$'
	keys_type $'cat\nline\n'; sleep 1; keys_send ctrl-d
	keys_type $'echo cat=$?\n'
	step eof '^cat=0 *$'
	serial_type 'echo from-serial; nc 127.0.0.1 1; echo nc=$?'
	serial_wait '^nc=' 1 20
	serial_type 'echo serial-ctty >/dev/tty'
	keys_type $'echo screen-ctty >/dev/tty\n'
	step tty '^screen-ctty *$'
	keys_type $'vi /etc/motd\n'
	step vi '^~ *$'
	keys_type ':q'; keys_send ret
	keys_type $'echo vi=$?\n'
	step vi-quit '^vi=0 *$'
	keys_send ctrl-d
	sleep 2
	keys_type $'echo respawned-$$\n'
	step respawn '^respawned-[0-9]+ *$'
	screen_stop
}

# assert_screen NAME REGEX: a line of that screen matches
assert_screen() {
	grep -qE -- "$2" "$BATS_FILE_TMPDIR/$1.txt" && return 0
	echo "no line matching $2 on the screen ($1):"
	cat "$BATS_FILE_TMPDIR/$1.txt"
	show_log "$SERIAL"
	return 1
}

refute_screen() {
	! grep -qE -- "$2" "$BATS_FILE_TMPDIR/$1.txt" && return 0
	echo "unexpected line matching $2 on the screen ($1):"
	cat "$BATS_FILE_TMPDIR/$1.txt"
	return 1
}

@test "the screen shows the kernel log until the VFS takes it" {
	assert_screen boot '^\[ *[0-9]+\.[0-9]{6}\] boot: first user process at'
	assert_log "$SERIAL" 'boot: first user process'
}

@test "a shell on tty1 prompts on the screen" {
	assert_screen prompt '^/ # *$'
}

@test "a command typed on the keyboard runs and shows its output on the screen" {
	assert_screen arithmetic '^/ # echo \$\(\(6\*7\)\) *$'
	assert_screen arithmetic '^42 *$'
}

@test "the up arrow recalls the last command (VT100 keys reach ash's line editing)" {
	[ "$(grep -c '^42 *$' "$BATS_FILE_TMPDIR/history.txt")" -eq 2 ] || {
		cat "$BATS_FILE_TMPDIR/history.txt"; false; }
}

@test "backspace, ^W and ^U edit the line" {
	assert_screen backspace '^abcd *$'
	assert_screen werase '^one three *$'
	assert_screen kill '^killed *$'
	refute_screen kill '^junk'
}

@test "^C on the keyboard interrupts the foreground job on tty1" {
	assert_screen interrupt '^\^C *$'
	assert_screen interrupt '^after=130 *$'
}

@test "^D ends the input of cat" {
	assert_screen eof '^line *$'
	assert_screen eof '^cat=0 *$'
}

@test "/dev/tty is each shell's own terminal; the serial console works alongside" {
	assert_screen tty '^screen-ctty *$'
	refute_screen tty 'serial-ctty'
	assert_log "$SERIAL" '^serial-ctty$'
	assert_log "$SERIAL" '^from-serial$'
}

@test "once user space has the screen, the kernel log stays off it" {
	assert_log "$SERIAL" 'ENOSYS socket'
	refute_screen tty 'ENOSYS'
	refute_screen tty 'from-serial'
}

@test "vi draws the file on the screen and quits" {
	assert_screen vi 'Welcome to Tessera'
	assert_screen vi-quit '^vi=0 *$'
	refute_log "$SERIAL" 'KERNEL PANIC|fault:'
}

@test "after ^D ends the screen's shell, init starts a new one that owns tty1" {
	assert_screen respawn '^respawned-[0-9]+ *$'
	keys_ok=$(grep -c '^/ # ' "$BATS_FILE_TMPDIR/respawn.txt")
	[ "$keys_ok" -ge 1 ]
}
