/* Out of memory: a POSIX process's page the kernel had no frame for
 * (TS_LABEL_FAULT with TS_FAULT_OOM). As Linux's OOM killer, the process
 * with the most resident pages is killed with SIGKILL, which frees its
 * memory at once; the faulting thread, if it lives, retries its access.
 * Servers are never candidates (they are not POSIX processes), nor is
 * pid 1, as Linux spares init. */
#include "pm.h"

/* The biggest candidate and its resident pages, NULL if there is none. */
static struct pproc *biggest(uint64_t *rss)
{
	struct pproc *best = NULL;
	struct ts_proc_stats st;

	*rss = 0;
	for (struct pproc *q = proc_next(NULL); q; q = proc_next(q)) {
		if (q->pid == 1 || q->zombie || q->slot == TS_NOCAP || ts_proc_stats(q->slot, &st))
			continue;
		if (!best || st.resident_pages > *rss) {
			best = q;
			*rss = st.resident_pages;
		}
	}
	return best;
}

/* Free frames above which memory has come back since the fault (another
 * victim's, or a process's exit): well above the kernel's reserve for the
 * servers (RESERVE_PAGES in kernel/arch/x86_64/paging.c). */
#define REFILLED_PAGES 4096

static bool refilled(void)
{
	struct ts_stats st;

	return !ts_stats(&st) && st.free_pages > REFILLED_PAGES;
}

/* Out of its own page-table quota (TS_FAULT_QUOTA), the process itself is
 * the one to go. */
long pm_oom(struct pproc *p, struct ts_msg *m)
{
	struct ts_proc_stats st = { 0 };
	uint64_t rss = 0;

	if (m->word[4] == TS_FAULT_OOM && refilled())
		return 0;               /* the access is retried */
	struct pproc *victim = m->word[4] == TS_FAULT_OOM ? biggest(&rss) : NULL;

	if (!victim) {
		victim = p;
		ts_proc_stats(p->slot, &st);
		rss = st.resident_pages;
	}
	ts_print("oom: killed pid %d (%s) rss %lu pages", victim->pid, victim->comm, rss);
	pm_kill(victim, L_SIGKILL);
	return victim == p ? TS_NO_REPLY : 0;
}
