/*
 * The name service: maps names to endpoint capabilities. A lookup that asks
 * to wait for a name not yet registered is answered when it is, which lets
 * servers start in any order (the reply handle is kept, not the caller).
 */
#include <tessera.h>
#include <tessera/proto/names.h>

#define MAX_NAMES   64
#define MAX_WAITERS 32

struct name {
	char name[NAMES_NAME_MAX];
	uint32_t slot;
};

struct waiter {
	char name[NAMES_NAME_MAX];
	uint64_t reply;
};

static struct name names[MAX_NAMES];
static unsigned nnames;
static struct waiter waiters[MAX_WAITERS];
static unsigned nwaiters;

static struct name *find(const char *name)
{
	for (unsigned i = 0; i < nnames; i++)
		if (!strcmp(names[i].name, name))
			return &names[i];
	return NULL;
}

static void answer(uint64_t reply, const struct name *n)
{
	struct ts_msg r = ts_msg_make(0);

	r.reply = reply;
	r.cap = n->slot;
	ts_reply(&r);
}

static long do_register(struct ts_msg *m)
{
	char name[NAMES_NAME_MAX];

	names_unpack(m, name);
	if (m->cap == TS_NOCAP || !name[0])
		return -EINVAL;
	if (find(name) || nnames == MAX_NAMES) {
		ts_cap_delete(m->cap);
		return find(name) ? -EEXIST : -ENOSPC;
	}
	struct name *n = &names[nnames++];
	memcpy(n->name, name, sizeof name);
	n->slot = m->cap;
	for (unsigned i = 0; i < nwaiters;) {
		if (strcmp(waiters[i].name, name)) {
			i++;
			continue;
		}
		answer(waiters[i].reply, n);
		waiters[i] = waiters[--nwaiters];
	}
	return 0;
}

/* Returns TS_NO_REPLY once the caller is answered, or will be later. */
static long do_lookup(struct ts_msg *m)
{
	char name[NAMES_NAME_MAX];

	names_unpack(m, name);
	struct name *n = find(name);
	if (n) {
		answer(m->reply, n);
		return TS_NO_REPLY;
	}
	if (!m->word[2])
		return -ENOENT;
	if (nwaiters == MAX_WAITERS)
		return -ENOSPC;
	memcpy(waiters[nwaiters].name, name, sizeof name);
	waiters[nwaiters++].reply = m->reply;
	return TS_NO_REPLY;
}

/* One request; returns the answer, or TS_NO_REPLY (tests/hostfuzz calls it too). */
static long dispatch(struct ts_msg *m)
{
	switch (m->label) {
	case NAMES_REGISTER:
		return do_register(m);
	case NAMES_LOOKUP:
		return do_lookup(m);
	default:
		return -ENOSYS;
	}
}

int main(void)
{
	struct ts_msg m;

	if (ts_recv(TS_SLOT_NAMES, &m))
		return 1;
	for (;;) {
		long r = dispatch(&m);
		if (r == TS_NO_REPLY) {
			if (ts_recv(TS_SLOT_NAMES, &m))
				return 1;
			continue;
		}
		uint64_t reply = m.reply;
		m = ts_msg_make((uint64_t)r);
		m.reply = reply;
		if (ts_reply_recv(TS_SLOT_NAMES, &m))
			return 1;
	}
}
