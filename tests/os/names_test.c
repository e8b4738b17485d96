/* The name service as service discovery (list, watch, broadcast), the checks
 * its generated dispatcher makes, and lib/rt's event loop that this program
 * waits in: timers, notifications, calls it serves and replies to its own
 * outstanding calls. */
#include "check.h"
#include <loop.h>
#include <proto/names_client.h>

#define MS 1000000ull

static struct loop loop;
static long ep;                    /* the loop's */

struct pending {
	bool done;
	long err;
	struct ts_msg reply;
};

static void completed(void *ctx, long err, const struct ts_msg *reply)
{
	struct pending *p = ctx;

	p->done = true;
	p->err = err;
	p->reply = *reply;
}

static void expire(void *ctx)
{
	*(bool *)ctx = true;
}

/* Run the loop until p is done or ns pass: whether it is done. */
static bool wait_done(struct pending *p, uint64_t ns)
{
	bool late = false;
	long timer = loop_timer(&loop, ns, expire, &late);

	while (!p->done && !late && loop_once(&loop) == 0)
		continue;
	if (!late)
		loop_timer_cancel(&loop, timer);
	return p->done;
}

/* m on the name service, the reply collected later by the loop. */
static struct pending *start(struct ts_msg *m)
{
	static struct pending slots[LOOP_CALLERS];
	static unsigned next;
	struct pending *p = &slots[next++ % LOOP_CALLERS];

	*p = (struct pending){ 0 };
	EXPECT_EQ(loop_call(&loop, TS_SLOT_NAMES, m, completed, p), 0);
	return p;
}

static bool in_list(const char *buf, long n, const char *name)
{
	for (long i = 0; i < n; i++)
		if (!strcmp(buf + i * NAMES_NAME_MAX, name))
			return true;
	return false;
}

static void test_list(void)
{
	static char buf[NAMES_LIST_BYTES + NAMES_NAME_MAX];
	uint32_t total = 0;
	struct ts_msg m;

	EXPECT_EQ(names_register("nt.a", ts_ep_create()), 0);
	EXPECT_EQ(names_register("nt.b", ts_ep_create()), 0);
	long n = names_list_call(TS_SLOT_NAMES, 0, buf, NAMES_LIST_BYTES, &total);
	EXPECT(n >= 3 && n == (long)total);
	EXPECT(in_list(buf, n, "echo") && in_list(buf, n, "nt.a") && in_list(buf, n, "nt.b"));
	EXPECT_EQ(names_list_call(TS_SLOT_NAMES, total, buf, NAMES_LIST_BYTES, NULL), 0);
	EXPECT_EQ(names_list_call(TS_SLOT_NAMES, 0, buf, NAMES_NAME_MAX, NULL), 1);
	EXPECT_EQ(names_list_call(TS_SLOT_NAMES, 0, buf, sizeof buf, NULL), -EINVAL);
	/* what the stub would not send, the generated server code refuses */
	names_list_start(&m, 0, buf, NAMES_LIST_BYTES);
	m.buf_len = sizeof buf;
	EXPECT_EQ(ts_call(TS_SLOT_NAMES, &m), 0);
	EXPECT_EQ(m.label, -EINVAL);
	names_list_start(&m, 0, buf, NAMES_LIST_BYTES);
	m.buf_flags = TS_GRANT_READ;
	EXPECT_EQ(ts_call(TS_SLOT_NAMES, &m), 0);
	EXPECT_EQ(m.label, -EFAULT);
}

/* Register a fresh endpoint under name: its slot; *token to unregister it. */
static long serve_as(const char *name, uint64_t *token)
{
	long svc = ts_ep_create();
	long send = ts_cap_mint(svc, TS_RIGHT_SEND | TS_RIGHT_GRANT, 0);

	EXPECT_EQ(names_register_call(TS_SLOT_NAMES, name, send, token), 0);
	ts_cap_delete(send);
	return svc;
}

static void test_watch(void)
{
	uint64_t token = 0, gen = 0, gen2 = 0;
	uint32_t slot = TS_NOCAP, watched = TS_NOCAP;
	struct ts_msg m;

	serve_as("nt.svc", &token);
	EXPECT_EQ(names_lookup_call(TS_SLOT_NAMES, "nt.svc", false, &slot, &gen), 0);
	EXPECT(gen > 0 && slot != TS_NOCAP);
	/* registered after 0: answered at once */
	EXPECT_EQ(names_watch_call(TS_SLOT_NAMES, "nt.svc", 0, NULL, &gen2), 0);
	EXPECT_EQ(gen2, gen);
	EXPECT_EQ(names_watch_start(&m, "nt.svc", gen), 0);
	struct pending *w = start(&m);
	EXPECT(!wait_done(w, 20 * MS));               /* not registered again yet */

	/* the service restarts: whoever knows the token removes the old one */
	EXPECT_EQ(names_unregister_call(TS_SLOT_NAMES, "nt.svc", token + 1), -EPERM);
	EXPECT_EQ(names_unregister_call(TS_SLOT_NAMES, "nt.svc", token), 0);
	EXPECT_EQ(names_unregister_call(TS_SLOT_NAMES, "nt.svc", token), -ENOENT);
	EXPECT_EQ(names_lookup_call(TS_SLOT_NAMES, "nt.svc", false, NULL, NULL), -ENOENT);
	EXPECT(!w->done);
	long svc2 = serve_as("nt.svc", &token);
	EXPECT(wait_done(w, 1000 * MS));
	EXPECT_EQ(w->err, 0);
	EXPECT_EQ(names_watch_finish(&w->reply, &watched, &gen2), 0);
	EXPECT(gen2 > gen);
	/* what the watch gave names the new endpoint */
	EXPECT_EQ(ts_notify(watched, 0x4), 0);
	m = ts_msg_make(0);
	EXPECT_EQ(ts_recv(svc2, &m), 0);
	EXPECT_EQ(m.word[0], 0x4);
}

static void test_broadcast(void)
{
	uint64_t seq = 0, a = 0, b = 0, c = 0, lost = 0;
	uint32_t topic = 0;
	struct ts_msg m;

	long s1 = names_publish_call(TS_SLOT_NAMES, 4, 1, 2, 3);
	EXPECT(s1 >= 1);
	names_next_event_start(&m, s1, 1ull << 5);
	struct pending *e = start(&m);
	EXPECT_EQ(names_publish_call(TS_SLOT_NAMES, 4, 0, 0, 0), s1 + 1);
	EXPECT(!wait_done(e, 20 * MS));               /* not a topic it wants */
	EXPECT_EQ(names_publish_call(TS_SLOT_NAMES, 5, 10, 20, 30), s1 + 2);
	EXPECT(wait_done(e, 1000 * MS));
	EXPECT_EQ(names_next_event_finish(&e->reply, &seq, &topic, &a, &b, &c, &lost), 0);
	EXPECT(seq == (uint64_t)s1 + 2 && topic == 5 && a == 10 && b == 20 && c == 30 && !lost);

	/* a subscriber that fell behind learns how many it lost */
	for (uint64_t i = 0; i < NAMES_EVENTS_KEPT + 8; i++)
		EXPECT_EQ(names_publish_call(TS_SLOT_NAMES, 6, i, 0, 0), (long)(seq + 1 + i));
	EXPECT_EQ(names_next_event_call(TS_SLOT_NAMES, seq, 1ull << 6, &seq, &topic, &a,
					NULL, NULL, &lost), 0);
	EXPECT(lost == 8 && a == 8 && topic == 6);
	EXPECT_EQ(names_publish_call(TS_SLOT_NAMES, 0, 0, 0, 0), -EINVAL);
	EXPECT_EQ(names_publish_call(TS_SLOT_NAMES, 64, 0, 0, 0), -EINVAL);
	EXPECT_EQ(names_next_event_call(TS_SLOT_NAMES, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL),
		  -EINVAL);
}

/* Malformed requests the generated dispatcher answers without a handler. */
static void test_malformed(void)
{
	struct ts_msg m = ts_msg_make(NAMES_LABEL_END);

	EXPECT_EQ(ts_call(TS_SLOT_NAMES, &m), 0);
	EXPECT_EQ(m.label, -ENOSYS);
	names_lookup_start(&m, "echo", false);
	m.word[2] = 2;                                 /* not a bool */
	EXPECT_EQ(ts_call(TS_SLOT_NAMES, &m), 0);
	EXPECT_EQ(m.label, -EINVAL);
	names_lookup_start(&m, "echo", false);
	memset(&m.word[0], 'x', NAMES_NAME_MAX);       /* no NUL */
	EXPECT_EQ(ts_call(TS_SLOT_NAMES, &m), 0);
	EXPECT_EQ(m.label, -EINVAL);
	names_lookup_start(&m, "echo", false);
	m.cap = ep;                                    /* a capability lookup does not take */
	EXPECT_EQ(ts_call(TS_SLOT_NAMES, &m), 0);
	EXPECT_EQ(m.label, -EINVAL);
	names_register_start(&m, "nt.nocap", TS_NOCAP);
	EXPECT_EQ(ts_call(TS_SLOT_NAMES, &m), 0);
	EXPECT_EQ(m.label, -EBADF);
	EXPECT_EQ(names_lookup_call(TS_SLOT_NAMES, "sixteen-chars-xx", false, NULL, NULL),
		  -EINVAL);
}

static uint64_t notified_bits;
static int fired;

static void on_notify(void *ctx, uint64_t bits)
{
	(void)ctx;
	notified_bits |= bits;
}

static void on_timer(void *ctx)
{
	*(int *)ctx = ++fired;
}

/* A call the loop serves: twice word[0]. */
static long serve(void *ctx, struct ts_msg *m)
{
	uint64_t reply = m->reply, v = m->word[0] * 2;

	(void)ctx;
	*m = ts_msg_make(v);
	m->reply = reply;
	return (long)v;
}

static void test_loop(void)
{
	int first = 0, second = 0;

	EXPECT_EQ(loop_on_notify(&loop, LOOP_BIT_REPLIES, on_notify, NULL), -EINVAL);
	EXPECT_EQ(loop_on_notify(&loop, 1u << 3, on_notify, NULL), 0);
	EXPECT_EQ(ts_notify(ep, (1u << 3) | (1u << 4)), 0);
	EXPECT_EQ(loop_once(&loop), 0);
	EXPECT_EQ(notified_bits, 1u << 3);             /* only the bits it asked for */

	EXPECT(loop_timer(&loop, 20 * MS, on_timer, &second) >= 0);
	EXPECT(loop_timer(&loop, 5 * MS, on_timer, &first) >= 0);
	uint64_t t0 = ts_clock();
	while (fired < 2 && ts_clock() - t0 < 1000 * MS)
		loop_once(&loop);
	EXPECT(first == 1 && second == 2);             /* in deadline order */
	EXPECT(ts_clock() - t0 >= 20 * MS);

	/* the loop calls itself: served by serve, the reply collected by the loop */
	struct ts_msg m = ts_msg_make(1);
	struct pending p = { 0 };
	m.word[0] = 21;
	EXPECT_EQ(loop_call(&loop, ep, &m, completed, &p), 0);
	EXPECT(wait_done(&p, 1000 * MS));
	EXPECT(p.err == 0 && p.reply.label == 42);
}

int main(void)
{
	ep = ts_ep_create();
	EXPECT(ep >= 0);
	loop_init(&loop, ep, serve, NULL);
	EXPECT(names_lookup("echo", true) >= 0);
	test_loop();
	test_list();
	test_watch();
	test_broadcast();
	test_malformed();
	return checks_done("names_test");
}
