/*
 * Linux syscalls of POSIX processes: forwarded as IPC to the server the
 * routing table names (installed by the process manager from
 * posix/syscalls.tbl), except the few that only touch the calling thread's
 * registers or ask for identities the kernel holds (the pid is the badge,
 * the parent's pid is kept by the process manager), which the kernel
 * answers itself: a round trip through a server costs ~100x more.
 */
#include <arch/arch.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <cap.h>
#include <ipc.h>
#include <log.h>
#include <proc.h>
#include <syscall.h>
#include <vm.h>
#include <tessera/errno.h>
#include <tessera/linux_syscalls.h>

#define LINUX_RT_SIGRETURN 15
#define LINUX_GETPID 39
#define LINUX_GETPPID 110
#define LINUX_GETTID 186
#define LINUX_ARCH_PRCTL 158
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

static struct endpoint *routes[LINUX_SYSCALL_MAX];

long sys_linux_route(uint64_t system_slot, uint64_t ep_slot, uint64_t first, uint64_t count)
{
	struct cap *sys, *ep;
	int err = cap_get(system_slot, TS_CAP_SYSTEM, 0, &sys);

	if (!err)
		err = cap_get(ep_slot, TS_CAP_ENDPOINT, TS_RIGHT_SEND, &ep);
	if (err)
		return err;
	if (first >= LINUX_SYSCALL_MAX || count > LINUX_SYSCALL_MAX - first)
		return -EINVAL;
	for (uint64_t nr = first; nr < first + count; nr++) {
		endpoint_retain(ep->obj, 0);
		if (routes[nr])
			endpoint_release(routes[nr], 0);
		routes[nr] = ep->obj;
	}
	return 0;
}

static long arch_prctl(uint64_t code, uint64_t addr)
{
	struct thread *self = current_thread();

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= VM_USER_TOP)
			return -EPERM;
		self->fs_base = addr;
		arch_set_fs_base(addr);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user(self->proc->vm, addr, &self->fs_base, sizeof self->fs_base);
	default:
		return -EINVAL;
	}
}

bool linux_fault(struct trap_frame *f)
{
	struct process *p = current_proc();
	uint64_t fault[TS_MSG_WORDS] = { f->vector, f->error, read_cr2(), f->rip };

	if (!p->posix || !routes[LINUX_RT_SIGRETURN])
		return false;
	return ipc_forward(routes[LINUX_RT_SIGRETURN], TS_LABEL_FAULT, fault, p->badge) != -EIO;
}

void linux_signal_point(void)
{
	struct process *p = current_proc();
	uint64_t none[TS_MSG_WORDS] = { 0 };

	/* only POSIX processes are ever marked (sys_proc_signal) */
	while (p->sig_pending && routes[LINUX_RT_SIGRETURN]) {
		p->sig_pending = false;
		if (ipc_forward(routes[LINUX_RT_SIGRETURN], TS_LABEL_SIGNAL_POINT, none,
				p->badge) == -EIO)
			return;
	}
}

long linux_syscall(struct trap_frame *f)
{
	struct process *p = current_proc();
	uint64_t nr = FRAME_NR(f);
	uint64_t args[TS_MSG_WORDS] = { FRAME_ARG0(f), FRAME_ARG1(f), FRAME_ARG2(f),
					FRAME_ARG3(f), FRAME_ARG4(f), FRAME_ARG5(f) };

	if (p->posix) {
		switch (nr) {
		case LINUX_ARCH_PRCTL:
			return arch_prctl(args[0], args[1]);
		case LINUX_GETPID:
		case LINUX_GETTID:
			return (long)p->badge;
		case LINUX_GETPPID:
			return (long)p->posix_ppid;
		}
	}
	if (p->posix && nr < LINUX_SYSCALL_MAX && routes[nr])
		return ipc_forward(routes[nr], nr, args, p->badge);
	klog("syscall: ENOSYS %s (#%lu) pid %lu (%s)", linux_syscall_name(nr), nr,
	     p->posix ? p->badge : p->pid, p->name);
	return -ENOSYS;
}
