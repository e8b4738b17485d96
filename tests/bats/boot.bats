#!/usr/bin/env bats
# The image `make run` boots: servers start, and BusyBox's shell runs on the
# serial console as pid 1 of the POSIX personality.

load helpers

setup_file() {
	export LOG="$BATS_FILE_TMPDIR/run.log"
	shell_session tessera.iso "$LOG" 60 \
		'echo hello from the shell' \
		'ls --color=never /etc' \
		'cat /etc/motd' \
		'uname -s -m' \
		'false; echo status=$?' \
		'sh -c "exit 3"; echo child=$?' \
		'cd /usr/bin && pwd' \
		'echo one two three | wc -w' \
		'ls --color=never /etc | grep -c o' \
		'echo done-$((6 * 7))'
}

@test "make run's image boots to a BusyBox shell prompt without a panic" {
	assert_log "$LOG" 'init: system up'
	assert_log "$LOG" '^/ # '
	refute_log "$LOG" 'KERNEL PANIC|fault:'
}

@test "the kernel log has timestamps, memory, ACPI and the timer" {
	assert_log "$LOG" '^\[ *[0-9]+\.[0-9]{6}\] Tessera kernel'
	assert_log "$LOG" 'pmm: [0-9]+ MiB RAM'
	assert_log "$LOG" 'acpi: 1 CPU\(s\), LAPIC 0xfee00000, IOAPIC 0xfec00000'
	assert_log "$LOG" 'lapic: timer [0-9]+ ticks per 10 ms, 1000 Hz'
}

@test "shell builtins, applets and the root filesystem work" {
	assert_log "$LOG" '^hello from the shell$'
	assert_log "$LOG" 'group +hostname +inittab +motd +passwd'
	assert_log "$LOG" '^Welcome to Tessera: BusyBox on a microkernel'
	assert_log "$LOG" '^Tessera x86_64$'
	assert_log "$LOG" '^/usr/bin$'
	assert_log "$LOG" '^done-42$'
}

@test "pipelines connect commands" {
	# three words; three names in /etc with an o (group, hostname, motd)
	local n
	n=$(tr -d '\r' < "$LOG" | grep -c '^3$')
	[ "$n" -eq 2 ] || { show_log "$LOG"; false; }
}

@test "commands run in child processes and report their exit status" {
	assert_log "$LOG" '^status=1$'
	assert_log "$LOG" '^child=3$'
}

@test "the VGA text console shows the kernel log (until the VFS takes the screen)" {
	local screen="$BATS_TEST_TMPDIR/screen.txt"
	vga_text_after tessera.iso "$BATS_TEST_TMPDIR/vga.log" "system up" 60 "$screen"
	grep -q 'boot: first user process at' "$screen" || {
		echo "VGA screen:"; cat "$screen"; false; }
}
