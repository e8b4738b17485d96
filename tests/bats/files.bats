#!/usr/bin/env bats
# Files from the shell on the writable root filesystem: redirections,
# directories, copies, moves, links, devices, FIFOs, and a script written
# at run time and executed.

load helpers

setup_file() {
	export LOG="$BATS_FILE_TMPDIR/files.log"
	shell_session tessera.iso "$LOG" 90 \
		'echo hi > /tmp/f; cat /tmp/f' \
		'echo more >> /tmp/f; cat < /tmp/f | wc -l' \
		'ls /nonexistent > /tmp/err 2>&1; echo err-lines=$(grep -c nonexistent /tmp/err)' \
		'ls /nonexistent 2>/dev/null; echo quiet=$?' \
		'mkdir -p /tmp/a/b/c && cp /etc/motd /tmp/a/b/c/m && mv /tmp/a/b/c/m /tmp/a/moved && cat /tmp/a/moved' \
		'ln -s /tmp/a/moved /tmp/sl && ls -l --color=never /tmp/sl' \
		'ln /tmp/f /tmp/hard && ls -l --color=never /tmp/f' \
		'rm -r /tmp/a && ls /tmp/a; echo gone=$?' \
		'cat /dev/null; echo null=$?' \
		'head -c 4 /dev/zero | od -An -tx1' \
		'printf "#!/bin/sh\necho script ran \$1\n" > /tmp/s.sh; chmod +x /tmp/s.sh; /tmp/s.sh arg' \
		'sed -i s/hi/HI/ /tmp/f && cat /tmp/f | head -1' \
		'touch /tmp/t && ls -l --color=never /tmp/t' \
		'mkdir /tmp/small && mount -t tmpfs -o size=16m small /tmp/small && echo mounted' \
		'dd if=/dev/zero of=/tmp/small/big bs=1M count=600 2>&1 | grep -c "No space left"' \
		'df -k /tmp/small | tail -1' \
		'rm /tmp/small/big && echo after-full > /tmp/small/x && cat /tmp/small/x' \
		'truncate -s 805306368 /tmp/sparse && ls -s --color=never /tmp/sparse' \
		'rm /tmp/sparse && echo done-sparse' \
		'echo done-files'
}

@test "redirections write, append and read files" {
	assert_log "$LOG" '^hi$'
	assert_log "$LOG" '^2$'
	assert_log "$LOG" '^err-lines=1$'
	assert_log "$LOG" '^quiet=1$'
	# the error went to /tmp/err, then to /dev/null: never to the console
	refute_log "$LOG" '^ls: /nonexistent: No such file'
}

@test "mkdir -p, cp, mv, rm -r" {
	assert_log "$LOG" '^Welcome to Tessera'
	assert_log "$LOG" '^gone=1$'
}

@test "ls -l shows symlinks, link counts, sizes and modes" {
	assert_log "$LOG" '^lrwxrwxrwx +1 root +root +12 .* /tmp/sl -> /tmp/a/moved$'
	assert_log "$LOG" '^-rw-r--r-- +2 root +root +8 .* /tmp/f$'
	assert_log "$LOG" '^-rw-r--r-- +1 root +root +0 .* /tmp/t$'
}

@test "device nodes: /dev/null and /dev/zero" {
	assert_log "$LOG" '^null=0$'
	assert_log "$LOG" '^ 00 00 00 00$'
}

@test "a script written from the shell runs after chmod +x" {
	assert_log "$LOG" '^script ran arg$'
}

@test "dd fills a tmpfs with size=16m: ENOSPC, the VFS goes on; a 768 MiB hole costs nothing" {
	assert_log "$LOG" '^mounted$'
	assert_log "$LOG" '^1$'
	assert_log "$LOG" '^small +16384 +16384 +0 +100% /tmp/small$'
	assert_log "$LOG" '^after-full$'
	assert_log "$LOG" '^ +0 /tmp/sparse$'
	assert_log "$LOG" '^done-sparse$'
}

@test "sed -i edits a file in place (a temporary file renamed over it)" {
	assert_log "$LOG" '^HI$'
	assert_log "$LOG" '^done-files$'
	refute_log "$LOG" 'KERNEL PANIC|fault:'
}

@test "a FIFO carries a background writer's line to cat; /proc/self/fd/0 reopens a pipe" {
	run "$ROOT/scripts/tessera-run" 'mkfifo /tmp/f; (echo hi > /tmp/f &); cat /tmp/f; echo x | cat /proc/self/fd/0'
	[ "$status" -eq 0 ] && [ "${lines[0]}" = hi ] && [ "${lines[1]}" = x ] || { echo "$output"; false; }
}
