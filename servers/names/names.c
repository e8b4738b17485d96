/*
 * The name service: maps names to endpoint capabilities, and is the system's
 * service discovery (include/tessera/proto/names.idl). A lookup that asks to
 * wait for a name not yet registered is answered when it is, which lets
 * servers start in any order; a watch is answered when a name is registered
 * again (a restarted server); a subscriber's next_event is answered when an
 * event it wants is published. Each keeps the reply handle, not the caller.
 */
#include <tessera.h>
#include <proto/names_server.h>

#define MAX_NAMES   64
#define MAX_WAITERS 32             /* lookups and watches waiting for a name */
#define MAX_SUBSCRIBERS 32         /* next_event calls waiting for an event */

struct name {
	char name[NAMES_NAME_MAX];
	uint32_t slot;
	uint64_t generation, token;
};

struct waiter {
	char name[NAMES_NAME_MAX];
	uint64_t after, reply;
	bool watch;                    /* a watch, or a lookup that waits */
};

struct subscriber {
	uint64_t after, topics, reply;
};

struct event {
	uint64_t seq, a, b, c;
	uint32_t topic;
};

static struct name names[MAX_NAMES];
static unsigned nnames;
static uint64_t generations;       /* the last registration's */
static struct waiter waiters[MAX_WAITERS];
static unsigned nwaiters;
static struct subscriber subscribers[MAX_SUBSCRIBERS];
static unsigned nsubscribers;
static struct event events[NAMES_EVENTS_KEPT];  /* event seq at seq % EVENTS_KEPT */
static uint64_t published;         /* the last event's seq */

static struct name *find(const char *name)
{
	for (unsigned i = 0; i < nnames; i++)
		if (!strcmp(names[i].name, name))
			return &names[i];
	return NULL;
}

/* Hard to guess for another client: the time stamp counter, mixed
 * (splitmix64's finaliser). */
static uint64_t new_token(void)
{
	uint64_t z = ts_rdtsc() + generations * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void answer_waiter(const struct waiter *w, const struct name *n)
{
	struct ts_msg r;

	if (w->watch) {
		struct names_watch_rep rep = { .service = n->slot, .generation = n->generation };
		names_watch_reply(&r, w->reply, 0, &rep);
	} else {
		struct names_lookup_rep rep = { .service = n->slot, .generation = n->generation };
		names_lookup_reply(&r, w->reply, 0, &rep);
	}
	ts_reply(&r);
}

static long do_register(const struct names_register_req *q, struct names_register_rep *p)
{
	long err = !q->name[0] ? -EINVAL : find(q->name) ? -EEXIST
		 : nnames == MAX_NAMES ? -ENOSPC : 0;

	if (err) {
		ts_cap_delete(q->endpoint);
		return err;
	}
	struct name *n = &names[nnames++];
	memcpy(n->name, q->name, sizeof n->name);
	n->slot = q->endpoint;
	n->generation = ++generations;
	n->token = p->token = new_token();
	for (unsigned i = 0; i < nwaiters;) {
		if (strcmp(waiters[i].name, n->name)) {
			i++;
			continue;
		}
		answer_waiter(&waiters[i], n);
		waiters[i] = waiters[--nwaiters];
	}
	return 0;
}

/* Answered now if name is registered after generation after, else later. */
static long wait_for(const char *name, uint64_t after, bool watch, uint64_t reply)
{
	struct name *n = find(name);
	struct waiter w = { .after = after, .reply = reply, .watch = watch };

	memcpy(w.name, name, sizeof w.name);
	if (n && n->generation > after) {
		answer_waiter(&w, n);
		return TS_NO_REPLY;
	}
	if (!name[0])
		return -EINVAL;
	if (nwaiters == MAX_WAITERS)
		return -ENOSPC;
	waiters[nwaiters++] = w;
	return TS_NO_REPLY;
}

static long do_lookup(const struct names_lookup_req *q, struct names_lookup_rep *p)
{
	(void)p;
	if (!q->wait && !find(q->name))
		return -ENOENT;
	return wait_for(q->name, 0, false, q->reply);
}

static long do_watch(const struct names_watch_req *q, struct names_watch_rep *p)
{
	(void)p;
	return wait_for(q->name, q->after, true, q->reply);
}

static long do_unregister(const struct names_unregister_req *q, struct names_unregister_rep *p)
{
	struct name *n = find(q->name);

	(void)p;
	if (!n)
		return -ENOENT;
	if (n->token != q->token)
		return -EPERM;
	ts_cap_delete(n->slot);
	nnames--;
	for (struct name *end = &names[nnames]; n < end; n++)  /* keep registration order */
		*n = n[1];
	return 0;
}

static long do_list(const struct names_list_req *q, struct names_list_rep *p)
{
	unsigned n = 0;

	p->total = nnames;
	for (unsigned i = q->first; i < nnames && (n + 1) * NAMES_NAME_MAX <= q->names_len; i++) {
		long err = ts_grant_copy(q->reply, n * NAMES_NAME_MAX, names[i].name,
					 NAMES_NAME_MAX, TS_COPY_TO_CALLER);
		if (err < 0)
			return err;
		n++;
	}
	return n;
}

/* The first kept event after after in topics, into p: whether there is one. */
static bool find_event(uint64_t after, uint64_t topics, struct names_next_event_rep *p)
{
	uint64_t oldest = published > NAMES_EVENTS_KEPT ? published - NAMES_EVENTS_KEPT + 1 : 1;

	if (after >= published)
		return false;
	for (uint64_t seq = after + 1 > oldest ? after + 1 : oldest; seq <= published; seq++) {
		const struct event *e = &events[seq % NAMES_EVENTS_KEPT];
		if (!(topics & (1ull << e->topic)))
			continue;
		*p = (struct names_next_event_rep){ .seq = seq, .topic = e->topic, .a = e->a,
						    .b = e->b, .c = e->c };
		p->lost = oldest > after + 1 ? oldest - after - 1 : 0;
		return true;
	}
	return false;
}

static long do_next_event(const struct names_next_event_req *q, struct names_next_event_rep *p)
{
	if (!q->topics || (q->topics & 1))
		return -EINVAL;
	if (find_event(q->after, q->topics, p))
		return 0;
	if (nsubscribers == MAX_SUBSCRIBERS)
		return -ENOSPC;
	subscribers[nsubscribers++] = (struct subscriber){ q->after, q->topics, q->reply };
	return TS_NO_REPLY;
}

static long do_publish(const struct names_publish_req *q, struct names_publish_rep *p)
{
	(void)p;
	if (q->topic < 1 || q->topic > 63)
		return -EINVAL;
	published++;
	events[published % NAMES_EVENTS_KEPT] =
		(struct event){ .seq = published, .topic = q->topic, .a = q->a, .b = q->b, .c = q->c };
	for (unsigned i = 0; i < nsubscribers;) {
		struct names_next_event_rep rep;
		struct ts_msg r;
		if (!find_event(subscribers[i].after, subscribers[i].topics, &rep)) {
			i++;
			continue;
		}
		names_next_event_reply(&r, subscribers[i].reply, 0, &rep);
		ts_reply(&r);
		subscribers[i] = subscribers[--nsubscribers];
	}
	return (long)published;
}

static const struct names_handlers handlers = {
	.drop_cap = ts_cap_drop,
	.on_register = do_register,
	.on_lookup = do_lookup,
	.on_unregister = do_unregister,
	.on_list = do_list,
	.on_watch = do_watch,
	.on_publish = do_publish,
	.on_next_event = do_next_event,
};

/* One request; returns the answer, built in m, or TS_NO_REPLY (tests/hostfuzz
 * calls it too). */
static long dispatch(struct ts_msg *m)
{
	return names_dispatch(&handlers, m, m);
}

int main(void)
{
	struct ts_msg m = ts_msg_make(0);

	if (ts_recv(TS_SLOT_NAMES, &m))
		return 1;
	for (;;) {
		long err = dispatch(&m) == TS_NO_REPLY ? ts_recv(TS_SLOT_NAMES, &m)
						       : ts_reply_recv(TS_SLOT_NAMES, &m);
		if (err)
			return 1;
	}
}
