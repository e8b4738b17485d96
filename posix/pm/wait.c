/*
 * wait4 and waitid: a parent learns of a child's end, stop or continue. A
 * wait with nothing to report keeps its reply handle in its thread's entry
 * (each thread of a process may wait at once, as on Linux) and is answered
 * when a child it waits for changes (pm_wait_event), or cut short by a
 * signal (pm_wait_cancel).
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

/* Tell the waiting thread t (reply handle in m) about c; a zombie is
 * reaped, a stop or continue consumed, unless WNOWAIT. */
static long report(const struct pthread *t, struct pproc *c, const struct ts_msg *m, int status)
{
	const struct pm_wait *w = &t->wait;
	int pid = c->pid;

	status &= 0xffff;
	if (w->info) {
		struct linux_siginfo i = siginfo_of(c, status);
		if (to_caller(m, w->info, &i, sizeof i))
			return -EFAULT;
	} else if (w->status && to_caller(m, w->status, &status, sizeof(int32_t))) {
		return -EFAULT;
	}
	if (w->rusage) {
		long err = rusage_to_caller(m, w->rusage, c, true);
		if (err)
			return err;
	}
	if (!(w->options & WNOWAIT)) {
		if (c->zombie) {
			rusage_reaped(t->proc, c);
			proc_free(c);
		} else {
			c->wait_event = 0;
		}
	}
	return w->info ? 0 : pid;
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
	return any ? -EAGAIN : -ECHILD;
}

static long start_wait(struct pthread *t, const struct ts_msg *m)
{
	long r = try_wait(t, m);

	if (r != -EAGAIN)
		return r;
	if (t->wait.options & L_WNOHANG) {
		struct linux_siginfo none = { 0 };
		return t->wait.info ? to_caller(m, t->wait.info, &none, sizeof none) : 0;
	}
	if (sig_deliverable(t))
		return -ERESTARTSYS;
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

static long do_waitid(struct pthread *t, const struct ts_msg *m)
{
	int type = (int)m->word[0], id = (int)m->word[1], options = (int)m->word[3], pid;

	if (options & ~(L_WNOHANG | L_WUNTRACED | WEXITED | L_WCONTINUED | WNOWAIT |
			WAIT_FLAGS_IGNORED) ||
	    !(options & (L_WUNTRACED | WEXITED | L_WCONTINUED)))
		return -EINVAL;
	if (type == P_ALL)
		pid = -1;
	else if (type == P_PID && id > 0)
		pid = id;
	else if (type == P_PGID && id >= 0)
		pid = id ? -id : -t->proc->pgid;
	else
		return -EINVAL;
	t->wait = (struct pm_wait){ .pid = pid, .options = options, .info = m->word[2],
				    .rusage = m->word[4] };
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
	if (t->wait.reply)
		answer(t, err);
}
