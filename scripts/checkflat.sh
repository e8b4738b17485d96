#!/bin/sh
# Check that QEMU's multiboot1 loader puts KERNEL where its ELF program
# headers say:  checkflat.sh KERNEL
# QEMU ignores the program headers of an image whose multiboot1 header has
# address fields (kernel/arch/x86_64/boot.S): it copies load_end - load_addr
# bytes from the file offset at which header_addr - load_addr puts
# load_addr, then zeroes up to bss_end. So every loaded segment must lie in
# the file at the same distance from that offset as in memory from load_addr.
set -eu
elf=$1
fail() { echo "checkflat: $elf: $*" >&2; exit 1; }

# the header: the magic on a 4-byte boundary in the first 8 KiB
word=$(od -An -tx4 -v -w4 -N8192 "$elf" | grep -n ' 1badb002$' | head -n 1 | cut -d: -f1)
[ -n "$word" ] || fail "no multiboot1 header in the first 8 KiB"
hdr=$(( (word - 1) * 4 ))
# magic flags checksum header_addr load_addr load_end_addr bss_end_addr entry_addr
set -- $(od -An -tu4 -j "$hdr" -N32 "$elf")
load=$5 load_end=$6 bss_end=$7 entry=$8
base=$(( hdr - ($4 - load) ))
[ "$entry" -eq "$(( $(readelf -hW "$elf" | sed -n 's/.*Entry point address: *//p') ))" ] ||
	fail "entry_addr is not the ELF entry point"

readelf -lW "$elf" | while read -r type offset vaddr paddr filesz memsz rest; do
	[ "$type" = LOAD ] || continue
	if [ $((filesz)) -gt 0 ]; then
		[ $((offset - base)) -eq $((paddr - load)) ] ||
			fail "segment at $paddr is at file offset $offset, not where QEMU reads it"
		[ $((paddr + filesz)) -le "$load_end" ] || fail "segment at $paddr ends after load_end_addr"
	fi
	[ $((paddr + memsz)) -le "$bss_end" ] || fail "segment at $paddr ends after bss_end_addr"
done
