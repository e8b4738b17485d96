/*
 * wait4 and waitid: a parent learns of a child's end, stop or continue. A
 * wait with nothing to report keeps its reply handle in its thread's entry
 * (each thread of a process may wait at once, as on Linux) and is answered
 * when a child it waits for changes (pm_wait_event), or cut short by a
 * signal (pm_wait_cancel). As on Linux, what the caller is told is written
 * after the child is reaped: a bad pointer is EFAULT, the child gone all
 * the same.
 */
#include "pm.h"

#define WEXITED  4
#define WNOWAIT  0x01000000
#define WAIT_FLAGS_IGNORED 0x60000000    /* __WNOTHREAD, __WALL */
#define P_ALL  0
#define P_PID  1
#define P_PGID 2

/* Whether a wait of p's thread (as w says) is for child c. */
static bool waits_for(const struct pproc *p, const struct pm_wait *w, const struct pproc *c)
{
	int want = w->pid;

	return c->ppid == p->pid &&
	       (want == -1 || want == c->pid || (want == 0 && c->pgid == p->pgid) ||
		(want < -1 && c->pgid == -want));
}

/* What c has to report to a wait with these options: its wait status, or 0. */
static int reportable(const struct pproc *c, int options)
{
	if (c->zombie)   /* a bit above the status, so that an exit with 0 counts */
		return options & WEXITED ? c->wait_status | 0x10000 : 0;
	if ((c->wait_event & 0xff) == 0x7f)
		return options & L_WUNTRACED ? c->wait_event : 0;
	return options & L_WCONTINUED ? c->wait_event : 0;
}

static struct linux_siginfo siginfo_of(const struct pproc *c, int status)
{
	struct linux_siginfo i = { .si_signo = L_SIGCHLD, .si_pid = c->pid,
				   .si_uid = (int)c->cred.uid[ID_REAL] };

	if (status == 0xffff) {
		i.si_code = L_CLD_CONTINUED;
		i.si_status = L_SIGCONT;
	} else if ((status & 0xff) == 0x7f) {
		i.si_code = L_CLD_STOPPED;
		i.si_status = status >> 8;
	} else {
		i.si_code = status & 0x7f ? L_CLD_KILLED : L_CLD_EXITED;
		i.si_status = status & 0x7f ? status & 0x7f : status >> 8;
	}
	return i;
}

/* Linux's waitid writes si_signo to si_status and leaves the rest. */
static long info_to_caller(const struct ts_msg *m, uint64_t addr, const struct linux_siginfo *i)
{
	return to_caller(m, addr, i, offsetof(struct linux_siginfo, si_status) + sizeof(int32_t));
}

/* A wait that reports no child (none ready with WNOHANG, an error, a
 * signal): waitid writes a zeroed siginfo all the same <- r, or -EFAULT. */
static long no_report(const struct pthread *t, const struct ts_msg *m, long r)
{
	static const struct linux_siginfo none;

	if (t->wait.waitid && t->wait.info && info_to_caller(m, t->wait.info, &none))
		return -EFAULT;
	return r;
}

/* wait4 writes the status, then (if it could) the rusage. */
static long wait4_out(const struct ts_msg *m, const struct pm_wait *w, const struct pproc *c,
		      int status)
{
	if (w->status && to_caller(m, w->status, &status, sizeof(int32_t)))
		return -EFAULT;
	return w->rusage ? rusage_to_caller(m, w->rusage, c, true) : 0;
}

/* waitid writes the rusage, then (if it could) the siginfo. */
static long waitid_out(const struct ts_msg *m, const struct pm_wait *w, const struct pproc *c,
		       int status)
{
	struct linux_siginfo i = siginfo_of(c, status);

	if (w->rusage && rusage_to_caller(m, w->rusage, c, true))
		return -EFAULT;
	return w->info ? info_to_caller(m, w->info, &i) : 0;
}

/* Tell the waiting thread t (reply handle in m) about c. A zombie is
 * reaped, a stop or continue consumed (unless WNOWAIT) even if what t is
 * told cannot be written (-EFAULT), as Linux writes after it reaps. */
static long report(const struct pthread *t, struct pproc *c, const struct ts_msg *m, int status)
{
	const struct pm_wait *w = &t->wait;
	int pid = c->pid;
	long err;

	status &= 0xffff;
	err = w->waitid ? waitid_out(m, w, c, status) : wait4_out(m, w, c, status);
	if (!(w->options & WNOWAIT)) {
		if (c->zombie) {
			rusage_reaped(t->proc, c);
			proc_free(c);
		} else {
			c->wait_event = 0;
		}
	}
	return err ? err : w->waitid ? 0 : pid;
}

/* The wait t->wait describes, now; -EAGAIN if it must wait. */
static long try_wait(const struct pthread *t, const struct ts_msg *m)
{
	bool any = false;

	for (struct pproc *c = proc_next(NULL); c; c = proc_next(c)) {
		if (!waits_for(t->proc, &t->wait, c))
			continue;
		int status = reportable(c, t->wait.options);
		if (status)
			return report(t, c, m, status);
		any = true;
	}
	return any ? -EAGAIN : no_report(t, m, -ECHILD);
}

static long start_wait(struct pthread *t, const struct ts_msg *m)
{
	long r = try_wait(t, m);

	if (r != -EAGAIN)
		return r;
	if (t->wait.options & L_WNOHANG)
		return no_report(t, m, 0);
	if (sig_deliverable(t))
		return no_report(t, m, -ERESTARTSYS);
	t->wait.reply = m->reply;
	return TS_NO_REPLY;
}

static long do_wait4(struct pthread *t, const struct ts_msg *m)
{
	int options = (int)m->word[2];

	if (options & ~(L_WNOHANG | L_WUNTRACED | L_WCONTINUED | WAIT_FLAGS_IGNORED))
		return -EINVAL;
	t->wait = (struct pm_wait){ .pid = (int)m->word[0], .options = options | WEXITED,
				    .status = m->word[1], .rusage = m->word[3] };
	return start_wait(t, m);
}

/* The children waitid's type and id name, as wait4's pid; 0: none. */
static int waitid_pid(const struct pthread *t, int type, int id)
{
	if (type == P_ALL)
		return -1;
	if (type == P_PID && id > 0)
		return id;
	if (type == P_PGID && id >= 0)
		return id ? -id : -t->proc->pgid;
	return 0;
}

static long do_waitid(struct pthread *t, const struct ts_msg *m)
{
	int options = (int)m->word[3];

	t->wait = (struct pm_wait){ .waitid = true,
				    .pid = waitid_pid(t, (int)m->word[0], (int)m->word[1]),
				    .options = options, .info = m->word[2], .rusage = m->word[4] };
	if (!t->wait.pid ||
	    options & ~(L_WNOHANG | L_WUNTRACED | WEXITED | L_WCONTINUED | WNOWAIT |
			WAIT_FLAGS_IGNORED) ||
	    !(options & (L_WUNTRACED | WEXITED | L_WCONTINUED)))
		return no_report(t, m, -EINVAL);
	return start_wait(t, m);
}

long pm_wait(struct pproc *p, struct ts_msg *m)
{
	struct pthread *t = thread_caller(p, m);

	return m->label == NR_waitid ? do_waitid(t, m) : do_wait4(t, m);
}

static void answer(struct pthread *t, long r)
{
	struct ts_msg a = ts_msg_make((uint64_t)r);

	a.reply = t->wait.reply;
	t->wait.reply = 0;
	ts_reply(&a);
}

/* Each thread of c's parent blocked in a wait looks at its children again,
 * as Linux wakes them all: a child's end goes to the first (in table
 * order) whose wait it matches, and a wait for it alone then finds no
 * child left (ECHILD). */
void pm_wait_event(struct pproc *c)
{
	struct pproc *parent = proc_find(c->ppid);

	if (!parent)
		return;
	for (struct pthread *t = thread_next(parent, NULL); t; t = thread_next(parent, t)) {
		if (!t->wait.reply)
			continue;
		struct ts_msg m = { .reply = t->wait.reply };
		long r = try_wait(t, &m);
		if (r != -EAGAIN)
			answer(t, r);
	}
}

void pm_wait_cancel(struct pthread *t, long err)
{
	struct ts_msg m = { .reply = t->wait.reply };

	if (t->wait.reply)
		answer(t, no_report(t, &m, err));
}
