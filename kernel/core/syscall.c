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

#define NATIVE(nr, fn) [(nr) - TS_SYS_BASE] = (syscall_fn)(void (*)(void))(fn)

static const syscall_fn native[TS_SYS_END - TS_SYS_BASE] = {
	NATIVE(TS_SYS_LOG, sys_log),
	NATIVE(TS_SYS_EXIT, sys_exit),
	NATIVE(TS_SYS_YIELD, sys_yield),
	NATIVE(TS_SYS_SLEEP, sys_sleep),
	NATIVE(TS_SYS_CLOCK, sys_clock),
	NATIVE(TS_SYS_EP_CREATE, sys_ep_create),
	NATIVE(TS_SYS_CAP_MINT, sys_cap_mint),
	NATIVE(TS_SYS_CAP_DELETE, sys_cap_delete),
	NATIVE(TS_SYS_CAP_NARROW, sys_cap_narrow),
	NATIVE(TS_SYS_CAP_GIVE, sys_cap_give),
	NATIVE(TS_SYS_CALL, sys_call),
	NATIVE(TS_SYS_RECV, sys_recv),
	NATIVE(TS_SYS_REPLY, sys_reply),
	NATIVE(TS_SYS_REPLY_RECV, sys_reply_recv),
	NATIVE(TS_SYS_NOTIFY, sys_notify),
	NATIVE(TS_SYS_GRANT_COPY, sys_grant_copy),
	NATIVE(TS_SYS_VM_MAP, sys_vm_map),
	NATIVE(TS_SYS_VM_UNMAP, sys_vm_unmap),
	NATIVE(TS_SYS_VM_PROTECT, sys_vm_protect),
	NATIVE(TS_SYS_VM_WRITE, sys_vm_write),
	NATIVE(TS_SYS_VM_READ, sys_vm_read),
	NATIVE(TS_SYS_PROC_SPAWN, sys_proc_spawn),
	NATIVE(TS_SYS_PROC_START, sys_proc_start),
	NATIVE(TS_SYS_PROC_WAIT, sys_proc_wait),
	NATIVE(TS_SYS_PROC_KILL, sys_proc_kill),
	NATIVE(TS_SYS_PROC_WATCH, sys_proc_watch),
	NATIVE(TS_SYS_THREAD_CREATE, sys_thread_create),
	NATIVE(TS_SYS_PROC_CREATE, sys_proc_create),
	NATIVE(TS_SYS_PROC_FORK, sys_proc_fork),
	NATIVE(TS_SYS_MODULE_MAP, sys_module_map),
	NATIVE(TS_SYS_LINUX_ROUTE, sys_linux_route),
	NATIVE(TS_SYS_IRQ_BIND, sys_irq_bind),
	NATIVE(TS_SYS_IRQ_ACK, sys_irq_ack),
	NATIVE(TS_SYS_IOPORT_ENABLE, sys_ioport_enable),
	NATIVE(TS_SYS_MMIO_MAP, sys_mmio_map),
	NATIVE(TS_SYS_DMA_ALLOC, sys_dma_alloc),
	NATIVE(TS_SYS_POWEROFF, sys_poweroff),
	NATIVE(TS_SYS_STATS, sys_stats),
	NATIVE(TS_SYS_PROC_STATS, sys_proc_stats),
	NATIVE(TS_SYS_THREAD_REGS, sys_thread_regs),
	NATIVE(TS_SYS_PROC_SIGNAL, sys_proc_signal),
	NATIVE(TS_SYS_PROC_SET_PPID, sys_proc_set_ppid),
	NATIVE(TS_SYS_REBOOT, sys_reboot),
	NATIVE(TS_SYS_VM_SHARE, sys_vm_share),
	NATIVE(TS_SYS_THREAD_CLONE, sys_thread_clone),
	NATIVE(TS_SYS_THREAD_KILL, sys_thread_kill),
};

void syscall_dispatch(struct trap_frame *f)
{
	uint64_t nr = FRAME_NR(f);

	current_thread()->syscall_nr = nr < TS_SYS_BASE ? (int64_t)nr : -1;
	if (nr >= TS_SYS_BASE && nr < TS_SYS_END && native[nr - TS_SYS_BASE])
		f->rax = native[nr - TS_SYS_BASE](FRAME_ARG0(f), FRAME_ARG1(f), FRAME_ARG2(f),
						  FRAME_ARG3(f), FRAME_ARG4(f), FRAME_ARG5(f));
	else if (nr < TS_SYS_BASE)
		f->rax = linux_syscall(f);
	else
		f->rax = -ENOSYS;
	if (this_cpu()->need_resched)
		schedule();
	signal_point();
}
