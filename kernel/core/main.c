/* Kernel entry: bring up memory, interrupts and the scheduler, then start
 * the first user process (init) with capabilities to everything. */
#include <arch/platform.h>
#include <arch/trapframe.h>
#include <bootinfo.h>
#include <bootmod.h>
#include <cap.h>
#include <irq.h>
#include <log.h>
#include <mm.h>
#include <proc.h>
#include <quota.h>
#include <sched.h>
#include <vm.h>
#include <tessera/errno.h>

void kmain(uint32_t magic, uint64_t info_phys);
void console_enable_vga(void);

uint64_t boot_to_first_user_ns;

static uint32_t give(struct process *p, struct cap c)
{
	int slot = cap_install(p, &c);

	if (slot < 0)
		panic("init: capability table full");
	return slot;
}

static void give_init_caps(struct process *p, struct ts_bootinfo *bi)
{
	bi->system_slot = give(p, (struct cap){ .type = TS_CAP_SYSTEM });
	bi->ioport_slot = give(p, (struct cap){ .type = TS_CAP_IOPORT, .len = 65536 });
	bi->mmio_slot = give(p, (struct cap){ .type = TS_CAP_MMIO, .len = 1ull << 52 });
	bi->dma_slot = give(p, (struct cap){ .type = TS_CAP_DMA });
	bi->spawn_slot = give(p, (struct cap){ .type = TS_CAP_SPAWN, .base = 1,
					       .len = MAX_PRIO });
	bi->log_slot = give(p, (struct cap){ .type = TS_CAP_LOG });
	bi->irq_count = irq_line_count();
	for (unsigned gsi = 0; gsi < bi->irq_count; gsi++) {
		uint32_t s = give(p, (struct cap){ .type = TS_CAP_IRQ, .base = gsi });
		if (gsi == 0)
			bi->irq_first_slot = s;
	}
	for (unsigned i = 1; i < bootmod_count() && i <= TS_BOOT_MAX_MODULES; i++) {
		struct bootmod *m = bootmod_get(i);
		unsigned k = bi->module_count++;
		bi->module[k].slot = give(p, (struct cap){ .type = TS_CAP_MODULE,
							   .rights = TS_RIGHTS_ALL, .obj = m });
		bi->module[k].size = m->size;
		strlcpy(bi->module[k].name, m->name, sizeof bi->module[k].name);
		strlcpy(bi->module[k].args, m->args, sizeof bi->module[k].args);
	}
	strlcpy(bi->cmdline, boot_info.cmdline, sizeof bi->cmdline);
}

static void start_init(void)
{
	static struct ts_bootinfo bi;
	struct bootmod *m = bootmod_get(0);

	if (!m)
		panic("no boot modules: the first module must be init");
	struct process *p = proc_create(m->name, &quota_unlimited);
	int err = p ? proc_load(p, m->image, m->size) : -ENOMEM;
	if (err)
		panic("cannot load %s: error %d", m->name, err);
	give_init_caps(p, &bi);

	/* bootinfo goes on top of init's stack; rdi points at it */
	uint64_t at = USER_STACK_TOP - ALIGN_UP(sizeof bi, 16);
	if (copy_to_user(p->vm, at, &bi, sizeof bi))
		panic("init: stack not mapped");
	struct thread *t = list_first(&p->threads, struct thread, proc_link);
	t->frame->rsp = at - 8;
	t->frame->rdi = at;
	sched_wake(t, 0);
	klog("init: pid %u (%s), %u modules", p->pid, p->name, bi.module_count);
}

/* "panic_test" on the command line: fault in the kernel on purpose, so the
 * tests can see a panic print registers and a symbolized backtrace and make
 * QEMU exit with a failure status. */
static __attribute__((noinline)) void panic_test_fault(void)
{
	uint64_t addr = 16;

	__asm__ volatile("" : "+r"(addr));   /* hide the constant from the compiler */
	*(volatile uint64_t *)addr = 1;
	klog("panic_test: the fault did not happen");
}

static bool cmdline_has(const char *word)
{
	size_t n = strlen(word);

	for (const char *p = boot_info.cmdline; *p; p++)
		if ((p == boot_info.cmdline || p[-1] == ' ') && !strncmp(p, word, n) &&
		    (p[n] == 0 || p[n] == ' '))
			return true;
	return false;
}

static uint64_t max_phys(void)
{
	uint64_t top = 0;

	for (unsigned i = 0; i < boot_info.nram; i++)
		top = MAX(top, boot_info.ram[i].base + boot_info.ram[i].len);
	return top;
}

void kmain(uint32_t magic, uint64_t info_phys)
{
	serial_init();
	tsc_calibrate();
	sched_init();
	boot_info_init(magic, info_phys);
	klog("Tessera kernel, TSC %lu MHz, %s loader, cmdline '%s'", tsc_per_us,
	     boot_info.loader, boot_info.cmdline);
	pmm_init(&boot_info);
	paging_init(max_phys());
	kheap_init();
	console_enable_vga();
	acpi_init(boot_info.rsdp_phys);
	lapic_init();
	ioapic_init();
	irq_init();
	bootmod_init();
	if (cmdline_has("panic_test"))
		panic_test_fault();
	start_init();
	lapic_timer_start(TIMER_HZ);
	boot_to_first_user_ns = time_ns();
	klog("boot: first user process at %lu ms", boot_to_first_user_ns / 1000000);
	sched_start();
}
