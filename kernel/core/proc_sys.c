/* Process and thread syscalls: spawn a boot module, start, wait, kill. */
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <bootmod.h>
#include <cap.h>
#include <ipc.h>
#include <log.h>
#include <mm.h>
#include <quota.h>
#include <sched.h>
#include <syscall.h>
#include <vm.h>
#include <tessera/errno.h>

static void start_thread(struct thread *t)
{
	sched_wake(t, 0);
}

/* c continues where t waits in a call (fork, clone), the call returning 0. */
static void thread_copy(struct thread *c, const struct thread *t, uint64_t fs_base)
{
	*c->frame = *t->frame;
	c->frame->rax = 0;
	c->fs_base = fs_base;
	memcpy(c->fpu, t->fpu, sizeof c->fpu);
}

/* The arguments of a new process, its priority one the caller's spawn
 * capabilities cover (seL4's maximum controlled priority): the default,
 * or the highest the caller may give if that is lower, when none is asked. */
static int spawn_args(uint64_t uargs, struct ts_spawn_args *a)
{
	*a = (struct ts_spawn_args){ 0 };
	if (uargs && copy_from_user(current_proc()->vm, a, uargs, sizeof *a))
		return -EFAULT;
	if (a->priority > MAX_PRIO || a->flags & ~TS_PROC_POSIX)
		return -EINVAL;
	if (!a->priority)
		a->priority = MIN(DEFAULT_PRIO, cap_held_top(TS_CAP_SPAWN) - 1);
	if (!a->priority || !cap_held_covers(TS_CAP_SPAWN, a->priority))
		return -EPERM;
	a->name[sizeof a->name - 1] = 0;
	return 0;
}

static struct process *new_process(const struct ts_spawn_args *a, const char *def_name)
{
	struct quota limits;

	quota_init(&limits, &current_proc()->quota, a);
	struct process *p = proc_create(a->name[0] ? a->name : def_name, &limits);
	if (p) {
		p->prio = a->priority;
		p->posix = a->flags & TS_PROC_POSIX;
		if (p->posix)
			vm_bound(p->vm);
		p->badge = a->badge;
	}
	return p;
}

/* Give the caller a capability to p, which is killed if that fails. */
static long install_proc(struct process *p, int err)
{
	struct cap pc = { .type = TS_CAP_PROCESS, .rights = TS_RIGHTS_ALL, .obj = p };
	int slot = err ? err : cap_install(current_proc(), &pc);

	if (slot < 0)
		proc_exit(p, EXIT_KILLED);
	return slot;
}

long sys_proc_spawn(uint64_t module_slot, uint64_t uargs)
{
	struct ts_spawn_args args;
	struct cap *mc;
	int err = cap_get(module_slot, TS_CAP_MODULE, 0, &mc);

	if (!err)
		err = spawn_args(uargs, &args);
	if (err)
		return err;
	struct bootmod *m = mc->obj;
	struct process *p = new_process(&args, m->name);
	if (!p)
		return -ENOMEM;
	return install_proc(p, proc_load(p, m->image, m->size));
}

long sys_proc_create(uint64_t uargs)
{
	struct ts_spawn_args args;
	int err = spawn_args(uargs, &args);

	if (err)
		return err;
	struct process *p = new_process(&args, "process");
	return p ? install_proc(p, 0) : -ENOMEM;
}

long sys_proc_fork(uint64_t reply, uint64_t uargs)
{
	struct ts_spawn_args args;
	struct thread *t = ipc_caller_of(reply);
	int err = t ? spawn_args(uargs, &args) : -ESRCH;

	if (err)
		return err;
	struct process *p = new_process(&args, t->proc->name);
	if (!p)
		return -ENOMEM;
	struct thread *c;
	err = vm_clone(p->vm, t->proc->vm);
	if (!err)
		err = thread_create(p, 0, 0, 0, &c);
	long slot = install_proc(p, err);
	if (slot < 0)
		return slot;
	thread_copy(c, t, t->fs_base);
	start_thread(c);
	return slot;
}

/* A POSIX thread's clone(CLONE_THREAD): a new thread of the caller's
 * process with the caller's registers (clone returns 0 in it), starting on
 * stack (0: the caller's) with FS base tls (if settls); ltid is its Linux
 * thread id, ctid its clear_child_tid address. */
long sys_thread_clone(uint64_t reply, uint64_t ltid, uint64_t stack, uint64_t tls,
		      uint64_t ctid, uint64_t settls)
{
	struct thread *t = ipc_caller_of(reply);

	if (!t)
		return -ESRCH;
	if (!t->proc->posix || !ltid || ltid > UINT32_MAX || stack >= VM_USER_TOP ||
	    tls >= VM_USER_TOP || ctid >= VM_USER_TOP)
		return -EINVAL;
	struct thread *c;
	int err = thread_create(t->proc, 0, 0, 0, &c);
	if (err)
		return err;
	thread_copy(c, t, settls ? tls : t->fs_base);
	if (stack)
		c->frame->rsp = stack;
	c->ltid = ltid;
	c->clear_child_tid = ctid;
	start_thread(c);
	return 0;
}

/* One thread of a POSIX process ends (exit(2) while others remain). */
long sys_thread_kill(uint64_t proc_slot, uint64_t ltid)
{
	struct thread *t;
	int err = posix_thread(proc_slot, ltid, &t);

	if (err)
		return err;
	if (t->proc->nthreads == 1)
		return -EBUSY;          /* the last one ends with the process */
	thread_exit(t);
	return 0;
}

long sys_module_map(uint64_t module_slot, uint64_t addr)
{
	struct vm_space *vm = current_proc()->vm;
	struct cap *mc;
	int err = cap_get(module_slot, TS_CAP_MODULE, 0, &mc);

	if (err)
		return err;
	struct bootmod *m = mc->obj;
	uint64_t pa = virt_to_phys(m->image), len = ALIGN_UP(m->size, PAGE_SIZE);
	if ((pa | addr) & (PAGE_SIZE - 1) || !user_range_ok(addr, len))
		return -EINVAL;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		err = vm_map(vm, addr + off, pa + off, VM_READ);
		if (err) {
			vm_unmap_range(vm, addr, off);
			return err;
		}
	}
	return (long)m->size;
}

int proc_cap(uint64_t slot, unsigned rights, struct process **p)
{
	struct cap *c;
	int err = cap_get(slot, TS_CAP_PROCESS, rights, &c);

	if (!err)
		*p = c->obj;
	return err;
}

long sys_proc_start(uint64_t proc_slot, uint64_t arg)
{
	struct process *p;
	int err = proc_cap(proc_slot, TS_RIGHT_CTRL, &p);

	if (err)
		return err;
	if (p->exited || list_empty(&p->threads))
		return -ESRCH;
	struct thread *t = list_first(&p->threads, struct thread, proc_link);
	if (t->state != T_NEW)
		return -EBUSY;
	t->frame->rdi = arg;
	start_thread(t);
	return 0;
}

long sys_proc_wait(uint64_t proc_slot, uint64_t nohang)
{
	struct process *p;
	int err = proc_cap(proc_slot, 0, &p);

	if (err)
		return err;
	if (p->exited)
		return p->exit_status;
	if (nohang)
		return -EAGAIN;
	struct thread *self = current_thread();
	list_add_tail(&p->waiters, &self->run_link);
	sched_block(T_WAIT);
	return self->wait_result;
}

long sys_proc_stats(uint64_t proc_slot, uint64_t ubuf)
{
	struct process *p;
	struct ts_proc_stats st = { 0 };
	int err = proc_cap(proc_slot, 0, &p);

	if (err)
		return err;
	struct list_node *pos, *tmp;
	if (p->vm) {
		st.resident_pages = vm_resident_pages(p->vm);
		p->peak_pages = MAX(p->peak_pages, st.resident_pages);
	}
	st.peak_pages = p->peak_pages;
	st.ticks = p->ticks;
	st.sys_ticks = p->sys_ticks;
	st.minflt = p->minflt;
	list_for_each_safe(pos, tmp, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, proc_link);
		st.threads++;
		st.runnable += t->state == T_RUNNABLE;
	}
	return copy_to_user(current_proc()->vm, ubuf, &st, sizeof st);
}

long sys_proc_watch(uint64_t proc_slot, uint64_t ep_slot, uint64_t bit)
{
	struct process *p;
	int err = proc_cap(proc_slot, TS_RIGHT_CTRL, &p);

	if (err)
		return err;
	return p->exited ? -ESRCH : notify_target_set(&p->exit_watch, ep_slot, bit);
}

long sys_proc_kill(uint64_t proc_slot)
{
	struct process *p;
	int err = proc_cap(proc_slot, TS_RIGHT_CTRL, &p);

	if (err)
		return err;
	if (p->exited)
		return -ESRCH;
	if (!p->posix)      /* POSIX exits are the process manager's business */
		klog("proc: pid %u (%s) killed by pid %u", p->pid, p->name, current_proc()->pid);
	proc_exit(p, EXIT_KILLED);
	if (current_thread()->state == T_DEAD)
		schedule();
	return 0;
}

/* A new thread of the caller (TS_SELF: it starts on stack_top - 8 as if
 * called, with the caller's TLS) or of a controlled process (it starts on
 * stack_top exactly, as a Linux process entry expects, with no TLS). */
long sys_thread_create(uint64_t proc, uint64_t entry, uint64_t stack_top, uint64_t arg)
{
	struct process *p = current_proc();

	if (proc != TS_SELF) {
		int err = proc_cap(proc, TS_RIGHT_CTRL, &p);
		if (err)
			return err;
		if (p->exited)
			return -ESRCH;
	}
	if (!user_range_ok(entry, 1) || stack_top < 16 || !user_range_ok(stack_top - 16, 16) ||
	    stack_top & 15)
		return -EINVAL;
	bool self = p == current_proc();
	struct thread *t;
	int err = thread_create(p, entry, self ? stack_top - 8 : stack_top, arg, &t);
	if (err)
		return err;
	if (self)
		t->fs_base = current_thread()->fs_base;
	start_thread(t);
	return t->tid;
}

long sys_exit(uint64_t status)
{
	proc_exit(current_proc(), (int)(status & 0xFF));
	schedule();
	panic("exited thread ran again");
}

void user_fault(struct trap_frame *f, const char *what)
{
	struct process *p = current_proc();

	klog("fault: pid %u (%s) killed: %s at rip %#lx (vector %lu, error %#lx, addr %#lx)",
	     p->pid, p->name, what, f->rip, f->vector, f->error, read_cr2());
	proc_exit(p, EXIT_FAULT(f->vector));
	schedule();
	panic("killed thread ran again");
}
