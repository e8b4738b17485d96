#!/usr/bin/env bats
# The image `make run` boots: servers start and talk over IPC.

load helpers

setup_file() {
	export LOG="$BATS_FILE_TMPDIR/run.log"
	boot_until tessera.iso "$LOG" "system up" 60
}

@test "make run's image boots to 'system up' without a panic" {
	assert_status "$LOG" 0
	refute_log "$LOG" "KERNEL PANIC"
}

@test "the kernel log has timestamps, memory, ACPI and the timer" {
	assert_log "$LOG" '^\[ *[0-9]+\.[0-9]{6}\] Tessera kernel'
	assert_log "$LOG" 'pmm: [0-9]+ MiB RAM'
	assert_log "$LOG" 'acpi: 1 CPU\(s\), LAPIC 0xfee00000, IOAPIC 0xfec00000'
	assert_log "$LOG" 'lapic: timer [0-9]+ ticks per 10 ms, 1000 Hz'
}

@test "the demo client reaches the echo server through the name service" {
	assert_log "$LOG" 'hello: echo answered 0: label 0x200 word 42'
	assert_log "$LOG" 'hello: echo incremented 14 bytes in place: "ifmmp-!ufttfsb"'
}

@test "the VGA text console shows the same log" {
	local screen="$BATS_TEST_TMPDIR/screen.txt"
	vga_text_after tessera.iso "$BATS_TEST_TMPDIR/vga.log" "system up" 60 "$screen"
	grep -q 'hello: echo answered 0: label 0x200 word 42' "$screen" || {
		echo "VGA screen:"; cat "$screen"; false; }
}
