/*
 * The signal syscalls: dispositions (per process), masks and the alternate
 * stack (per thread), sending (kill to a process, tkill and tgkill to a
 * thread), waiting (rt_sigsuspend, pause, rt_sigtimedwait: the calling
 * thread) and returning from a handler (rt_sigreturn). Delivery is in
 * sigdeliver.c.
 */
#include "signal.h"

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

struct linux_sigaction *sig_action(const struct pproc *p, int sig)
{
	/* a process's actions change through any view of it */
	return (struct linux_sigaction *)&p->actions[sig - 1];
}

static long do_sigaction(struct pproc *p, const struct ts_msg *m)
{
	uint64_t sig = m->word[0], act = m->word[1], old = m->word[2];

	if (sig < 1 || sig > L_NSIG || m->word[3] != 8)
		return -EINVAL;
	struct linux_sigaction *a = sig_action(p, (int)sig), new;
	if (act && (sig == L_SIGKILL || sig == L_SIGSTOP))
		return -EINVAL;
	if (act && from_caller(m, act, &new, sizeof new))
		return -EFAULT;
	if (old && to_caller(m, old, a, sizeof *a))
		return -EFAULT;
	if (!act)
		return 0;
	new.mask &= ~UNBLOCKABLE;
	*a = new;
	/* a signal that is now ignored is dropped, even while blocked */
	if (sig_effect(p, (int)sig) == SIG_EFFECT_IGNORE)
		sig_discard(p, SIGBIT(sig));
	return 0;
}

static long do_sigprocmask(struct pthread *t, const struct ts_msg *m)
{
	uint64_t how = m->word[0], set = m->word[1], old = m->word[2], mask;

	if (m->word[3] != 8)
		return -EINVAL;
	if (set && from_caller(m, set, &mask, 8))
		return -EFAULT;
	if (set && how > SIG_SETMASK)
		return -EINVAL;
	if (old && to_caller(m, old, &t->sigmask, 8))
		return -EFAULT;
	if (!set)
		return 0;
	if (how == SIG_BLOCK)
		t->sigmask |= mask;
	else if (how == SIG_UNBLOCK)
		t->sigmask &= ~mask;
	else
		t->sigmask = mask;
	t->sigmask &= ~UNBLOCKABLE;
	sig_mask_changed(t);
	return 0;
}

static long do_sigpending(struct pthread *t, const struct ts_msg *m)
{
	uint64_t set = (t->sig_pending | t->proc->sig_pending) & t->sigmask;

	if (m->word[1] > 8)
		return -EINVAL;
	return to_caller(m, m->word[0], &set, m->word[1]);
}

/* rt_sigsuspend with a mask, pause without: wait for a handler to run. */
static long do_sigsuspend(struct pthread *t, const struct ts_msg *m)
{
	if (m->label == NR_rt_sigsuspend) {
		uint64_t mask;
		if (m->word[1] != 8)
			return -EINVAL;
		if (from_caller(m, m->word[0], &mask, 8))
			return -EFAULT;
		t->sig_saved_mask = t->sigmask;
		t->sig_mask_saved = true;
		t->sigmask = mask & ~UNBLOCKABLE;
	}
	if (sig_deliverable(t)) {
		sig_mask_changed(t);
		return -ERESTARTNOHAND;
	}
	t->sig_wait_reply = m->reply;
	return TS_NO_REPLY;
}

/* A signal taken by rt_sigtimedwait: no longer pending, its siginfo out. */
static long take_waited(struct pthread *t, int sig, const struct ts_msg *m, uint64_t info)
{
	t->sig_pending &= ~SIGBIT(sig);
	t->proc->sig_pending &= ~SIGBIT(sig);
	if (info && to_caller(m, info, sig_info(t->proc, sig), sizeof(struct linux_siginfo)))
		return -EFAULT;
	return sig;
}

void sig_wait_answer(struct pthread *t, int sig)
{
	struct ts_msg r = ts_msg_make((uint64_t)-EAGAIN);

	r.reply = t->sig_wait_reply;
	if (sig)
		r.label = (uint64_t)take_waited(t, sig, &r, t->sigwait_info);
	t->sig_wait_reply = t->sigwait_set = t->sigwait_deadline = 0;
	ts_reply(&r);
}

static long do_sigtimedwait(struct pthread *t, const struct ts_msg *m)
{
	uint64_t set, timeout = m->word[2], ns = 0;
	struct linux_timespec ts;

	if (m->word[3] != 8)
		return -EINVAL;
	if (from_caller(m, m->word[0], &set, 8) ||
	    (timeout && from_caller(m, timeout, &ts, sizeof ts)))
		return -EFAULT;
	if (timeout && (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000))
		return -EINVAL;
	set &= ~UNBLOCKABLE;
	int sig = sig_lowest((t->sig_pending | t->proc->sig_pending) & set);
	if (sig)
		return take_waited(t, sig, m, m->word[1]);
	if (timeout && !(ns = ts.tv_sec * 1000000000ull + ts.tv_nsec))
		return -EAGAIN;
	if (sig_deliverable(t)) {
		sig_mask_changed(t);
		return -ERESTARTNOHAND;
	}
	t->sig_wait_reply = m->reply;
	t->sigwait_set = set;
	t->sigwait_info = m->word[1];
	t->sigwait_deadline = ns ? ts_clock() + ns : 0;
	pm_timer_armed(t->sigwait_deadline);
	return TS_NO_REPLY;
}

bool sig_on_altstack(const struct pthread *t, uint64_t sp)
{
	return !(t->altstack.ss_flags & L_SS_DISABLE) &&
	       sp - t->altstack.ss_sp < t->altstack.ss_size;
}

long sig_set_altstack(struct pthread *t, const struct linux_stack *ss, uint64_t sp)
{
	int mode = ss->ss_flags & ~(int32_t)L_SS_AUTODISARM;

	if (sig_on_altstack(t, sp))
		return -EPERM;
	if (mode != 0 && mode != L_SS_DISABLE && mode != L_SS_ONSTACK)
		return -EINVAL;
	if (mode == L_SS_DISABLE) {
		t->altstack = (struct linux_stack){ .ss_flags = L_SS_DISABLE };
		return 0;
	}
	if (ss->ss_size < L_MINSIGSTKSZ)
		return -ENOMEM;
	t->altstack = *ss;
	t->altstack.ss_flags &= (int32_t)L_SS_AUTODISARM;
	return 0;
}

static long do_sigaltstack(struct pthread *t, const struct ts_msg *m)
{
	struct ts_regs r;
	struct linux_stack ss, old = t->altstack;

	if (ts_thread_regs(t->proc->slot, t->tid, false, &r))
		return -EFAULT;
	if (sig_on_altstack(t, r.rsp))
		old.ss_flags = L_SS_ONSTACK;
	if (m->word[0]) {
		if (from_caller(m, m->word[0], &ss, sizeof ss))
			return -EFAULT;
		long err = sig_set_altstack(t, &ss, r.rsp);
		if (err)
			return err;
	}
	return m->word[1] ? to_caller(m, m->word[1], &old, sizeof old) : 0;
}

/* kill(2) to a group (pgid > 0) or to everyone but init and the caller
 * (pgid 0): -ESRCH if there is no one, -EPERM if none may be signalled. */
static long kill_many(struct pproc *p, int pgid, int sig, const struct sig_origin *o)
{
	long err = -ESRCH;

	for (struct pproc *t = proc_next(NULL); t; t = proc_next(t)) {
		if (pgid ? t->pgid != pgid : t->pid <= 1 || t == p)
			continue;
		if (!pm_may_signal(p, t)) {
			err = err ? -EPERM : 0;
			continue;
		}
		sig_send(t, sig, o);
		err = 0;
	}
	return err;
}

/* kill(2)'s targets: a pid, the caller's group (0), a group (< -1), or
 * everyone but init and the caller (-1). */
static long do_kill(struct pproc *p, long pid, long sig, int code)
{
	struct sig_origin o = { .code = code, .pid = p->pid,
				.uid = (int)p->cred.uid[ID_REAL] };

	if (sig < 0 || sig > L_NSIG)
		return -EINVAL;
	if (pid == -1 || pid == 0 || pid < -1)
		return kill_many(p, pid == -1 ? 0 : pid ? (int)-pid : p->pgid, (int)sig, &o);
	/* as Linux, any thread's id names its process */
	struct pthread *th = thread_by_tid((int)pid);
	struct pproc *t = th ? th->proc : proc_find((int)pid);
	if (!t)
		return -ESRCH;
	if (!pm_may_signal(p, t))
		return -EPERM;
	sig_send(t, (int)sig, &o);
	return 0;
}

/* tkill (tgid 0) and tgkill: a signal to one thread. */
static long do_tkill(struct pproc *p, long tgid, long tid, long sig)
{
	struct sig_origin o = { .code = L_SI_TKILL, .pid = p->pid,
				.uid = (int)p->cred.uid[ID_REAL] };

	if (tid <= 0 || sig < 0 || sig > L_NSIG)
		return -EINVAL;
	struct pthread *t = thread_by_tid((int)tid);
	if (!t || t->proc->zombie || (tgid && t->proc->pid != tgid))
		return -ESRCH;
	if (!pm_may_signal(p, t->proc))
		return -EPERM;
	sig_send_thread(t, (int)sig, &o);
	return 0;
}

/* rt_sigreturn: back to the context the handler's frame holds. A frame
 * that cannot be read, or a context the CPU would refuse, is SIGSEGV: as
 * Linux's signal_fault, or the #GP of its iretq or fxrstor. */
static long do_sigreturn(struct pthread *t)
{
	struct pproc *p = t->proc;
	struct ts_regs r;
	uint64_t mask;

	if (ts_thread_regs(p->slot, t->tid, false, &r)) {
		pm_kill(p, L_SIGSEGV);
		return TS_NO_REPLY;
	}
	long err = sigframe_pop(t, &r, &mask);
	if (err != -EFAULT) {
		t->sigmask = mask & ~UNBLOCKABLE;
		sig_mask_changed(t);
	}
	if (err || ts_thread_regs(p->slot, t->tid, true, &r))
		return sig_force(t, &r, L_SIGSEGV, L_SI_KERNEL, 0);
	return (long)r.rax;         /* what the interrupted code had in rax */
}

long pm_signal(struct pproc *p, struct ts_msg *m)
{
	long a0 = (long)m->word[0], a1 = (long)m->word[1];
	struct pthread *t = thread_caller(p, m);

	switch (m->label) {
	case NR_rt_sigaction:
		return do_sigaction(p, m);
	case NR_rt_sigprocmask:
		return do_sigprocmask(t, m);
	case NR_rt_sigpending:
		return do_sigpending(t, m);
	case NR_rt_sigsuspend:
	case NR_pause:
		return do_sigsuspend(t, m);
	case NR_sigaltstack:
		return do_sigaltstack(t, m);
	case NR_rt_sigtimedwait:
		return do_sigtimedwait(t, m);
	case NR_rt_sigreturn:
		return do_sigreturn(t);
	case NR_kill:
		return do_kill(p, a0, a1, L_SI_USER);
	case NR_tkill:
		return do_tkill(p, 0, a0, a1);
	case NR_tgkill:
		return a0 <= 0 ? -EINVAL : do_tkill(p, a0, a1, (long)m->word[2]);
	default:
		return -ENOSYS;
	}
}

void pm_signal_fork(const struct pthread *parent, struct pproc *child)
{
	struct pthread *t = thread_of(child, child->pid);

	memcpy(child->actions, parent->proc->actions, sizeof child->actions);
	t->sigmask = parent->sigmask;
	t->altstack = parent->altstack;
}

/* exec: caught signals go back to their default; ignored stay ignored.
 * The other threads are gone; the mask and pending signals stay. */
void pm_signal_exec(struct pthread *t)
{
	struct linux_sigaction *a = t->proc->actions;

	for (int i = 0; i < L_NSIG; i++)
		if (a[i].handler > L_SIG_IGN)
			a[i] = (struct linux_sigaction){ 0 };
	thread_keep_only(t);
	t->altstack = (struct linux_stack){ .ss_flags = L_SS_DISABLE };
}

void pm_signal_clear(struct pproc *p)
{
	memset(p->actions, 0, sizeof p->actions);
}
