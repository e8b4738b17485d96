/*
 * Multiboot entry, from either loader: GRUB (multiboot2, for the ISO) or
 * QEMU's -kernel (multiboot1, which QEMU only loads from an ELF64 file
 * through the header's address fields). Both leave us in 32-bit protected
 * mode with paging off, the loader's magic in eax and its information block
 * in ebx; kmain() tells them apart by the magic. We build just enough page
 * tables to map the first 1 GiB at 0, at the direct map (PHYSMAP_BASE) and
 * at the kernel's link address, enter long mode and jump to kmain().
 * paging_init() then replaces these tables.
 */
#define MB1_MAGIC 0x1BADB002
/* modules page-aligned, memory map wanted, load by the address fields */
#define MB1_FLAGS ((1 << 0) | (1 << 1) | (1 << 16))
#define MB2_MAGIC 0xE85250D6
#define KERNEL_VMA 0xFFFFFFFF80000000
#define PHYS(sym) ((sym) - KERNEL_VMA)

	/* QEMU reads the image from the file as it lies: load_end - load_addr
	 * bytes from the offset where header_addr - load_addr puts load_addr,
	 * then zeroes up to bss_end. linker.ld keeps the file a flat copy of
	 * memory from 1 MiB on; scripts/checkflat.sh checks it at each link. */
	.section .multiboot1, "a"
	.align 4
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)
	.long mb1_header		/* header_addr */
	.long _kernel_phys_start	/* load_addr */
	.long _kernel_load_end		/* load_end_addr */
	.long _kernel_phys_end		/* bss_end_addr */
	.long _start			/* entry_addr */

	.section .multiboot2, "a"
	.align 8
mb2_header:
	.long MB2_MAGIC
	.long 0
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + (mb2_header_end - mb2_header))
	.align 8
	.short 0, 0
	.long 8
mb2_header_end:

	/* page tables and stack of the stub, in .bss so that no hole splits
	 * the flat image (linker.ld); linked high like the rest of .bss, so
	 * the 32-bit code below uses their physical addresses */
	.section .bss
	.align 4096
boot_pml4:	.skip 4096
boot_pdpt_lo:	.skip 4096
boot_pdpt_hi:	.skip 4096
boot_pd:	.skip 4096
	.skip 4096
boot_stack_top:

	.section .boot.data, "aw"
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00AF9A000000FFFF	/* 0x08: 64-bit kernel code */
	.quad 0x00CF92000000FFFF	/* 0x10: kernel data */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.quad boot_gdt
mb_magic:	.long 0
mb_info:	.long 0

	.section .boot.text, "ax"
	.code32
	.global _start
_start:
	cli
	movl $PHYS(boot_stack_top), %esp
	movl %eax, mb_magic
	movl %ebx, mb_info

	/* PML4[0] (identity) and PML4[256] (direct map) -> PDPT_lo,
	 * PML4[511] -> PDPT_hi; PDPT_lo[0] and PDPT_hi[510] -> one PD */
	movl $PHYS(boot_pdpt_lo), %eax
	orl $3, %eax
	movl %eax, PHYS(boot_pml4)
	movl %eax, PHYS(boot_pml4) + 256 * 8
	movl $PHYS(boot_pdpt_hi), %eax
	orl $3, %eax
	movl %eax, PHYS(boot_pml4) + 511 * 8
	movl $PHYS(boot_pd), %eax
	orl $3, %eax
	movl %eax, PHYS(boot_pdpt_lo)
	movl %eax, PHYS(boot_pdpt_hi) + 510 * 8

	/* PD: 512 x 2 MiB pages = the first 1 GiB */
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax			/* present, writable, large */
	movl %eax, PHYS(boot_pd)(, %ecx, 8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b

	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $(1 << 5), %eax		/* PAE */
	movl %eax, %cr4
	movl $0xC0000080, %ecx		/* EFER */
	rdmsr
	orl $((1 << 8) | (1 << 11)), %eax	/* LME, NXE */
	wrmsr
	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16)), %eax	/* PG, WP */
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $long_mode

	.code64
long_mode:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_kstack_top, %rsp
	xorl %ebp, %ebp
	movl mb_magic, %edi
	movl mb_info, %esi
	movabsq $kmain, %rax
	call *%rax
2:	hlt
	jmp 2b

	.section .bss
	.align 16
	.global boot_kstack_top
boot_kstack:
	.skip 16384
boot_kstack_top:
