/* Clocks and sleeping. A sleeping caller's reply handle waits in a list
 * until its deadline; the main loop receives with a timeout meanwhile, so
 * a sleeper never blocks the process manager. */
#include "pm.h"

#define MAX_SLEEPERS 32
#define TIMER_ABSTIME 1

struct sleeper {
	uint64_t reply;
	uint64_t deadline;          /* ns since boot */
};

#define CLOCK_REALTIME 0

static struct sleeper sleepers[MAX_SLEEPERS];
static unsigned nsleepers;
static int64_t boot_epoch_ns;       /* the wall clock when ts_clock() was 0 */

void pm_time_init(int64_t epoch_at_start)
{
	boot_epoch_ns = epoch_at_start * 1000000000ll - (int64_t)ts_clock();
}

int64_t pm_boot_epoch_ns(void)
{
	return boot_epoch_ns;
}

static struct linux_timespec timespec_of(int64_t ns)
{
	return (struct linux_timespec){ ns / 1000000000, ns % 1000000000 };
}

static long sleep_until(const struct ts_msg *m, uint64_t deadline)
{
	if (deadline <= ts_clock())
		return 0;
	if (nsleepers == MAX_SLEEPERS)
		return -EAGAIN;
	sleepers[nsleepers++] = (struct sleeper){ m->reply, deadline };
	return TS_NO_REPLY;
}

static long do_nanosleep(const struct ts_msg *m, uint64_t req_addr, bool absolute)
{
	struct linux_timespec req;

	if (from_caller(m, req_addr, &req, sizeof req))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= 1000000000)
		return -EINVAL;
	uint64_t ns = req.tv_sec * 1000000000ull + req.tv_nsec;
	return sleep_until(m, absolute ? ns : ts_clock() + ns);
}

uint64_t pm_wake_sleepers(void)
{
	uint64_t now = ts_clock(), next = 0;

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

	(void)p;
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
		return do_nanosleep(m, a[0], false);
	case NR_clock_nanosleep:
		return do_nanosleep(m, a[2], a[1] & TIMER_ABSTIME);
	default:
		return -ENOSYS;
	}
}
