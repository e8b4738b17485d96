/*
 * A native process given nothing but the name service (module line without
 * spawn, log or hardware): every call that needs authority it lacks is
 * -EPERM, before any slot it names is looked at; what needs none (its own
 * threads, endpoints, memory) works. It cannot log, so its exit status
 * says how it went: 0, or the number of the first check that failed.
 */
#include <tessera.h>

static const struct {
	long nr, a0;
	long expect;
} checks[] = {
	{ TS_SYS_LOG, 0, -EPERM },
	{ TS_SYS_PROC_CREATE, 0, -EPERM },
	{ TS_SYS_PROC_SPAWN, 0, -EPERM },
	{ TS_SYS_PROC_FORK, 0, -EPERM },
	{ TS_SYS_THREAD_CREATE, TS_SLOT_NAMES, -EPERM },   /* in another process */
	{ TS_SYS_THREAD_CLONE, 0, -EPERM },
	{ TS_SYS_VM_MAP, TS_SLOT_NAMES, -EPERM },          /* another's memory */
	{ TS_SYS_VM_WRITE, TS_SLOT_NAMES, -EPERM },
	{ TS_SYS_CAP_GIVE, TS_SLOT_NAMES, -EPERM },
	{ TS_SYS_PROC_KILL, TS_SLOT_NAMES, -EPERM },
	{ TS_SYS_THREAD_REGS, TS_SLOT_NAMES, -EPERM },
	{ TS_SYS_MODULE_MAP, 0, -EPERM },
	{ TS_SYS_LINUX_ROUTE, 0, -EPERM },
	{ TS_SYS_IRQ_BIND, 0, -EPERM },
	{ TS_SYS_IRQ_ACK, 0, -EPERM },
	{ TS_SYS_IOPORT_ENABLE, 0, -EPERM },
	{ TS_SYS_MMIO_MAP, 0, -EPERM },
	{ TS_SYS_DMA_ALLOC, 0, -EPERM },
	{ TS_SYS_POWEROFF, 0, -EPERM },
	{ TS_SYS_REBOOT, 0, -EPERM },
	{ TS_SYS_END, 0, -ENOSYS },
	/* a slot of a type it holds: the slot's own check */
	{ TS_SYS_CAP_NARROW, TS_SLOT_NAMES, -EINVAL },
};

static void idle(uint64_t unused)
{
	(void)unused;
	for (;;)
		ts_sleep(~0ull >> 2);
}

static char stack[4096] __attribute__((aligned(16)));

int main(void)
{
	unsigned n = sizeof checks / sizeof checks[0];

	for (unsigned i = 0; i < n; i++)
		if (ts_syscall(checks[i].nr, checks[i].a0, 0, 0, 0, 0, 0) != checks[i].expect)
			return (int)i + 1;
	if (ts_thread_create(idle, stack + sizeof stack, 0) <= 0)
		return n + 1;
	if (ts_ep_create() < 0)
		return n + 2;
	if (ts_vm_map(TS_SELF, 0x40000000, 4096, TS_PROT_READ | TS_PROT_WRITE))
		return n + 3;
	return 0;
}
