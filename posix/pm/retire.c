/*
 * Freeing what the info thread may be reading (procinfo.c): a process or
 * thread entry the main thread has unlinked may still be under a reader
 * that found it a moment before. The info thread counts each answer's
 * start and end (odd: one is in flight), and an entry retired while an
 * answer was in flight is freed once that count has moved on: every
 * answer that could have found it has ended (a grace period, as RCU's);
 * one retired with no answer in flight, as soon as may be: a later answer
 * starts after it was unlinked and cannot find it. The main thread's own
 * walks of the table (a signal to a group, reaping the killed) may retire
 * the entry they stand on, so nothing is freed before the request that
 * retired it is over: the main loop reclaims between requests.
 */
#include <malloc.h>
#include <stdbool.h>
#include "retire.h"

static unsigned long answers;       /* the info thread's starts and ends */
static struct retired *retired;     /* waiting for their grace period */

void info_answer_begin(void)
{
	__atomic_fetch_add(&answers, 1, __ATOMIC_SEQ_CST);
}

void info_answer_end(void)
{
	__atomic_fetch_add(&answers, 1, __ATOMIC_SEQ_CST);
}

/* Can no answer in flight have found what was retired at count then? */
static bool graced(unsigned long then, unsigned long now)
{
	return !(then & 1) || now != then;
}

void info_reclaim(void)
{
	unsigned long now = __atomic_load_n(&answers, __ATOMIC_SEQ_CST);
	struct retired **l = &retired;

	while (*l) {
		struct retired *r = *l;
		if (!graced(r->answers, now)) {
			l = &r->next;
			continue;
		}
		*l = r->next;
		free(r->mem);
	}
}

void info_retire(struct retired *r, void *mem)
{
	/* the unlinking stores before the count's load (x86 may reorder them) */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	r->answers = __atomic_load_n(&answers, __ATOMIC_SEQ_CST);
	r->mem = mem;
	r->next = retired;
	retired = r;
}
