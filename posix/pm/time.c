/* Clocks, sleeping and interval timers. A sleeping caller's reply handle
 * waits in a list until its deadline; the main loop receives with a
 * timeout meanwhile, so a sleeper never blocks the process manager. A
 * signal cuts a sleep short (pm_time_cancel). */
#include <malloc.h>
#include "pm.h"

#define TIMER_ABSTIME 1

struct sleeper {
	uint64_t reply;
	uint64_t deadline;          /* ns since boot */
	int tid;                    /* the thread that sleeps */
	uint64_t rem_addr;          /* where an interrupted sleep says what is left */
};

#define CLOCK_REALTIME 0

static struct sleeper *sleepers;    /* grown as sleepers come: no table to fill */
static unsigned nsleepers, room;
static int64_t boot_epoch_ns;       /* the wall clock when ts_clock() was 0 */

void pm_time_init(int64_t epoch_at_start)
{
	boot_epoch_ns = epoch_at_start * 1000000000ll - (int64_t)ts_clock();
}

int64_t pm_boot_epoch_seconds(void)
{
	return boot_epoch_ns / 1000000000;
}

int64_t pm_boot_epoch_ns(void)
{
	return boot_epoch_ns;
}

static struct linux_timespec timespec_of(int64_t ns)
{
	return (struct linux_timespec){ ns / 1000000000, ns % 1000000000 };
}

static long sleep_until(const struct pproc *p, const struct ts_msg *m, uint64_t deadline,
			uint64_t rem_addr)
{
	if (deadline <= ts_clock())
		return 0;
	const struct pthread *t = thread_caller(p, m);
	if (sig_deliverable(t))
		return -ERESTARTNOHAND;
	if (nsleepers == room) {
		struct sleeper *more = realloc(sleepers, 2 * (room + 16) * sizeof *more);
		if (!more)
			return -ENOMEM;
		sleepers = more;
		room = 2 * (room + 16);
	}
	sleepers[nsleepers++] = (struct sleeper){ m->reply, deadline, t->tid, rem_addr };
	return TS_NO_REPLY;
}

static long do_nanosleep(const struct pproc *p, const struct ts_msg *m, uint64_t req_addr,
			 uint64_t rem_addr, bool absolute)
{
	struct linux_timespec req;

	if (from_caller(m, req_addr, &req, sizeof req))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= 1000000000)
		return -EINVAL;
	uint64_t ns = req.tv_sec * 1000000000ull + req.tv_nsec;
	if (absolute)
		return sleep_until(p, m, ns, 0);
	return sleep_until(p, m, ts_clock() + ns, rem_addr);
}

void pm_time_cancel(const struct pthread *t, long err)
{
	for (unsigned i = 0; i < nsleepers; i++) {
		if (sleepers[i].tid != t->tid)
			continue;
		struct ts_msg r = ts_msg_make((uint64_t)err);
		r.reply = sleepers[i].reply;
		if (sleepers[i].rem_addr) {
			uint64_t now = ts_clock(), end = sleepers[i].deadline;
			struct linux_timespec rem = timespec_of(end > now ? end - now : 0);
			to_caller(&r, sleepers[i].rem_addr, &rem, sizeof rem);
		}
		ts_reply(&r);
		sleepers[i--] = sleepers[--nsleepers];
	}
}

/* Interval timers and rt_sigtimedwait deadlines that have come. */
/* The earliest timer deadline known (0: none): the main loop calls
 * fire_itimers on every request, which scans the table only once it has
 * come. */
static uint64_t timers_next;

void pm_timer_armed(uint64_t deadline)
{
	if (deadline && (!timers_next || deadline < timers_next))
		timers_next = deadline;
}

/* rt_sigtimedwait calls of p's threads whose time is up end; the next
 * deadline of the others, or of next if sooner. */
static uint64_t fire_sigwaits(struct pproc *p, uint64_t now, uint64_t next)
{
	for (struct pthread *w = thread_next(p, NULL); w; w = thread_next(p, w)) {
		if (w->sigwait_deadline && w->sigwait_deadline <= now)
			sig_wait_answer(w, 0);
		if (w->sigwait_deadline && (!next || w->sigwait_deadline < next))
			next = w->sigwait_deadline;
	}
	return next;
}

static uint64_t fire_itimers(uint64_t now)
{
	struct sig_origin o = { .code = L_SI_KERNEL };
	uint64_t next = 0;

	if (!timers_next || now < timers_next)
		return timers_next;
	for (struct pproc *p = proc_next(NULL); p; p = proc_next(p)) {
		struct itimer *t = &p->itimer;
		next = fire_sigwaits(p, now, next);
		next = rlimit_cpu_check(p, now, next);
		if (!t->deadline || p->zombie)
			continue;
		if (t->deadline <= now) {
			t->deadline = t->interval ? now + t->interval : 0;
			sig_send(p, L_SIGALRM, &o);
		}
		if (t->deadline && (!next || t->deadline < next))
			next = t->deadline;
	}
	return timers_next = next;
}

static struct linux_timeval timeval_of(uint64_t ns)
{
	return (struct linux_timeval){ ns / 1000000000, ns / 1000 % 1000000 };
}

static uint64_t ns_of_timeval(const struct linux_timeval *tv)
{
	return tv->tv_sec * 1000000000ull + tv->tv_usec * 1000ull;
}

static struct linux_itimerval itimer_get(const struct pproc *p)
{
	const struct itimer *t = &p->itimer;
	uint64_t now = ts_clock();
	struct linux_itimerval v = { timeval_of(t->interval),
				     timeval_of(t->deadline > now ? t->deadline - now : 0) };

	if (t->deadline && t->deadline <= now)
		v.value.tv_usec = 1;            /* due but not fired yet: not zero */
	return v;
}

static void itimer_set(struct pproc *p, const struct linux_itimerval *v)
{
	uint64_t value = ns_of_timeval(&v->value);

	p->itimer = (struct itimer){ value ? ts_clock() + value : 0, ns_of_timeval(&v->interval) };
	pm_timer_armed(p->itimer.deadline);
}

static bool timeval_valid(const struct linux_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

/* ITIMER_REAL only; ITIMER_VIRTUAL and ITIMER_PROF need CPU time accounting */
static long itimer_which(uint64_t which)
{
	return which == 0 ? 0 : which <= 2 ? -ENOSYS : -EINVAL;
}

static long do_setitimer(struct pproc *p, const struct ts_msg *m)
{
	struct linux_itimerval new = { 0 }, old = itimer_get(p);
	long err = itimer_which(m->word[0]);

	if (err)
		return err;
	if (m->word[1] && from_caller(m, m->word[1], &new, sizeof new))
		return -EFAULT;
	if (!timeval_valid(&new.value) || !timeval_valid(&new.interval))
		return -EINVAL;
	itimer_set(p, &new);
	return m->word[2] ? to_caller(m, m->word[2], &old, sizeof old) : 0;
}

static long do_getitimer(struct pproc *p, const struct ts_msg *m)
{
	struct linux_itimerval v = itimer_get(p);
	long err = itimer_which(m->word[0]);

	return err ? err : to_caller(m, m->word[1], &v, sizeof v);
}

static long do_alarm(struct pproc *p, uint64_t seconds)
{
	struct linux_itimerval new = { .value.tv_sec = (int64_t)seconds }, old = itimer_get(p);

	itimer_set(p, &new);
	/* the seconds left, rounded to nearest, at least one if armed */
	long left = old.value.tv_sec + (old.value.tv_usec >= 500000);
	return left || !(old.value.tv_sec | old.value.tv_usec) ? left : 1;
}

void pm_itimer_clear(struct pproc *p)
{
	p->itimer = (struct itimer){ 0 };
}

uint64_t pm_wake_sleepers(void)
{
	if (!nsleepers && !timers_next)
		return 0;                   /* no clock read on the common path */
	uint64_t now = ts_clock(), next = fire_itimers(now);

	for (unsigned i = 0; i < nsleepers;) {
		if (sleepers[i].deadline <= now) {
			struct ts_msg r = ts_msg_make(0);
			r.reply = sleepers[i].reply;
			ts_reply(&r);
			sleepers[i] = sleepers[--nsleepers];
			continue;
		}
		if (!next || sleepers[i].deadline < next)
			next = sleepers[i].deadline;
		i++;
	}
	return next;
}

long pm_time(struct pproc *p, struct ts_msg *m)
{
	uint64_t *a = m->word;
	int64_t mono = ts_clock();
	struct linux_timespec ts = timespec_of(boot_epoch_ns + mono);

	switch (m->label) {
	case NR_clock_gettime:
		if (a[0] > 11)
			return -EINVAL;
		/* realtime-like clocks follow the wall clock, the rest uptime */
		if (a[0] != CLOCK_REALTIME && a[0] != 5 && a[0] != 8 && a[0] != 11)
			ts = timespec_of(mono);
		return to_caller(m, a[1], &ts, sizeof ts);
	case NR_gettimeofday: {
		int64_t tv[2] = { ts.tv_sec, ts.tv_nsec / 1000 };
		return a[0] ? to_caller(m, a[0], tv, sizeof tv) : 0;
	}
	case NR_time:
		if (a[0] && to_caller(m, a[0], &ts.tv_sec, sizeof ts.tv_sec))
			return -EFAULT;
		return ts.tv_sec;
	case NR_nanosleep:
		return do_nanosleep(p, m, a[0], a[1], false);
	case NR_clock_nanosleep:
		return do_nanosleep(p, m, a[2], a[3], a[1] & TIMER_ABSTIME);
	case NR_setitimer:
		return do_setitimer(p, m);
	case NR_getitimer:
		return do_getitimer(p, m);
	case NR_alarm:
		return do_alarm(p, a[0]);
	default:
		return -ENOSYS;
	}
}
