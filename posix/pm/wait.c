/*
 * wait4 and waitid: a parent learns of a child's end, stop or continue. A
 * wait with nothing to report keeps its reply handle in the parent's entry
 * and is answered when a child it waits for changes (pm_wait_event), or
 * cut short by a signal (pm_wait_cancel).
 */
#include "pm.h"

#define WEXITED  4
#define WNOWAIT  0x01000000
#define WAIT_FLAGS_IGNORED 0x60000000    /* __WNOTHREAD, __WALL */
#define P_ALL  0
#define P_PID  1
#define P_PGID 2

static bool waits_for(const struct pproc *parent, const struct pproc *c)
{
	int want = parent->wait_pid;

	return c->ppid == parent->pid &&
	       (want == -1 || want == c->pid || (want == 0 && c->pgid == parent->pgid) ||
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

/* Tell waiting parent p (reply handle in m) about c; a zombie is reaped,
 * a stop or continue consumed, unless WNOWAIT. */
static long report(struct pproc *p, struct pproc *c, const struct ts_msg *m, int status)
{
	const struct pm_wait *w = &p->wait;
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
			rusage_reaped(p, c);
			proc_free(c);
		}
		else
			c->wait_event = 0;
	}
	return w->info ? 0 : pid;
}

/* The wait p->wait describes, now; -EAGAIN if it must wait. */
static long try_wait(struct pproc *p, const struct ts_msg *m)
{
	bool any = false;

	for (struct pproc *c = proc_next(NULL); c; c = proc_next(c)) {
		if (!waits_for(p, c))
			continue;
		int status = reportable(c, p->wait.options);
		if (status)
			return report(p, c, m, status);
		any = true;
	}
	return any ? -EAGAIN : -ECHILD;
}

static long start_wait(struct pproc *p, const struct ts_msg *m)
{
	long r = try_wait(p, m);

	if (r != -EAGAIN)
		return r;
	if (p->wait.options & L_WNOHANG) {
		struct linux_siginfo none = { 0 };
		return p->wait.info ? to_caller(m, p->wait.info, &none, sizeof none) : 0;
	}
	if (sig_deliverable(thread_caller(p, m)))
		return -ERESTARTSYS;
	p->wait_reply = m->reply;
	p->wait_tid = thread_caller(p, m)->tid;
	return TS_NO_REPLY;
}

static long do_wait4(struct pproc *p, const struct ts_msg *m)
{
	int options = (int)m->word[2];

	if (options & ~(L_WNOHANG | L_WUNTRACED | L_WCONTINUED | WAIT_FLAGS_IGNORED))
		return -EINVAL;
	p->wait_pid = (int)m->word[0];
	p->wait = (struct pm_wait){ .options = options | WEXITED, .status = m->word[1],
				    .rusage = m->word[3] };
	return start_wait(p, m);
}

static long do_waitid(struct pproc *p, const struct ts_msg *m)
{
	int type = (int)m->word[0], id = (int)m->word[1], options = (int)m->word[3];

	if (options & ~(L_WNOHANG | L_WUNTRACED | WEXITED | L_WCONTINUED | WNOWAIT |
			WAIT_FLAGS_IGNORED) ||
	    !(options & (L_WUNTRACED | WEXITED | L_WCONTINUED)))
		return -EINVAL;
	if (type == P_ALL)
		p->wait_pid = -1;
	else if (type == P_PID && id > 0)
		p->wait_pid = id;
	else if (type == P_PGID && id >= 0)
		p->wait_pid = id ? -id : -p->pgid;
	else
		return -EINVAL;
	p->wait = (struct pm_wait){ .options = options, .info = m->word[2], .rusage = m->word[4] };
	return start_wait(p, m);
}

long pm_wait(struct pproc *p, struct ts_msg *m)
{
	return m->label == NR_waitid ? do_waitid(p, m) : do_wait4(p, m);
}

void pm_wait_event(struct pproc *c)
{
	struct pproc *parent = proc_find(c->ppid);

	if (!parent || !parent->wait_reply || !waits_for(parent, c))
		return;
	int status = reportable(c, parent->wait.options);
	if (!status)
		return;
	struct ts_msg r = ts_msg_make(0);
	r.reply = parent->wait_reply;
	r.label = (uint64_t)report(parent, c, &r, status);
	parent->wait_reply = 0;
	ts_reply(&r);
}

void pm_wait_cancel(const struct pthread *t, long err)
{
	struct pproc *p = t->proc;

	if (!p->wait_reply || p->wait_tid != t->tid)
		return;
	struct ts_msg r = ts_msg_make((uint64_t)err);
	r.reply = p->wait_reply;
	p->wait_reply = 0;
	ts_reply(&r);
}
