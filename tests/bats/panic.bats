#!/usr/bin/env bats
# A kernel fault panics with registers and a symbolized backtrace, and QEMU
# exits with a failure status.

load helpers

setup_file() {
	export LOG="$BATS_FILE_TMPDIR/panic.log"
	boot tessera-panic.iso "$LOG" 60
}

@test "QEMU exits with the panic status (isa-debug-exit 0x31 -> 99)" {
	assert_status "$LOG" 99
}

@test "the panic shows the fault and the registers" {
	assert_log "$LOG" 'KERNEL PANIC: page fault \(vector 14, error 0x2\) cr2=0000000000000010'
	assert_log "$LOG" 'rip=ffffffff8[0-9a-f]+ cs=0008'
	assert_log "$LOG" 'r13=[0-9a-f]{16} r14=[0-9a-f]{16} r15=[0-9a-f]{16} cr3=[0-9a-f]{16}'
}

@test "the backtrace is symbolized" {
	assert_log "$LOG" 'at ffffffff8[0-9a-f]+ panic_test_fault\+0x[0-9a-f]+'
	assert_log "$LOG" '#0 ffffffff8[0-9a-f]+ kmain\+0x[0-9a-f]+'
}
