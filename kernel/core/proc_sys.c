/* Process and thread syscalls: spawn a boot module, start, wait, kill. */
#include <arch/cpu.h>
#include <arch/trapframe.h>
#include <bootmod.h>
#include <cap.h>
#include <log.h>
#include <sched.h>
#include <syscall.h>
#include <vm.h>
#include <tessera/errno.h>

static void start_thread(struct thread *t)
{
	sched_wake(t, 0);
}

long sys_proc_spawn(uint64_t module_slot, uint64_t uargs)
{
	struct process *self = current_proc();
	struct ts_spawn_args args = { 0 };
	struct cap *mc;
	int err = cap_get(module_slot, TS_CAP_MODULE, 0, &mc);

	if (err)
		return err;
	if (uargs && copy_from_user(self->vm, &args, uargs, sizeof args))
		return -EFAULT;
	if (args.priority > 30)
		return -EINVAL;
	struct bootmod *m = mc->obj;
	args.name[sizeof args.name - 1] = 0;
	struct process *p = proc_create(args.name[0] ? args.name : m->name);
	if (!p)
		return -ENOMEM;
	if (args.priority)
		p->prio = args.priority;
	err = proc_load(p, m->image, m->size);
	struct cap pc = { .type = TS_CAP_PROCESS, .rights = TS_RIGHTS_ALL, .obj = p };
	int slot = err ? err : cap_install(self, &pc);
	if (slot < 0) {
		proc_exit(p, EXIT_KILLED);
		return slot;
	}
	return slot;
}

static int proc_cap(uint64_t slot, unsigned rights, struct process **p)
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

long sys_proc_wait(uint64_t proc_slot)
{
	struct process *p;
	int err = proc_cap(proc_slot, 0, &p);

	if (err)
		return err;
	if (p->exited)
		return p->exit_status;
	struct thread *self = current_thread();
	list_add_tail(&p->waiters, &self->run_link);
	sched_block(T_WAIT);
	return self->wait_result;
}

long sys_proc_kill(uint64_t proc_slot)
{
	struct process *p;
	int err = proc_cap(proc_slot, TS_RIGHT_CTRL, &p);

	if (err)
		return err;
	if (p->exited)
		return -ESRCH;
	klog("proc: pid %u (%s) killed by pid %u", p->pid, p->name, current_proc()->pid);
	proc_exit(p, EXIT_KILLED);
	if (current_thread()->state == T_DEAD)
		schedule();
	return 0;
}

long sys_thread_create(uint64_t entry, uint64_t stack_top, uint64_t arg)
{
	struct process *p = current_proc();

	if (!user_range_ok(entry, 1) || !user_range_ok(stack_top - 16, 16) || stack_top & 15)
		return -EINVAL;
	struct thread *t = thread_create(p, entry, stack_top - 8, arg);
	if (!t)
		return -ENOMEM;
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
