/* Syscall entry: native calls through a table, Linux numbers elsewhere. */
#include <arch/trapframe.h>
#include <cap.h>
#include <ipc.h>
#include <irq.h>
#include <log.h>
#include <percpu.h>
#include <proc.h>
#include <sched.h>
#include <syscall.h>
#include <tessera/errno.h>

typedef long (*syscall_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

/*
 * Each native call with the authority it needs: the types of capability the
 * caller must hold (one bit per type, in captable.held), and with `other`
 * the types it needs in addition when its first argument names another
 * process rather than TS_SELF. Checked here, once, before the handler runs;
 * a call that names a slot then checks that slot's type and rights itself
 * (cap_get). POSIX processes make no native calls at all. The same table is
 * in docs/ARCHITECTURE.md ("Capabilities").
 */
struct native_call {
	syscall_fn fn;
	uint32_t need;
	uint32_t other;
};

#define NEED(t) CAP_BIT(TS_CAP_##t)
#define NATIVE(nr, f, n, o) \
	[(nr) - TS_SYS_BASE] = { (syscall_fn)(void (*)(void))(f), (n), (o) }

static const struct native_call native[TS_SYS_END - TS_SYS_BASE] = {
	NATIVE(TS_SYS_LOG, sys_log, NEED(LOG), 0),
	NATIVE(TS_SYS_EXIT, sys_exit, 0, 0),
	NATIVE(TS_SYS_YIELD, sys_yield, 0, 0),
	NATIVE(TS_SYS_SLEEP, sys_sleep, 0, 0),
	NATIVE(TS_SYS_CLOCK, sys_clock, 0, 0),
	NATIVE(TS_SYS_EP_CREATE, sys_ep_create, 0, 0),          /* quota */
	NATIVE(TS_SYS_CAP_MINT, sys_cap_mint, 0, 0),            /* the slot */
	NATIVE(TS_SYS_CAP_DELETE, sys_cap_delete, 0, 0),        /* the slot */
	NATIVE(TS_SYS_CAP_NARROW, sys_cap_narrow, 0, 0),        /* the slot */
	NATIVE(TS_SYS_CAP_GIVE, sys_cap_give, NEED(PROCESS), 0),
	NATIVE(TS_SYS_CALL, sys_call, NEED(ENDPOINT), 0),
	NATIVE(TS_SYS_RECV, sys_recv, NEED(ENDPOINT), 0),
	NATIVE(TS_SYS_REPLY, sys_reply, 0, 0),                  /* a reply handle */
	NATIVE(TS_SYS_REPLY_RECV, sys_reply_recv, NEED(ENDPOINT), 0),
	NATIVE(TS_SYS_NOTIFY, sys_notify, NEED(ENDPOINT), 0),
	NATIVE(TS_SYS_GRANT_COPY, sys_grant_copy, 0, 0),        /* a reply handle */
	NATIVE(TS_SYS_VM_MAP, sys_vm_map, 0, NEED(PROCESS)),
	NATIVE(TS_SYS_VM_UNMAP, sys_vm_unmap, 0, NEED(PROCESS)),
	NATIVE(TS_SYS_VM_PROTECT, sys_vm_protect, 0, NEED(PROCESS)),
	NATIVE(TS_SYS_VM_WRITE, sys_vm_write, 0, NEED(PROCESS)),
	NATIVE(TS_SYS_VM_READ, sys_vm_read, 0, NEED(PROCESS)),
	NATIVE(TS_SYS_PROC_SPAWN, sys_proc_spawn, NEED(SPAWN) | NEED(MODULE), 0),
	NATIVE(TS_SYS_PROC_START, sys_proc_start, NEED(PROCESS), 0),
	NATIVE(TS_SYS_PROC_WAIT, sys_proc_wait, NEED(PROCESS), 0),
	NATIVE(TS_SYS_PROC_KILL, sys_proc_kill, NEED(PROCESS), 0),
	NATIVE(TS_SYS_PROC_WATCH, sys_proc_watch, NEED(PROCESS) | NEED(ENDPOINT), 0),
	NATIVE(TS_SYS_THREAD_CREATE, sys_thread_create, 0, NEED(SPAWN) | NEED(PROCESS)),
	NATIVE(TS_SYS_PROC_CREATE, sys_proc_create, NEED(SPAWN), 0),
	NATIVE(TS_SYS_PROC_FORK, sys_proc_fork, NEED(SPAWN), 0),
	NATIVE(TS_SYS_MODULE_MAP, sys_module_map, NEED(MODULE), 0),
	NATIVE(TS_SYS_LINUX_ROUTE, sys_linux_route, NEED(SYSTEM) | NEED(ENDPOINT), 0),
	NATIVE(TS_SYS_IRQ_BIND, sys_irq_bind, NEED(IRQ) | NEED(ENDPOINT), 0),
	NATIVE(TS_SYS_IRQ_ACK, sys_irq_ack, NEED(IRQ), 0),
	NATIVE(TS_SYS_IOPORT_ENABLE, sys_ioport_enable, NEED(IOPORT), 0),
	NATIVE(TS_SYS_MMIO_MAP, sys_mmio_map, NEED(MMIO), 0),
	NATIVE(TS_SYS_DMA_ALLOC, sys_dma_alloc, NEED(DMA), 0),
	NATIVE(TS_SYS_POWEROFF, sys_poweroff, NEED(SYSTEM), 0),
	NATIVE(TS_SYS_STATS, sys_stats, 0, 0),
	NATIVE(TS_SYS_PROC_STATS, sys_proc_stats, NEED(PROCESS), 0),
	NATIVE(TS_SYS_THREAD_REGS, sys_thread_regs, NEED(PROCESS), 0),
	NATIVE(TS_SYS_PROC_SIGNAL, sys_proc_signal, NEED(PROCESS), 0),
	NATIVE(TS_SYS_PROC_SET_PPID, sys_proc_set_ppid, NEED(PROCESS), 0),
	NATIVE(TS_SYS_REBOOT, sys_reboot, NEED(SYSTEM), 0),
	NATIVE(TS_SYS_VM_SHARE, sys_vm_share, 0, NEED(PROCESS)),
	NATIVE(TS_SYS_THREAD_CLONE, sys_thread_clone, NEED(SPAWN), 0),
	NATIVE(TS_SYS_THREAD_KILL, sys_thread_kill, NEED(PROCESS), 0),
};

/* The handler of native call nr if the current process may make it. */
static long native_call(uint64_t nr, const struct trap_frame *f)
{
	const struct native_call *c = &native[nr - TS_SYS_BASE];
	struct process *p = current_proc();
	uint32_t need = c->need | (FRAME_ARG0(f) != TS_SELF ? c->other : 0);

	if (!c->fn)
		return -ENOSYS;
	if (p->posix || need & ~p->caps->held)
		return -EPERM;
	return c->fn(FRAME_ARG0(f), FRAME_ARG1(f), FRAME_ARG2(f), FRAME_ARG3(f), FRAME_ARG4(f),
		     FRAME_ARG5(f));
}

void syscall_dispatch(struct trap_frame *f)
{
	uint64_t nr = FRAME_NR(f);

	current_thread()->syscall_nr = nr < TS_SYS_BASE ? (int64_t)nr : -1;
	if (nr >= TS_SYS_BASE && nr < TS_SYS_END)
		f->rax = native_call(nr, f);
	else if (nr < TS_SYS_BASE)
		f->rax = linux_syscall(f);
	else
		f->rax = -ENOSYS;
	if (this_cpu()->need_resched)
		schedule();
	signal_point();
}
