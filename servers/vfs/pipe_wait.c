/*
 * Calls waiting on pipes: reads with nothing to read, writes with no room,
 * FIFO opens with no peer; and terminal writes the backend cannot take
 * yet. A thread waits in one call at most: a pool of one waiter per thread
 * the process manager may run is enough, shared by all pipes and
 * terminals, each keeping its waiters in queues in arrival order.
 */
#include "pipe.h"

#define MAX_WAITERS 256             /* the process manager's MAX_THREADS */

static struct waiter pool[MAX_WAITERS];

struct waiter *waiter_add(struct waiter **queue, const struct ts_msg *m)
{
	static bool logged;
	struct waiter *w = pool;

	while (w < pool + MAX_WAITERS && w->caller)
		w++;
	if (w == pool + MAX_WAITERS) {
		if (!logged)
			ts_print("pipe: more waiting calls than threads; answering EAGAIN");
		logged = true;
		return NULL;
	}
	*w = (struct waiter){ .reply = m->reply, .caller = m->badge };
	while (*queue)
		queue = &(*queue)->next;
	*queue = w;
	return w;
}

struct waiter *waiter_of(struct waiter *queue, uint64_t who)
{
	while (queue && !vfs_caller_is(queue->caller, who))
		queue = queue->next;
	return queue;
}

void waiter_answer(struct waiter **queue, struct waiter *w, long r)
{
	struct ts_msg m = ts_msg_make((uint64_t)r);

	while (*queue != w)
		queue = &(*queue)->next;
	*queue = w->next;
	m.reply = w->reply;
	ts_reply(&m);
	w->caller = 0;
}
