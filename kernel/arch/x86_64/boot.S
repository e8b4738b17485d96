/*
 * Multiboot2 entry. GRUB leaves us in 32-bit protected mode with paging off;
 * we build just enough page tables to map the first 1 GiB at 0, at the
 * direct map (PHYSMAP_BASE) and at the kernel's link address, enter long
 * mode and jump to kmain(). paging_init() then replaces these tables.
 */
#define MB2_MAGIC 0xE85250D6
#define KERNEL_VMA 0xFFFFFFFF80000000

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

	.section .boot.bss, "aw", @nobits
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
	movl $boot_stack_top, %esp
	movl %eax, mb_magic
	movl %ebx, mb_info

	/* PML4[0] (identity) and PML4[256] (direct map) -> PDPT_lo,
	 * PML4[511] -> PDPT_hi; PDPT_lo[0] and PDPT_hi[510] -> one PD */
	movl $boot_pdpt_lo, %eax
	orl $3, %eax
	movl %eax, boot_pml4
	movl %eax, boot_pml4 + 256 * 8
	movl $boot_pdpt_hi, %eax
	orl $3, %eax
	movl %eax, boot_pml4 + 511 * 8
	movl $boot_pd, %eax
	orl $3, %eax
	movl %eax, boot_pdpt_lo
	movl %eax, boot_pdpt_hi + 510 * 8

	/* PD: 512 x 2 MiB pages = the first 1 GiB */
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax			/* present, writable, large */
	movl %eax, boot_pd(, %ecx, 8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b

	movl $boot_pml4, %eax
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
