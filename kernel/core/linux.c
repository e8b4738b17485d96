/*
 * Linux syscalls of POSIX processes: forwarded as IPC to the server the
 * routing table names (installed by the process manager from
 * posix/syscalls.tbl), except the few that only touch the calling thread
 * or ask for identities the kernel holds (the pid is the badge, each
 * thread's Linux tid is kept in it, the parent's pid is kept by the process
 * manager) and futexes (futex.c), which the kernel answers itself: a round
 * trip through a server costs ~100x more.
 */
#include <arch/arch.h>
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <cap.h>
#include <futex.h>
#include <ipc.h>
#include <log.h>
#include <proc.h>
#include <syscall.h>
#include <vm.h>
#include <tessera/errno.h>
#include <tessera/linux_syscalls.h>

#define LINUX_RT_SIGRETURN 15
#define LINUX_SCHED_YIELD 24
#define LINUX_GETPID 39
#define LINUX_GETPPID 110
#define LINUX_GETTID 186
#define LINUX_FUTEX 202
#define LINUX_SET_TID_ADDRESS 218
#define LINUX_SET_ROBUST_LIST 273
#define LINUX_GET_ROBUST_LIST 274
#define ROBUST_LIST_HEAD_SIZE 24
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

/* How servers see the calling thread: its pid, and its tid above. */
static uint64_t linux_badge(void)
{
	struct thread *self = current_thread();

	return self->proc->badge | self->ltid << 32;
}

/* set_robust_list and get_robust_list: the head is only kept (a thread's
 * robust mutexes are not released when it dies). get_robust_list takes
 * the caller's threads only. */
static long robust_list(bool set, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct thread *self = current_thread(), *t = self;
	uint64_t len = ROBUST_LIST_HEAD_SIZE;

	if (set) {
		if (a1 != ROBUST_LIST_HEAD_SIZE)
			return -EINVAL;
		self->robust_list = a0;
		return 0;
	}
	if (a0) {
		t = thread_of_process(self->proc, a0);
		if (!t)
			return -ESRCH;
	}
	if (copy_to_user(self->proc->vm, a1, &t->robust_list, sizeof t->robust_list) ||
	    copy_to_user(self->proc->vm, a2, &len, sizeof len))
		return -EFAULT;
	return 0;
}

bool linux_fault(struct trap_frame *f, enum vm_fault pf)
{
	struct process *p = current_proc();
	uint64_t kind = pf == VM_FAULT_OOM ? TS_FAULT_OOM
		      : pf == VM_FAULT_QUOTA ? TS_FAULT_QUOTA : TS_FAULT_ACCESS;
	uint64_t fault[TS_MSG_WORDS] = { f->vector, f->error, read_cr2(), f->rip, kind };

	if (!p->posix || !routes[LINUX_RT_SIGRETURN])
		return false;
	return ipc_forward(routes[LINUX_RT_SIGRETURN], TS_LABEL_FAULT, fault,
			   linux_badge()) != -EIO;
}

void linux_signal_point(void)
{
	struct thread *self = current_thread();
	uint64_t none[TS_MSG_WORDS] = { 0 };

	/* only POSIX threads are ever marked (sys_proc_signal) */
	while (self->sig_pending && routes[LINUX_RT_SIGRETURN]) {
		self->sig_pending = false;
		if (ipc_forward(routes[LINUX_RT_SIGRETURN], TS_LABEL_SIGNAL_POINT, none,
				linux_badge()) == -EIO)
			return;
	}
}

/* The calls the kernel answers itself: *ret is the result. */
static bool linux_local(uint64_t nr, const uint64_t args[TS_MSG_WORDS], long *ret)
{
	struct thread *self = current_thread();

	switch (nr) {
	case LINUX_ARCH_PRCTL:
		*ret = arch_prctl(args[0], args[1]);
		return true;
	case LINUX_GETPID:
		*ret = (long)self->proc->badge;
		return true;
	case LINUX_GETTID:
		*ret = (long)self->ltid;
		return true;
	case LINUX_GETPPID:
		*ret = (long)self->proc->posix_ppid;
		return true;
	case LINUX_SET_TID_ADDRESS:
		self->clear_child_tid = args[0];
		*ret = (long)self->ltid;
		return true;
	case LINUX_SET_ROBUST_LIST:
	case LINUX_GET_ROBUST_LIST:
		*ret = robust_list(nr == LINUX_SET_ROBUST_LIST, args[0], args[1], args[2]);
		return true;
	case LINUX_FUTEX:
		*ret = linux_futex(args);
		return true;
	case LINUX_SCHED_YIELD:     /* to the other threads, not a server */
		*ret = sys_yield();
		return true;
	default:
		return false;
	}
}

long linux_syscall(struct trap_frame *f)
{
	struct process *p = current_proc();
	uint64_t nr = FRAME_NR(f);
	uint64_t args[TS_MSG_WORDS] = { FRAME_ARG0(f), FRAME_ARG1(f), FRAME_ARG2(f),
					FRAME_ARG3(f), FRAME_ARG4(f), FRAME_ARG5(f) };
	long r;

	if (p->posix && linux_local(nr, args, &r))
		return r;
	if (p->posix && nr < LINUX_SYSCALL_MAX && routes[nr])
		return ipc_forward(routes[nr], nr, args, linux_badge());
	klog("syscall: ENOSYS %s (#%lu) pid %lu (%s)", linux_syscall_name(nr), nr,
	     p->posix ? p->badge : p->pid, p->name);
	return -ENOSYS;
}
