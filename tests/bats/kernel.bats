#!/usr/bin/env bats
# The self-test image: init runs each test program and checks its exit
# status, then powers the machine off (status 0 only if all passed).

load helpers

setup_file() {
	export LOG="$BATS_FILE_TMPDIR/test.log"
	boot tessera-test.iso "$LOG" 120
}

@test "every in-OS test passes and the machine powers off cleanly" {
	assert_status "$LOG" 0
	assert_log "$LOG" 'init: tests: 10 passed, 0 failed'
	refute_log "$LOG" 'FAIL|KERNEL PANIC'
}

@test "IPC: calls, grants, bad capabilities and pointers, deferred replies" {
	assert_log "$LOG" 'ipc_test: ipc_test: [0-9]+ passed, 0 failed'
	assert_log "$LOG" 'init: test ipc_test: ok'
}

@test "names: list, watch, broadcast, generated checks; the event loop" {
	assert_log "$LOG" 'names_test: names_test: [0-9]+ passed, 0 failed'
	assert_log "$LOG" 'init: test names_test: ok'
}

@test "memory shared copy-on-write: bad arguments refused, no frame leaked" {
	assert_log "$LOG" 'vm_share_test: vm_share_test: [0-9]+ passed, 0 failed'
	assert_log "$LOG" 'init: test vm_share_test: ok'
}

@test "a null write kills only the faulting process" {
	assert_log "$LOG" 'fault: pid [0-9]+ \(fault_null\) killed: page fault at rip 0x[0-9a-f]+ .*addr 0\)'
	refute_log "$LOG" 'still alive'
	assert_log "$LOG" 'init: test fault_null: ok \(status 0x1000e\)'
}

@test "a privileged instruction kills only the faulting process" {
	assert_log "$LOG" 'fault: pid [0-9]+ \(fault_priv\) killed: general protection'
	assert_log "$LOG" 'init: test fault_priv: ok \(status 0x1000d\)'
}

@test "servers keep running after other processes fault" {
	# ipc_test talks to the echo server and runs after both faults
	local fault ipc
	fault=$(grep -n 'fault_priv) killed' "$LOG" | cut -d: -f1)
	ipc=$(grep -n 'init: test ipc_test: ok' "$LOG" | cut -d: -f1)
	[ -n "$fault" ] && [ -n "$ipc" ] && [ "$ipc" -gt "$fault" ] || { show_log "$LOG"; false; }
}

@test "two CPU-bound processes are both preempted and both progress" {
	local n
	n=$(tr -d '\r' < "$LOG" | grep -Ec 'spin: [0-9]+ loops, preempted ([5-9]|[1-9][0-9]+) times')
	[ "$n" -eq 2 ] || { show_log "$LOG"; false; }
}

@test "unimplemented Linux syscalls return ENOSYS with one log line" {
	assert_log "$LOG" 'syscall: ENOSYS getpid \(#39\) pid [0-9]+ \(ipc_test\)'
}

@test "driver primitives: IRQ notifications, I/O ports, MMIO, DMA" {
	assert_log "$LOG" 'driver_test: driver_test: [0-9]+ passed, 0 failed'
}

@test "authority: priorities within the spawn capability, quotas per process, no thread table" {
	assert_log "$LOG" 'auth_test: auth_test: [0-9]+ passed, 0 failed'
	assert_log "$LOG" 'init: test auth_test: ok'
}

@test "a native process given nothing is refused every call that needs authority" {
	assert_log "$LOG" 'init: test noauth_test: ok \(status 0\)'
}
