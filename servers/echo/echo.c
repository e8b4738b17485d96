/* The echo server: answers pings, works on granted buffers, and parks
 * callers to answer them later. */
#include <tessera.h>
#include <tessera/proto/echo.h>

#define MAX_PARKED 16
#define CHUNK 4096

static uint64_t parked[MAX_PARKED];
static unsigned nparked;
static uint8_t chunk[CHUNK];

/* Add 1 to every byte of the caller's buffer, a chunk at a time. */
static long increment(const struct ts_msg *m)
{
	uint64_t len = m->word[0], done = 0;

	if (len > m->buf_len)
		return -EINVAL;
	while (done < len) {
		uint64_t n = MIN(len - done, CHUNK);
		long r = ts_grant_copy(m->reply, done, chunk, n, TS_COPY_FROM_CALLER);
		if (r < 0)
			return r;
		for (uint64_t i = 0; i < n; i++)
			chunk[i]++;
		r = ts_grant_copy(m->reply, done, chunk, n, TS_COPY_TO_CALLER);
		if (r < 0)
			return r;
		done += n;
	}
	return (long)done;
}

static long sink(const struct ts_msg *m)
{
	static uint8_t big[64 << 10];
	uint64_t len = MIN(m->word[0], sizeof big);

	return ts_grant_copy(m->reply, 0, big, len, TS_COPY_FROM_CALLER);
}

static long release(void)
{
	unsigned n = nparked;

	for (unsigned i = 0; i < n; i++) {
		struct ts_msg r = ts_msg_make(0);
		r.reply = parked[i];
		ts_reply(&r);
	}
	nparked = 0;
	return n;
}

/* Returns the reply's label, or TS_NO_REPLY for a caller answered later. */
static long handle(struct ts_msg *m)
{
	switch (m->label) {
	case ECHO_PING:
		return m->label;
	case ECHO_INCREMENT:
		return increment(m);
	case ECHO_OVERREAD:
		return ts_grant_copy(m->reply, 0, chunk, MIN(m->buf_len + 1, CHUNK),
				     TS_COPY_FROM_CALLER);
	case ECHO_PARK:
		if (nparked == MAX_PARKED)
			return -ENOSPC;
		parked[nparked++] = m->reply;
		return TS_NO_REPLY;
	case ECHO_RELEASE:
		return release();
	case ECHO_SINK:
		return sink(m);
	default:
		return -ENOSYS;
	}
}

int main(void)
{
	long ep = ts_ep_create();

	if (ep < 0 || names_register("echo", ep) < 0) {
		ts_print("cannot register: %ld", ep);
		return 1;
	}
	struct ts_msg m;
	if (ts_recv(ep, &m))
		return 1;
	for (;;) {
		long r = handle(&m);
		if (r == TS_NO_REPLY) {
			if (ts_recv(ep, &m))
				return 1;
			continue;
		}
		/* a ping's words come back as they were */
		if (m.label != ECHO_PING)
			m.word[0] = 0;
		m.label = (uint64_t)r;
		m.cap = TS_NOCAP;
		if (ts_reply_recv(ep, &m))
			return 1;
	}
}
