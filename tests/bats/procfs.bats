#!/usr/bin/env bats
# procfs over the serial shell: what ps, top, free, uptime, mount and pidof
# read from /proc must describe the real processes and machine.

load helpers

setup_file() {
	export LOG="$BATS_FILE_TMPDIR/procfs.log"
	shell_session tessera.iso "$LOG" 90 \
		'echo shell-pid=$$' \
		'sleep 1 | ps' \
		'sh -c '\''read a b c d e < /proc/self/stat; echo "self-stat $a $$ $b $c $d $PPID"'\''' \
		'exec_pid=$(sh -c '\''echo $$; exec cut -d" " -f1-4 /proc/self/stat'\'' | xargs echo); echo "exec-stat $exec_pid"' \
		'echo uptime-a $(cut -d" " -f1 /proc/uptime); sleep 1; echo uptime-b $(cut -d" " -f1 /proc/uptime)' \
		'free' \
		'uptime' \
		'mount' \
		'ls /proc | xargs echo procdirs:' \
		'sh -c '\''echo $$; exec sleep 2'\'' | { read p; sleep 0.5; echo "pidof-check $p $(pidof sleep)"; }' \
		'top -b -n 1' \
		'sh -c '\''echo $$; while :; do :; done'\'' | { read p; sleep 2; echo busy-utime: $(cut -d" " -f14 /proc/$p/stat); kill $p; }' \
		'echo tty: $(tty)' \
		'exec 5< /etc/motd; ls -l /proc/$$/fd | cat; exec 5<&-' \
		'ps -o pid,tty,comm' \
		'echo exe: $(readlink /proc/$$/exe) cwd: $(cd /tmp && readlink /proc/self/cwd)' \
		'cat /proc/self/maps' \
		'cat /proc/self/mountinfo' \
		'echo procfs-done'
}

@test "the session ran to its end without a panic" {
	assert_log "$LOG" '^procfs-done'
	refute_log "$LOG" 'panic'
}

@test "ps lists init, the shell, a pipeline's other process and ps itself" {
	assert_log "$LOG" '^shell-pid=2$'
	assert_log "$LOG" '^PID +USER +TIME +COMMAND$'
	assert_log "$LOG" '^ +1 root +[0-9]+:[0-9]{2} /sbin/init$'
	assert_log "$LOG" '^ +2 root +[0-9]+:[0-9]{2} -/bin/sh$'
	assert_log "$LOG" '^ +[0-9]+ root +[0-9]+:[0-9]{2} sleep 1$'
	assert_log "$LOG" '^ +[0-9]+ root +[0-9]+:[0-9]{2} ps$'
}

@test "/proc/self/stat describes the process reading it" {
	# a shell reading it itself: pid = $$, comm (sh), running, ppid = $PPID
	assert_log "$LOG" '^self-stat ([0-9]+) \1 \(sh\) R ([0-9]+) \2$'
	# a shell that execs cut keeps its pid; comm becomes cut; its parent is
	# the command substitution's shell
	assert_log "$LOG" '^exec-stat ([0-9]+) \1 \(cut\) R [0-9]+$'
}

@test "/proc/uptime increases" {
	local a b
	a=$(tr -d '\r' < "$LOG" | sed -n 's/^uptime-a \([0-9.]*\)$/\1/p')
	b=$(tr -d '\r' < "$LOG" | sed -n 's/^uptime-b \([0-9.]*\)$/\1/p')
	[ -n "$a" ] && [ -n "$b" ] || { show_log "$LOG"; false; }
	awk -v a="$a" -v b="$b" 'BEGIN { exit !(b - a >= 0.9) }' || { echo "uptime $a then $b"; false; }
}

@test "free shows the machine's RAM (QEMU -m 512M)" {
	local total
	total=$(tr -d '\r' < "$LOG" | awk '/^Mem: +[0-9]+ +[0-9]+ +[0-9]+/ { print $2; exit }')
	[ -n "$total" ] || { show_log "$LOG"; false; }
	# 512 MiB less what firmware and the device hole keep, in KiB
	[ "$total" -gt 500000 ] && [ "$total" -le 524288 ] || { echo "MemTotal $total"; false; }
}

@test "uptime and mount read /proc and the process manager" {
	assert_log "$LOG" ' up [0-9]+ min, +0 users, +load average: [0-9.]+, [0-9.]+, [0-9.]+$'
	assert_log "$LOG" '^rootfs on / type rootfs \(rw\)$'
	assert_log "$LOG" '^devtmpfs on /dev type devtmpfs \(rw,nosuid,relatime\)$'
	assert_log "$LOG" '^proc on /proc type proc \(rw,nosuid,nodev,noexec,relatime\)$'
}

@test "ls /proc shows a directory per live process and pidof finds a process by name" {
	assert_log "$LOG" '^procdirs: 1( [0-9]+)+ filesystems loadavg meminfo mounts self stat uptime version$'
	assert_log "$LOG" '^pidof-check ([0-9]+) \1$'
}

@test "a busy process accumulates CPU time (stat field 14, utime)" {
	assert_log "$LOG" '^busy-utime: [1-9][0-9]*$'
}

@test "top shows memory and the processes" {
	assert_log "$LOG" '^Mem: [0-9]+K used, [0-9]+K free'
	assert_log "$LOG" '^ +1 +0 root +S +[0-9]+ .* /sbin/init$'
	assert_log "$LOG" '^ +2 +1 root +S +[0-9]+ .* -/bin/sh$'
	assert_log "$LOG" '^ +[0-9]+ +2 root +R +[0-9]+ .* top -b -n 1$'
}

@test "tty names the shell's terminal (/proc/self/fd/0)" {
	assert_log "$LOG" '^tty: /dev/ttyS0$'
}

@test "ls -l /proc/PID/fd shows the shell's descriptors and where they lead" {
	assert_log "$LOG" '^lrwx------ +1 root +root +64 .* 0 -> /dev/ttyS0$'
	assert_log "$LOG" '^lrwx------ +1 root +root +64 .* 2 -> /dev/ttyS0$'
	assert_log "$LOG" '^lr-x------ +1 root +root +64 .* 5 -> /etc/motd$'
}

@test "ps -o tty shows each process's controlling terminal (stat's tty_nr)" {
	# BusyBox's ps prints major,minor (procps's would say ttyS0 and tty1)
	assert_log "$LOG" '^ +2 4,64 +sh$'
	assert_log "$LOG" '^ +3 4,1 +sh$'
	assert_log "$LOG" '^ +[0-9]+ 4,64 +ps$'
}

@test "/proc/PID/exe is the executable (an applet's link resolved), cwd the working directory" {
	assert_log "$LOG" '^exe: /bin/busybox cwd: /tmp$'
}

@test "/proc/self/maps shows the executable's segments by name, the stack, Linux's columns" {
	assert_log "$LOG" '^[0-9a-f]{8}-[0-9a-f]{8} r-xp [0-9a-f]{8} [0-9a-f]{2}:[0-9a-f]{2} [0-9]+ {2,}/bin/busybox$'
	assert_log "$LOG" '^[0-9a-f]{8}-[0-9a-f]{8} rw-p [0-9a-f]{8} [0-9a-f]{2}:[0-9a-f]{2} [0-9]+ {2,}/bin/busybox$'
	assert_log "$LOG" '^[0-9a-f]{12}-[0-9a-f]{12} rw-p 00000000 00:00 0 {26}\[stack\]$'
}

@test "/proc/self/mountinfo shows the root and /proc mounts in Linux's format" {
	assert_log "$LOG" '^1 1 [0-9]+:[0-9]+ / / [a-z,]+ - [a-z]+ [^ ]+ rw$'
	assert_log "$LOG" '^[0-9]+ 1 [0-9]+:[0-9]+ / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw$'
}
