/*
 * Calls waiting on pipes: reads with nothing to read, writes with no room,
 * FIFO opens with no peer; and terminal writes the backend cannot take
 * yet. A thread waits in one call at most; a waiter comes from memory and
 * goes with its answer. Pipes and terminals keep their waiters in queues
 * in arrival order.
 */
#include <malloc.h>
#include "pipe.h"

struct waiter *waiter_add(struct waiter **queue, const struct ts_msg *m)
{
	struct waiter *w = malloc(sizeof *w);

	if (!w)
		return NULL;
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
	free(w);
}
