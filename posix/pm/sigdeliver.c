/*
 * Generating and delivering signals. A signal is made pending, for the
 * process (kill: any thread that does not block it takes it) or for one
 * thread (tkill, tgkill); if a thread can take it now, that one thread (for
 * a process's signal, as Linux picks it) is marked for a signal point
 * (TS_SYS_PROC_SIGNAL) and the call it is blocked in is cut short
 * (-ERESTART* from whichever server or the kernel's futex holds it); its
 * other threads' calls go on. At a thread's signal point the
 * process manager picks a signal it does not block and does what its
 * disposition says: nothing, end the process, stop it (by not answering
 * its threads' signal points until SIGCONT), or push a Linux signal frame
 * and send the thread to the handler. Interrupted calls restart or fail
 * with EINTR there, by Linux's rules; a thread with no signal to take just
 * restarts its call.
 */
#include "signal.h"
#include <tessera/proto/vfs.h>

#define STOP_SIGNALS (SIGBIT(L_SIGSTOP) | SIGBIT(L_SIGTSTP) | SIGBIT(L_SIGTTIN) | \
		      SIGBIT(L_SIGTTOU))
#define IGNORED_BY_DEFAULT (SIGBIT(L_SIGCHLD) | SIGBIT(L_SIGCONT) | SIGBIT(L_SIGURG) | \
			    SIGBIT(L_SIGWINCH))

const struct linux_siginfo *sig_info(const struct pproc *p, int sig)
{
	return &p->infos[sig - 1];
}

enum sig_effect sig_effect(const struct pproc *p, int sig)
{
	uint64_t handler = sig_action(p, sig)->handler;

	if (handler == L_SIG_IGN)
		return SIG_EFFECT_IGNORE;
	if (handler != L_SIG_DFL)
		return SIG_EFFECT_HANDLER;
	/* init gets only the signals it has handlers for */
	if (p->pid == 1 || SIGBIT(sig) & IGNORED_BY_DEFAULT)
		return SIG_EFFECT_IGNORE;
	return SIGBIT(sig) & STOP_SIGNALS ? SIG_EFFECT_STOP : SIG_EFFECT_TERMINATE;
}

bool sig_deliverable(const struct pthread *t)
{
	return !t->proc->stop_sig && ((t->sig_pending | t->proc->sig_pending) & ~t->sigmask);
}

void sig_discard(struct pproc *p, uint64_t set)
{
	p->sig_pending &= ~set;
	for (struct pthread *t = thread_next(p, NULL); t; t = thread_next(p, t))
		t->sig_pending &= ~set;
}

void sig_calls_cut_short(struct pthread *t)
{
	pm_wait_cancel(t, -ERESTARTSYS);
	pm_time_cancel(t, -ERESTARTNOHAND);
	if (t->sig_wait_reply) {
		struct ts_msg r = ts_msg_make((uint64_t)-ERESTARTNOHAND);
		r.reply = t->sig_wait_reply;
		t->sig_wait_reply = t->sigwait_set = t->sigwait_deadline = 0;
		ts_reply(&r);
	}
}

/* The call t waits in, here, in the VFS or in the kernel's futex, is cut
 * short: t may take a signal (or, at an exec by another thread, is gone). */
void sig_cut_short(struct pthread *t)
{
	struct ts_msg v;

	ts_proc_signal(t->proc->slot, t->tid);
	pm_vfs_request(VFS_CANCEL, (uint32_t)t->proc->pid | (uint64_t)t->tid << 32, 0, &v);
	sig_calls_cut_short(t);
}

static bool takes(const struct pthread *t, int sig, bool waiting)
{
	return waiting ? t->sigwait_set & SIGBIT(sig) : !(t->sigmask & SIGBIT(sig));
}

/* The thread of p that waits for sig in rt_sigtimedwait (waiting), or that
 * does not block it: the main thread if it does, as Linux's
 * complete_signal, else the first that does; NULL if none. */
static struct pthread *thread_for(const struct pproc *p, int sig, bool waiting)
{
	struct pthread *t = thread_of(p, p->pid);

	if (t && takes(t, sig, waiting))
		return t;
	for (t = thread_next(p, NULL); t; t = thread_next(p, t))
		if (takes(t, sig, waiting))
			return t;
	return NULL;
}

/* t's process's signals that t now blocks go to a thread that does not
 * (Linux's retarget_shared_pending): t may be the one cut short for them. */
static void retarget(const struct pthread *t)
{
	uint64_t left = t->proc->sig_pending & t->sigmask;

	for (int sig; !t->proc->stop_sig && (sig = sig_lowest(left)); left &= ~SIGBIT(sig)) {
		struct pthread *o = thread_for(t->proc, sig, false);
		if (o)
			sig_cut_short(o);
	}
}

void sig_mask_changed(struct pthread *t)
{
	if (sig_deliverable(t))
		ts_proc_signal(t->proc->slot, t->tid);
	retarget(t);
}

static void resume(struct pproc *p)
{
	p->stop_sig = 0;
	p->wait_event = 0xffff;
	for (struct pthread *t = thread_next(p, NULL); t; t = thread_next(p, t)) {
		struct ts_msg r = ts_msg_make(0);
		if (!t->stop_reply)
			continue;
		r.reply = t->stop_reply;
		t->stop_reply = 0;
		sig_mask_changed(t);
		ts_reply(&r);
	}
	sig_child_event(p, L_CLD_CONTINUED, L_SIGCONT);
	pm_wait_event(p);
}

/* Make sig pending for p, or for its thread t if not NULL <- the thread
 * to cut short for it (only the one that is to take it), or NULL. */
static struct pthread *post(struct pproc *p, struct pthread *t, int sig,
			    const struct sig_origin *o)
{
	if (sig == L_SIGCONT) {
		sig_discard(p, STOP_SIGNALS);
		if (p->stop_sig)
			resume(p);
	} else if (SIGBIT(sig) & STOP_SIGNALS) {
		sig_discard(p, SIGBIT(L_SIGCONT));
	}
	struct pthread *taker = !t ? thread_for(p, sig, false) :
				t->sigmask & SIGBIT(sig) ? NULL : t;
	if (taker && sig_effect(p, sig) == SIG_EFFECT_IGNORE)
		return NULL;
	if (t)
		t->sig_pending |= SIGBIT(sig);
	else
		p->sig_pending |= SIGBIT(sig);
	p->infos[sig - 1] = (struct linux_siginfo){
		.si_signo = sig, .si_code = o->code, .si_pid = o->pid, .si_uid = o->uid,
		.si_status = o->status };
	struct pthread *w = t ? t : thread_for(p, sig, true);
	if (w && w->sigwait_set & SIGBIT(sig)) {
		sig_wait_answer(w, sig);
		return NULL;
	}
	return p->stop_sig ? NULL : taker;
}

static void send(struct pproc *p, struct pthread *t, int sig, const struct sig_origin *o)
{
	if (p->zombie || !sig)
		return;
	if (sig == L_SIGKILL && p->pid != 1) {
		pm_kill(p, sig);
		return;
	}
	struct pthread *taker = post(p, t, sig, o);

	if (taker)
		sig_cut_short(taker);
}

void sig_send(struct pproc *p, int sig, const struct sig_origin *o)
{
	send(p, NULL, sig, o);
}

void sig_send_thread(struct pthread *t, int sig, const struct sig_origin *o)
{
	send(t->proc, t, sig, o);
}

long sig_send_group(int pgid, int sig, const struct sig_origin *o)
{
	bool any = false;

	for (struct pproc *p = proc_next(NULL); p; p = proc_next(p)) {
		if (p->pgid != pgid || p->zombie)
			continue;
		sig_send(p, sig, o);
		any = true;
	}
	return any ? 0 : -ESRCH;
}

void sig_child_event(const struct pproc *c, int code, int status)
{
	struct pproc *parent = proc_find(c->ppid);
	struct sig_origin o = { .code = code, .pid = c->pid, .status = status };

	if (!parent)
		return;
	if (code >= L_CLD_STOPPED &&
	    sig_action(parent, L_SIGCHLD)->flags & L_SA_NOCLDSTOP)
		return;
	sig_send(parent, L_SIGCHLD, &o);
}

/* A call cut short by a signal restarts or fails with EINTR. */
static bool restart_call(struct ts_regs *r, bool handler, uint64_t flags)
{
	if (r->orig_rax < 0)
		return false;
	if ((long)r->rax == -ERESTARTSYS && handler && !(flags & L_SA_RESTART))
		r->rax = (uint64_t)-EINTR;
	else if ((long)r->rax == -ERESTARTNOHAND && handler)
		r->rax = (uint64_t)-EINTR;
	else if ((long)r->rax == -ERESTARTSYS || (long)r->rax == -ERESTARTNOHAND) {
		r->rax = (uint64_t)r->orig_rax;
		r->rip -= 2;                    /* the syscall instruction again */
	} else
		return false;
	return true;
}

static long run_handler(struct pthread *t, struct ts_regs *r, int sig)
{
	struct pproc *p = t->proc;
	struct linux_sigaction *a = sig_action(p, sig);
	struct sig_delivery d = { .action = *a, .info = p->infos[sig - 1],
				  .saved_mask = t->sig_mask_saved ? t->sig_saved_mask : t->sigmask };

	restart_call(r, true, a->flags);
	if (!(a->flags & L_SA_RESTORER) || sigframe_push(t, r, &d) ||
	    ts_thread_regs(p->slot, t->tid, true, r)) {
		pm_kill(p, L_SIGSEGV);          /* Linux's force_sigsegv */
		return TS_NO_REPLY;
	}
	t->sig_mask_saved = false;
	t->sigmask |= a->mask | (a->flags & L_SA_NODEFER ? 0 : SIGBIT(sig));
	t->sigmask &= ~UNBLOCKABLE;
	if (a->flags & L_SA_RESETHAND)
		*a = (struct linux_sigaction){ 0 };
	sig_mask_changed(t);                /* more due: another frame on top */
	return 0;
}

/* The signal t takes next, no longer pending: its own first, as Linux. */
static int take_next(struct pthread *t)
{
	uint64_t *from = &t->sig_pending;
	int sig = sig_lowest(*from & ~t->sigmask);

	if (!sig) {
		from = &t->proc->sig_pending;
		sig = sig_lowest(*from & ~t->sigmask);
	}
	*from &= ~(sig ? SIGBIT(sig) : 0);
	return sig;
}

/* p is stopped: t waits at its signal point until SIGCONT, its call cut
 * short to restart then. */
static long hold(struct pthread *t, struct ts_regs *r, uint64_t reply)
{
	if (restart_call(r, false, 0))
		ts_thread_regs(t->proc->slot, t->tid, true, r);
	t->stop_reply = reply;
	return TS_NO_REPLY;
}

/* sig stops p: t first, each other thread at its next signal point, its
 * call cut short to restart after SIGCONT (as Linux's group stop). */
static long stop(struct pthread *t, struct ts_regs *r, uint64_t reply, int sig)
{
	struct pproc *p = t->proc;

	p->stop_sig = sig;
	p->wait_event = (sig << 8) | 0x7f;
	for (struct pthread *o = thread_next(p, NULL); o; o = thread_next(p, o))
		if (o != t)
			sig_cut_short(o);
	sig_child_event(p, L_CLD_STOPPED, sig);
	pm_wait_event(p);
	return hold(t, r, reply);
}

long pm_signal_point(struct pproc *p, struct ts_msg *m)
{
	struct pthread *t = thread_caller(p, m);
	struct ts_regs r;
	int sig;

	if (ts_thread_regs(p->slot, t->tid, false, &r))
		return 0;
	if (p->stop_sig)
		return hold(t, &r, m->reply);
	while ((sig = take_next(t))) {
		switch (sig_effect(p, sig)) {
		case SIG_EFFECT_IGNORE:
			continue;
		case SIG_EFFECT_TERMINATE:
			pm_kill(p, sig);
			return TS_NO_REPLY;
		case SIG_EFFECT_HANDLER:
			return run_handler(t, &r, sig);
		case SIG_EFFECT_STOP:
			return stop(t, &r, m->reply, sig);
		}
	}
	if (t->sig_mask_saved) {
		t->sigmask = t->sig_saved_mask;
		t->sig_mask_saved = false;
	}
	if (restart_call(&r, false, 0))
		ts_thread_regs(p->slot, t->tid, true, &r);
	return 0;
}

/* Force sig on t, at registers r, as Linux's force_sig_fault: a blocked
 * or ignored one goes back to its default; a handler runs now, before any
 * other pending signal (as Linux takes synchronous ones first), and
 * without one the process ends — pid 1 too. */
long sig_force(struct pthread *t, struct ts_regs *r, int sig, int code, uint64_t addr)
{
	struct pproc *p = t->proc;
	struct linux_sigaction *a = sig_action(p, sig);

	if (a->handler == L_SIG_IGN || t->sigmask & SIGBIT(sig)) {
		*a = (struct linux_sigaction){ 0 };
		t->sigmask &= ~SIGBIT(sig);
	}
	if (a->handler == L_SIG_DFL) {
		ts_print("pid %d: signal %d (code %#x, address %#lx) at rip %#lx", p->pid, sig,
			 code, addr, r->rip);
		pm_kill(p, sig);
		return TS_NO_REPLY;
	}
	p->infos[sig - 1] = (struct linux_siginfo){ .si_signo = sig, .si_code = code,
						 .si_addr = addr };
	return run_handler(t, r, sig);
}

#define DR6_BS (1u << 14)           /* the debug exception is a single step */
#define VEC_X87_ERROR 16

/* SIGFPE's si_code for an x87 or SIMD exception: the unmasked one the
 * saved state (fxsave format) shows, as Linux's fpu__exception_code; 0 for
 * none (a spurious one). */
static int fpe_code(uint64_t vector, const uint8_t *fpu)
{
	uint16_t cwd, swd;
	uint32_t mxcsr, err;

	memcpy(&cwd, fpu, sizeof cwd);
	memcpy(&swd, fpu + 2, sizeof swd);
	memcpy(&mxcsr, fpu + 24, sizeof mxcsr);
	err = vector == VEC_X87_ERROR ? (uint32_t)(swd & ~cwd) : ~(mxcsr >> 7) & mxcsr;
	if (err & 0x01)
		return L_FPE_FLTINV;
	if (err & 0x04)
		return L_FPE_FLTDIV;
	if (err & 0x08)
		return L_FPE_FLTOVF;
	if (err & 0x12)                     /* denormal, underflow */
		return L_FPE_FLTUND;
	return err & 0x20 ? L_FPE_FLTRES : 0;
}

/* The signal, si_code and si_addr (the instruction, the page fault's
 * address or none) Linux sends for an exception at registers r; 0 for
 * none (a spurious FPU one: the instruction is retried). */
static int fault_signal(const struct ts_msg *m, const struct ts_regs *r, int *code,
			uint64_t *addr)
{
	uint64_t vector = m->word[0], error = m->word[1], cr2 = m->word[2], rip = m->word[3];

	*addr = 0;
	*code = L_SI_KERNEL;
	switch (vector) {
	case 0:  *addr = rip; *code = L_FPE_INTDIV; return L_SIGFPE;
	case 1:  *addr = rip; *code = error & DR6_BS ? L_TRAP_TRACE : L_TRAP_BRKPT;
		 return L_SIGTRAP;
	case 3:  return L_SIGTRAP;                  /* int3 */
	case 6:  *addr = rip; *code = L_ILL_ILLOPN; return L_SIGILL;
	case 11: case 12: return L_SIGBUS;          /* segment not present, stack */
	case 14: *addr = cr2; *code = error & 1 ? L_SEGV_ACCERR : L_SEGV_MAPERR;
		 return L_SIGSEGV;
	case VEC_X87_ERROR: case 19:
		*addr = rip;
		*code = fpe_code(vector, r->fpu);
		return *code ? L_SIGFPE : 0;
	case 17: *code = L_BUS_ADRALN; return L_SIGBUS;
	default: return L_SIGSEGV;
	}
}

/* A fault (TS_LABEL_FAULT): its signal is forced on the faulting thread. */
long pm_fault(struct pproc *p, struct ts_msg *m)
{
	struct pthread *t = thread_caller(p, m);
	struct ts_regs r;
	uint64_t addr;
	int code, sig;

	if (ts_thread_regs(p->slot, t->tid, false, &r)) {
		pm_kill(p, L_SIGSEGV);
		return TS_NO_REPLY;
	}
	sig = fault_signal(m, &r, &code, &addr);
	return sig ? sig_force(t, &r, sig, code, addr) : 0;
}

/* A signal from the VFS to target (a pid, or -pgid) that the call of
 * thread tid (0: none) caused: a broken pipe's SIGPIPE is for that thread,
 * as Linux's send_sig to current; a background terminal call's SIGTTIN or
 * SIGTTOU for its group, and its call, answered -ERESTARTSYS, restarts at
 * a signal point (Linux's TIF_SIGPENDING on the caller). */
static void signal_from_vfs(int target, int sig, int tid)
{
	struct sig_origin o = { .code = L_SI_KERNEL };
	struct pthread *caller = tid ? thread_by_tid(tid) : NULL;
	struct pproc *p = target > 0 ? proc_find(target) : NULL;

	/* not a signal (it would index past the tables), or no group (no -target) */
	if (sig < 1 || sig > L_NSIG || target == INT32_MIN)
		return;
	if (caller)                 /* first: a fatal signal frees its entry */
		ts_proc_signal(caller->proc->slot, caller->tid);
	if (target < 0)
		sig_send_group(-target, sig, &o);
	else if (caller && caller->proc == p)
		sig_send_thread(caller, sig, &o);
	else if (p)
		sig_send(p, sig, &o);
}

/* Signals from the VFS: ^C, ^Z, ^\ on a terminal, writes to broken pipes,
 * background terminal calls. */
void pm_signals_from_vfs(void)
{
	struct ts_msg v;
	long n;

	while ((n = pm_vfs_request(VFS_TAKE_SIGNALS, 0, 0, &v)) > 0)
		for (long i = 0; i < n && i < TS_MSG_WORDS / 2; i++)
			signal_from_vfs((int)v.word[2 * i], (int)(uint32_t)v.word[2 * i + 1],
					(int)(v.word[2 * i + 1] >> 32));
}
