/* The echo server (include/tessera/proto/echo.idl): answers pings, works on
 * granted buffers, and parks callers to answer them later; its loop is
 * lib/rt's event loop, its requests checked by the generated dispatcher. */
#include <tessera.h>
#include <loop.h>
#include <proto/echo_server.h>

#define MAX_PARKED 16
#define CHUNK 4096

static uint64_t parked[MAX_PARKED];
static unsigned nparked;
static uint8_t chunk[CHUNK];

static long ping(const struct echo_ping_req *q, struct echo_ping_rep *p)
{
	*p = (struct echo_ping_rep){ q->a, q->b, q->c, q->d, q->e, q->f };
	return ECHO_PING;
}

/* Add 1 to every byte of the caller's buffer, a chunk at a time. */
static long increment(const struct echo_increment_req *q, struct echo_increment_rep *p)
{
	uint64_t done = 0;

	(void)p;
	while (done < q->data_len) {
		uint64_t n = MIN(q->data_len - done, CHUNK);
		long r = ts_grant_copy(q->reply, done, chunk, n, TS_COPY_FROM_CALLER);
		if (r < 0)
			return r;
		for (uint64_t i = 0; i < n; i++)
			chunk[i]++;
		r = ts_grant_copy(q->reply, done, chunk, n, TS_COPY_TO_CALLER);
		if (r < 0)
			return r;
		done += n;
	}
	return (long)done;
}

static long overread(const struct echo_overread_req *q, struct echo_overread_rep *p)
{
	(void)p;
	return ts_grant_copy(q->reply, 0, chunk, MIN(q->data_len + 1, CHUNK),
			     TS_COPY_FROM_CALLER);
}

static long overwrite(const struct echo_overwrite_req *q, struct echo_overwrite_rep *p)
{
	(void)p;
	return ts_grant_copy(q->reply, 0, chunk, MIN(q->data_len, CHUNK), TS_COPY_TO_CALLER);
}

static long park(const struct echo_park_req *q, struct echo_park_rep *p)
{
	(void)p;
	if (nparked == MAX_PARKED)
		return -ENOSPC;
	parked[nparked++] = q->reply;
	return TS_NO_REPLY;
}

static long release(const struct echo_release_req *q, struct echo_release_rep *p)
{
	unsigned n = nparked;

	(void)q;
	(void)p;
	for (unsigned i = 0; i < n; i++) {
		struct ts_msg r;
		echo_park_reply(&r, parked[i], 0, &(struct echo_park_rep){ 0 });
		ts_reply(&r);
	}
	nparked = 0;
	return n;
}

static long sink(const struct echo_sink_req *q, struct echo_sink_rep *p)
{
	static uint8_t big[64 << 10];

	(void)p;
	return ts_grant_copy(q->reply, 0, big, MIN(q->data_len, sizeof big), TS_COPY_FROM_CALLER);
}

static const struct echo_handlers handlers = {
	.drop_cap = ts_cap_drop,
	.on_ping = ping,
	.on_increment = increment,
	.on_overread = overread,
	.on_park = park,
	.on_release = release,
	.on_sink = sink,
	.on_overwrite = overwrite,
};

static long serve(void *ctx, struct ts_msg *m)
{
	(void)ctx;
	return echo_dispatch(&handlers, m, m);
}

int main(void)
{
	static struct loop loop;
	long ep = ts_ep_create();

	if (ep < 0 || names_register("echo", ep) < 0) {
		ts_print("cannot register: %ld", ep);
		return 1;
	}
	loop_init(&loop, ep, serve, NULL);
	long err = loop_run(&loop);
	ts_print("loop: %ld", err);
	return 1;
}
