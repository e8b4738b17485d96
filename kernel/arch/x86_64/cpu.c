/* GDT, TSS, IDT and the syscall MSRs of the (for now only) CPU. */
#include <arch/arch.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <common.h>
#include <percpu.h>

struct tss {
	uint32_t rsv0;
	uint64_t rsp0, rsp1, rsp2;
	uint64_t rsv1;
	uint64_t ist[7];
	uint64_t rsv2;
	uint16_t rsv3;
	uint16_t iomap_base;
	uint8_t iomap[IO_BITMAP_BYTES + 1];   /* the extra byte must be 0xFF */
} __attribute__((packed));

_Static_assert(offsetof(struct tss, iomap) == 104, "TSS layout");

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, rsv;
} __attribute__((packed));

static uint64_t gdt[7] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static struct idt_gate idt[256] __attribute__((aligned(16)));
static uint8_t df_stack[8192] __attribute__((aligned(16)));
static bool io_bitmap_loaded;
static uint8_t fpu_initial[FPU_STATE_BYTES] __attribute__((aligned(16)));

extern char isr_stubs[];
extern char syscall_entry[];

static void gdt_init(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;

	gdt[0] = 0;
	gdt[1] = 0x00AF9A000000FFFF;   /* 0x08 kernel code */
	gdt[2] = 0x00CF92000000FFFF;   /* 0x10 kernel data */
	gdt[3] = 0x00CFF2000000FFFF;   /* 0x18 user data (sysret: STAR+8) */
	gdt[4] = 0x00AFFA000000FFFF;   /* 0x20 user code (sysret: STAR+16) */
	gdt[5] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) |
		 (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
	gdt[6] = base >> 32;

	struct { uint16_t lim; uint64_t base; } __attribute__((packed)) gp = {
		sizeof gdt - 1, (uint64_t)gdt };
	__asm__ volatile(
		"lgdt %0\n"
		"pushq $0x08\n"
		"leaq 1f(%%rip), %%rax\n"
		"pushq %%rax\n"
		"lretq\n"
		"1: movw $0x10, %%ax\n"
		"movw %%ax, %%ds\n movw %%ax, %%es\n movw %%ax, %%ss\n"
		"xorw %%ax, %%ax\n movw %%ax, %%fs\n movw %%ax, %%gs\n"
		"movw $0x28, %%ax\n ltr %%ax\n"
		:: "m"(gp) : "rax", "memory");
}

/* Interrupt gates; user mode may raise only the breakpoint (int3) itself:
 * any other int n is a #GP, as on Linux. */
static void idt_init(void)
{
	for (int v = 0; v < 256; v++) {
		uint64_t off = (uint64_t)isr_stubs + 16 * v;
		idt[v] = (struct idt_gate){
			.off_lo = off & 0xFFFF, .sel = 0x08,
			.ist = v == 8 ? 1 : 0, .type = v == 3 ? 0xEE : 0x8E,
			.off_mid = (off >> 16) & 0xFFFF, .off_hi = off >> 32 };
	}
	struct { uint16_t lim; uint64_t base; } __attribute__((packed)) ip = {
		sizeof idt - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" :: "m"(ip));
}

static void fpu_init(void)
{
	uint64_t cr0, cr4;
	uint32_t mxcsr = 0x1F80;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	/* EM off, MP on; NE on: an unmasked x87 exception is a #MF (a signal),
	 * not the legacy FERR# interrupt */
	cr0 = (cr0 & ~(1ull << 2)) | (1ull << 1) | (1ull << 5);
	__asm__ volatile("mov %0, %%cr0" :: "r"(cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= (1ull << 9) | (1ull << 10);               /* OSFXSR, OSXMMEXCPT */
	__asm__ volatile("mov %0, %%cr4" :: "r"(cr4));
	__asm__ volatile("fninit; ldmxcsr %1; fxsave64 %0"
			 : "=m"(fpu_initial) : "m"(mxcsr));
}

void arch_fpu_init_state(uint8_t *state)
{
	memcpy(state, fpu_initial, FPU_STATE_BYTES);
}

/* An FPU state from user space made safe to load: fxrstor faults on MXCSR
 * bits the CPU does not have. */
void arch_fpu_sanitize(uint8_t *state)
{
	uint32_t mask, mxcsr;

	memcpy(&mask, fpu_initial + 28, 4);
	memcpy(&mxcsr, state + 24, 4);
	mxcsr &= mask ? mask : 0xffbf;
	memcpy(state + 24, &mxcsr, 4);
}

void arch_fpu_switch(uint8_t *save, const uint8_t *load)
{
	__asm__ volatile("fxsave64 (%0)" :: "r"(save) : "memory");
	__asm__ volatile("fxrstor64 (%0)" :: "r"(load) : "memory");
}

void arch_cpu_init(struct cpu *c)
{
	fpu_init();
	tss.iomap_base = offsetof(struct tss, iomap);
	memset(tss.iomap, 0xFF, sizeof tss.iomap);
	tss.ist[0] = (uint64_t)df_stack + sizeof df_stack;
	gdt_init();
	idt_init();

	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1);            /* SCE */
	wrmsr(MSR_STAR, (0x10ull << 48) | (0x08ull << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, 0x40700);                        /* IF DF TF AC */
}

void arch_set_kernel_stack(struct cpu *c, uint64_t top)
{
	tss.rsp0 = top;
	c->kstack_top = top;
}

void arch_set_io_bitmap(const uint8_t *bitmap)
{
	if (bitmap) {
		memcpy(tss.iomap, bitmap, IO_BITMAP_BYTES);
		io_bitmap_loaded = true;
	} else if (io_bitmap_loaded) {
		memset(tss.iomap, 0xFF, IO_BITMAP_BYTES);
		io_bitmap_loaded = false;
	}
}

void arch_set_fs_base(uint64_t base)
{
	wrmsr(MSR_FS_BASE, base);
}
