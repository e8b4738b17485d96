/*
 * Freeing what the PM's info thread may be reading (retire.c): process and
 * thread entries, region chunks. Pure, so it is unit-tested on the host.
 */
#ifndef PM_RETIRE_H
#define PM_RETIRE_H

/* an entry's link while it waits to be freed (mem: where it starts) */
struct retired {
	struct retired *next;
	unsigned long answers;      /* the info thread's count when retired */
	void *mem;
};

/* the info thread: around each answer */
void info_answer_begin(void);
void info_answer_end(void);
/* the main thread: r (in mem) is unlinked; free mem when it is safe */
void info_retire(struct retired *r, void *mem);
/* free what is safe to free now: between requests, the main thread
 * holding no entry */
void info_reclaim(void);

#endif
