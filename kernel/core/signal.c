/*
 * The kernel's part in POSIX signals: mechanism only. Which signal, its
 * handler and the frame on the user stack are the process manager's
 * business; the kernel lets it read and rewrite a process's registers while
 * the process waits in a call to it, and makes a process it marks stop at a
 * signal point (linux.c) on its way back to user mode.
 */
#include <arch/arch.h>
#include <arch/trapframe.h>
#include <futex.h>
#include <proc.h>
#include <syscall.h>
#include <vm.h>
#include <tessera/errno.h>

/* Flags a process may set for itself: CF PF AF ZF SF TF DF OF AC. */
#define RFLAGS_USER   0x40dd5ull
#define RFLAGS_FIXED  0x202ull       /* bit 1, IF */

/* A POSIX process the caller controls, still running. */
static int posix_proc(uint64_t slot, struct process **p)
{
	int err = proc_cap(slot, TS_RIGHT_CTRL, p);

	if (err)
		return err;
	if (!(*p)->posix)
		return -EINVAL;
	return (*p)->exited ? -ESRCH : 0;
}

int posix_thread(uint64_t slot, uint64_t ltid, struct thread **out)
{
	struct process *p;
	int err = posix_proc(slot, &p);

	if (err)
		return err;
	*out = thread_of_process(p, ltid);
	if (!*out)
		return -ESRCH;
	return (*out)->state == T_NEW || *out == current_thread() ? -EBUSY : 0;
}

static void regs_from_frame(const struct thread *t, struct ts_regs *r)
{
	const struct trap_frame *f = t->frame;

	*r = (struct ts_regs){
		.r8 = f->r8, .r9 = f->r9, .r10 = f->r10, .r11 = f->r11, .r12 = f->r12,
		.r13 = f->r13, .r14 = f->r14, .r15 = f->r15, .rdi = f->rdi, .rsi = f->rsi,
		.rbp = f->rbp, .rbx = f->rbx, .rdx = f->rdx, .rax = f->rax, .rcx = f->rcx,
		.rsp = f->rsp, .rip = f->rip, .rflags = f->rflags, .orig_rax = t->syscall_nr,
	};
	memcpy(r->fpu, t->fpu, sizeof r->fpu);
}

/* The one way user registers come from outside; nothing in them can fault
 * in the kernel on the way back to user mode: iretq gets the kernel's own
 * cs and ss, user (so canonical) rip and rsp, only the flags a process may
 * set, and fxrstor an MXCSR without reserved bits. The thread is no longer
 * in a call that could be restarted (Linux's orig_ax = -1). */
static int regs_to_frame(struct thread *t, struct ts_regs *r)
{
	struct trap_frame *f = t->frame;

	if (r->rip >= VM_USER_TOP || r->rsp >= VM_USER_TOP)
		return -EINVAL;
	f->r8 = r->r8, f->r9 = r->r9, f->r10 = r->r10, f->r11 = r->r11;
	f->r12 = r->r12, f->r13 = r->r13, f->r14 = r->r14, f->r15 = r->r15;
	f->rdi = r->rdi, f->rsi = r->rsi, f->rbp = r->rbp, f->rbx = r->rbx;
	f->rdx = r->rdx, f->rax = r->rax, f->rcx = r->rcx, f->rsp = r->rsp;
	f->rip = r->rip;
	f->rflags = (r->rflags & RFLAGS_USER) | RFLAGS_FIXED;
	/* sysret would take rip and rflags from rcx and r11 */
	f->vector = VEC_REWRITTEN;
	arch_fpu_sanitize(r->fpu);
	memcpy(t->fpu, r->fpu, sizeof t->fpu);
	t->syscall_nr = -1;
	return 0;
}

long sys_thread_regs(uint64_t proc_slot, uint64_t ltid, uint64_t write, uint64_t uregs)
{
	struct vm_space *vm = current_proc()->vm;
	struct thread *t;
	struct ts_regs r;
	int err = posix_thread(proc_slot, ltid, &t);

	if (err)
		return err;
	if (!write) {
		regs_from_frame(t, &r);
		return copy_to_user(vm, uregs, &r, sizeof r);
	}
	err = copy_from_user(vm, &r, uregs, sizeof r);
	return err ? err : regs_to_frame(t, &r);
}

long sys_proc_set_ppid(uint64_t proc_slot, uint64_t ppid)
{
	struct process *p;
	int err = proc_cap(proc_slot, TS_RIGHT_CTRL, &p);

	if (!err)
		p->posix_ppid = ppid;
	return err;
}

/* Mark a thread for a signal point, cutting short a futex wait; ltid 0
 * marks every thread but leaves their futex waits alone (each passes the
 * process manager on its way out of a call, which restarts the calls that
 * a signal to another thread cut short). */
long sys_proc_signal(uint64_t proc_slot, uint64_t ltid)
{
	struct process *p;
	struct thread *t;
	struct list_node *pos, *tmp;
	int err = ltid ? posix_thread(proc_slot, ltid, &t) : posix_proc(proc_slot, &p);

	if (err)
		return err;
	if (ltid) {
		t->sig_pending = true;
		futex_cancel(t);
		return 0;
	}
	list_for_each_safe(pos, tmp, &p->threads)
		list_entry(pos, struct thread, proc_link)->sig_pending = true;
	return 0;
}
