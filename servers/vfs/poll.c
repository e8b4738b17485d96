/* poll and ppoll over descriptors; a caller with nothing ready waits (its
 * reply handle kept) until input arrives or its timeout passes. */
#include "vfs.h"

#define MAX_POLLFDS 16
#define MAX_POLLERS 8

struct poller {
	uint64_t reply;
	int pid;
	uint64_t fds, nfds;
	uint64_t deadline;          /* ns since boot; 0 = none */
};

static struct poller pollers[MAX_POLLERS];
static unsigned npollers;

/* Fill revents; returns how many descriptors are ready, or -errno. */
static long scan(struct fdtable *t, const struct ts_msg *m, uint64_t addr, uint64_t nfds,
		 bool write_back)
{
	struct linux_pollfd fds[MAX_POLLFDS];
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

long vfs_poll(struct fdtable *t, struct ts_msg *m)
{
	uint64_t *a = m->word, fds = a[0], nfds = a[1], deadline = 0;

	if (m->label == NR_poll && (int64_t)a[2] >= 0) {
		deadline = ts_clock() + a[2] * 1000000ull;
	} else if (m->label == NR_ppoll && a[2]) {
		struct linux_timespec ts;
		if (from_caller(m, a[2], &ts, sizeof ts))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		deadline = ts_clock() + ts.tv_sec * 1000000000ull + ts.tv_nsec;
	}
	long ready = scan(t, m, fds, nfds, false);
	bool now = deadline && deadline <= ts_clock();
	if (ready || now)
		return ready ? ready : scan(t, m, fds, nfds, true);
	if (npollers == MAX_POLLERS)
		return -EAGAIN;
	pollers[npollers++] = (struct poller){ m->reply, t->pid, fds, nfds, deadline };
	return TS_NO_REPLY;
}

static void answer(unsigned i, long r)
{
	struct ts_msg m = ts_msg_make((uint64_t)r);

	m.reply = pollers[i].reply;
	ts_reply(&m);
	pollers[i] = pollers[--npollers];
}

void poll_recheck(void)
{
	uint64_t now = ts_clock();

	for (unsigned i = 0; i < npollers;) {
		struct poller *p = &pollers[i];
		struct fdtable *t = fdtable_find(p->pid);
		struct ts_msg m = { .reply = p->reply };
		long r = t ? scan(t, &m, p->fds, p->nfds, false) : -EBADF;
		if (r == 0 && p->deadline && p->deadline <= now)
			r = scan(t, &m, p->fds, p->nfds, true);
		if (r != 0 || (p->deadline && p->deadline <= now))
			answer(i, r);
		else
			i++;
	}
}

void poll_cancel(int pid)
{
	for (unsigned i = 0; i < npollers;) {
		if (pollers[i].pid == pid)
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
