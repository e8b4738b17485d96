#!/usr/bin/env bats
# The same images booted the other way: QEMU loads the kernel and modules
# itself (-kernel, multiboot1; scripts/mkkboot.sh), as make bench does to
# time Tessera like for like with Linux. The kernel must get the same boot
# facts as from GRUB, the ACPI RSDP included, which multiboot1 does not pass.

load helpers

@test "-kernel boot of make run's modules reaches a BusyBox prompt and runs commands" {
	local log="$BATS_TEST_TMPDIR/kboot.log"
	shell_session tessera.kboot "$log" 60 'uname -s' 'echo kboot-$((6 * 7))'
	assert_log "$log" 'Tessera kernel, .*multiboot1 loader'
	assert_log "$log" 'init: system up'
	assert_log "$log" '^/ # '
	assert_log "$log" '^Tessera$'
	assert_log "$log" '^kboot-42$'
	refute_log "$log" 'KERNEL PANIC|fault:'
}

@test "-kernel boot finds ACPI in BIOS memory; the self tests pass and poweroff ends QEMU" {
	local log="$BATS_TEST_TMPDIR/kboot-test.log"
	boot tessera-test.kboot "$log" 120
	assert_status "$log" 0
	assert_log "$log" "multiboot1 loader, cmdline 'poweroff'"
	assert_log "$log" 'boot: RSDP found in BIOS memory at 0x[0-9a-f]+'
	assert_log "$log" 'acpi: 1 CPU\(s\), LAPIC 0xfee00000, IOAPIC 0xfec00000 .* S5 yes'
	assert_log "$log" 'init: tests: [1-9][0-9]* passed, 0 failed'   # the count: kernel.bats
	refute_log "$log" 'FAIL|KERNEL PANIC'
}
