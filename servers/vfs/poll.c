/* poll, ppoll, select and pselect6 over descriptors; a caller with nothing
 * ready waits (its reply handle kept) until input arrives or its timeout
 * passes. */
#include <malloc.h>
#include "vfs.h"

#define MAX_POLLFDS MAX_FDS         /* the most RLIMIT_NOFILE may be */
#define MAX_SELECT_FDS 1024         /* FD_SETSIZE */

struct poller {
	uint64_t reply;
	uint64_t caller;            /* its badge: pid, and the thread a cancel names */
	uint64_t fds, nfds;
	bool select;                /* fds unused; sets: fd_set addresses (or 0) */
	uint64_t sets[3];
	uint64_t deadline;          /* ns since boot; 0 = none */
	uint64_t left;              /* the caller's timeout, to get the time left;
				     * 0: none (poll's is a plain int) */
	bool left_usec;             /* a timeval (select's), else a timespec */
};

static struct poller *pollers;      /* the waiting ones, grown as they come */
static unsigned npollers, room;

/* Fill revents; returns how many descriptors are ready, or -errno. */
static long scan(struct fdtable *t, const struct ts_msg *m, uint64_t addr, uint64_t nfds,
		 bool write_back)
{
	static struct linux_pollfd fds[MAX_POLLFDS];    /* one request at a time */
	long ready = 0;

	if (nfds > MAX_POLLFDS)
		return -EINVAL;
	if (from_caller(m, addr, fds, nfds * sizeof fds[0]))
		return -EFAULT;
	for (uint64_t i = 0; i < nfds; i++) {
		struct file *f = fds[i].fd >= 0 ? fd_get(t, fds[i].fd) : NULL;
		short r = fds[i].fd < 0 ? 0 : !f ? L_POLLNVAL : f->ops->poll(f);
		fds[i].revents = r & (fds[i].events | L_POLLERR | L_POLLHUP | L_POLLNVAL);
		ready += fds[i].revents != 0;
	}
	if ((ready || write_back) && to_caller(m, addr, fds, nfds * sizeof fds[0]))
		return -EFAULT;
	return ready;
}

/* select's fd_sets (read, write, except): fill them, count the bits. */
static long scan_select(struct fdtable *t, const struct ts_msg *m, uint64_t nfds,
			const uint64_t sets[3], bool write_back)
{
	enum { IN_SET = L_POLLIN | L_POLLHUP | L_POLLERR, OUT_SET = L_POLLOUT | L_POLLERR };
	uint64_t in[3][MAX_SELECT_FDS / 64] = { 0 }, out[3][MAX_SELECT_FDS / 64] = { 0 };
	uint64_t bytes = ALIGN_UP(nfds, 64) / 8;
	long ready = 0;

	for (int s = 0; s < 3; s++)
		if (sets[s] && from_caller(m, sets[s], in[s], bytes))
			return -EFAULT;
	for (uint64_t fd = 0; fd < nfds; fd++) {
		uint64_t bit = 1ull << (fd % 64), w = fd / 64;
		if (!((in[0][w] | in[1][w] | in[2][w]) & bit))
			continue;
		struct file *f = fd_get(t, fd);
		if (!f)
			return -EBADF;
		short r = f->ops->poll(f);
		short want[3] = { IN_SET, OUT_SET, 0 };     /* no exceptional conditions */
		for (int s = 0; s < 3; s++) {
			if (in[s][w] & bit && r & want[s]) {
				out[s][w] |= bit;
				ready++;
			}
		}
	}
	for (int s = 0; (ready || write_back) && s < 3; s++)
		if (sets[s] && to_caller(m, sets[s], out[s], bytes))
			return -EFAULT;
	return ready;
}

static long check(struct fdtable *t, const struct ts_msg *m, const struct poller *p,
		  bool write_back)
{
	return p->select ? scan_select(t, m, p->nfds, p->sets, write_back)
			 : scan(t, m, p->fds, p->nfds, write_back);
}

/* Linux writes the time left back into select's timeval and into
 * pselect6's and ppoll's timespec (musl's pselect and ppoll pass it a
 * copy), whatever the result; a restart after a signal then waits only
 * what is left. A bad address there is not the call's error. */
static long with_time_left(const struct ts_msg *m, const struct poller *p, long r)
{
	uint64_t now = ts_clock(), left = p->deadline > now ? p->deadline - now : 0;
	int64_t t[2] = { (int64_t)(left / 1000000000), (int64_t)(left % 1000000000) };

	if (p->left_usec)
		t[1] /= 1000;
	if (p->left && p->deadline)
		to_caller(m, p->left, t, sizeof t);
	return r;
}

/* Answer now if something is ready or the time is up, else wait. */
static long wait_or_answer(struct fdtable *t, const struct ts_msg *m, struct poller *p)
{
	long ready = check(t, m, p, false);
	bool now = p->deadline && p->deadline <= ts_clock();

	if (ready || now)
		return with_time_left(m, p, ready ? ready : check(t, m, p, true));
	if (npollers == room) {
		struct poller *more = realloc(pollers, 2 * (room + 4) * sizeof *more);
		if (!more)
			return -ENOMEM;
		pollers = more;
		room = 2 * (room + 4);
	}
	pollers[npollers++] = *p;
	return TS_NO_REPLY;
}

/* A timeout of sec + ns from now (or a past deadline for zero). */
static long deadline_in(int64_t sec, int64_t ns, uint64_t *deadline)
{
	if (sec < 0 || ns < 0 || ns >= 1000000000)
		return -EINVAL;
	*deadline = ts_clock() + (uint64_t)sec * 1000000000ull + (uint64_t)ns;
	return 0;
}

long vfs_select(struct fdtable *t, struct ts_msg *m)
{
	uint64_t *a = m->word;
	struct poller p = { .reply = m->reply, .caller = m->badge, .select = true,
			    .sets = { a[1], a[2], a[3] }, .left = a[4],
			    .left_usec = m->label == NR_select };
	int64_t tv[2];

	if ((int32_t)a[0] < 0)
		return -EINVAL;
	p.nfds = MIN((uint32_t)a[0], MAX_SELECT_FDS);    /* an int */
	if (a[4] && from_caller(m, a[4], tv, sizeof tv))
		return -EFAULT;
	if (a[4] && m->label == NR_select && (tv[1] < 0 || tv[1] >= 1000000))
		return -EINVAL;
	long err = !a[4] ? 0 : m->label == NR_select ? deadline_in(tv[0], tv[1] * 1000, &p.deadline)
						     : deadline_in(tv[0], tv[1], &p.deadline);
	return err ? err : wait_or_answer(t, m, &p);
}

long vfs_poll(struct fdtable *t, struct ts_msg *m)
{
	uint64_t *a = m->word;
	struct poller p = { .reply = m->reply, .caller = m->badge, .fds = a[0],
			   .nfds = (uint32_t)a[1] };   /* an unsigned int */
	long err = 0;

	if (p.nfds > t->limits.nofile)
		return -EINVAL;
	if (m->label == NR_poll && (int32_t)a[2] >= 0) {
		err = deadline_in((int32_t)a[2] / 1000, (int32_t)a[2] % 1000 * 1000000, &p.deadline);
	} else if (m->label == NR_ppoll && a[2]) {
		struct linux_timespec ts;
		if (from_caller(m, a[2], &ts, sizeof ts))
			return -EFAULT;
		err = deadline_in(ts.tv_sec, ts.tv_nsec, &p.deadline);
		p.left = a[2];
	}
	return err ? err : wait_or_answer(t, m, &p);
}

static void answer(unsigned i, long r)
{
	struct ts_msg m = ts_msg_make((uint64_t)r);

	m.reply = pollers[i].reply;
	with_time_left(&m, &pollers[i], r);
	ts_reply(&m);
	pollers[i] = pollers[--npollers];
}

void poll_recheck(void)
{
	uint64_t now = ts_clock();

	for (unsigned i = 0; i < npollers;) {
		struct poller *p = &pollers[i];
		struct fdtable *t = fdtable_find((int)p->caller);
		struct ts_msg m = { .reply = p->reply };
		long r = t ? check(t, &m, p, false) : -EBADF;
		if (r == 0 && p->deadline && p->deadline <= now)
			r = check(t, &m, p, true);
		if (r != 0 || (p->deadline && p->deadline <= now))
			answer(i, r);
		else
			i++;
	}
}

void poll_cancel(uint64_t who)
{
	for (unsigned i = 0; i < npollers;) {
		if (vfs_caller_is(pollers[i].caller, who))
			answer(i, -ERESTARTNOHAND);
		else
			i++;
	}
}

uint64_t poll_next_deadline(void)
{
	uint64_t next = 0;

	for (unsigned i = 0; i < npollers; i++)
		if (pollers[i].deadline && (!next || pollers[i].deadline < next))
			next = pollers[i].deadline;
	return next;
}
