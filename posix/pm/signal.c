/*
 * Signal dispositions and masks. Partial: they are recorded and reported
 * exactly as Linux does, but no signal is delivered yet (kill, SIGCHLD, ^C
 * and signal frames come next), so a handler is never run.
 */
#include "pm.h"

#define NSIG 64
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SIGKILL 9
#define SIGSTOP 19
#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))

struct k_sigaction {
	uint64_t handler, flags, restorer, mask;
};

static struct k_sigaction actions[MAX_PROCS][NSIG];

static long do_sigaction(struct pproc *p, const struct ts_msg *m)
{
	uint64_t sig = m->word[0], act = m->word[1], old = m->word[2];
	struct k_sigaction *a = actions[pm_index(p)];

	if (sig < 1 || sig > NSIG || m->word[3] != 8)
		return -EINVAL;
	a += sig - 1;
	if (old && to_caller(m, old, a, sizeof *a))
		return -EFAULT;
	if (!act)
		return 0;
	if (sig == SIGKILL || sig == SIGSTOP)
		return -EINVAL;
	struct k_sigaction new;
	if (from_caller(m, act, &new, sizeof new))
		return -EFAULT;
	*a = new;
	return 0;
}

static long do_sigprocmask(struct pproc *p, const struct ts_msg *m)
{
	uint64_t how = m->word[0], set = m->word[1], old = m->word[2], mask;

	if (m->word[3] != 8)
		return -EINVAL;
	if (old && to_caller(m, old, &p->sigmask, 8))
		return -EFAULT;
	if (!set)
		return 0;
	if (from_caller(m, set, &mask, 8))
		return -EFAULT;
	switch (how) {
	case SIG_BLOCK:
		p->sigmask |= mask;
		break;
	case SIG_UNBLOCK:
		p->sigmask &= ~mask;
		break;
	case SIG_SETMASK:
		p->sigmask = mask;
		break;
	default:
		return -EINVAL;
	}
	p->sigmask &= ~UNBLOCKABLE;
	return 0;
}

long pm_signal(struct pproc *p, struct ts_msg *m)
{
	switch (m->label) {
	case NR_rt_sigaction:
		return do_sigaction(p, m);
	case NR_rt_sigprocmask:
		return do_sigprocmask(p, m);
	default:
		return -ENOSYS;
	}
}

void pm_signal_fork(const struct pproc *parent, const struct pproc *child)
{
	memcpy(actions[pm_index(child)], actions[pm_index(parent)], sizeof actions[0]);
}

/* exec: caught signals go back to their default; ignored stay ignored */
void pm_signal_exec(const struct pproc *p)
{
	struct k_sigaction *a = actions[pm_index(p)];

	for (int i = 0; i < NSIG; i++)
		if (a[i].handler > 1)
			a[i] = (struct k_sigaction){ 0 };
}

void pm_signal_clear(const struct pproc *p)
{
	memset(actions[pm_index(p)], 0, sizeof actions[0]);
}
