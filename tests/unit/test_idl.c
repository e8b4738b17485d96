/* The code scripts/idlgen.py generates, from tests/unit/idl/idltest.idl: the
 * shapes of its structs, the stubs' marshalling, and the server side's
 * checks of malformed requests before any handler runs. */
#include <stddef.h>
#include "unit.h"
#include <proto/idltest_server.h>

_Static_assert(IDLTEST_SCALARS == 0x7700 && IDLTEST_WRITE == 0x7705, "consecutive labels");
_Static_assert(IDLTEST_LABEL_END == 0x7706, "one past the last");
_Static_assert(IDLTEST_INLINE_REQ_WORDS == 6 && IDLTEST_INLINE_REQ_TAIL == 0, "inline words");
_Static_assert(IDLTEST_INLINE_REP_WORDS == 5, "inline reply words");
_Static_assert(IDLTEST_STATS_REQ_WORDS == 0 && IDLTEST_STATS_REQ_TAIL == 1, "stats: tail only");
_Static_assert(IDLTEST_GIVE_REP_TAIL == 1, "give: a capability back");
_Static_assert(IDLTEST_BLUE == 7, "enum values as written");

/* The handlers record what they were given. */
static struct idltest_scalars_req got_scalars;
static struct idltest_inline_req got_inline;
static struct idltest_stats_req got_stats;
static int calls;
static uint32_t dropped = TS_NOCAP;

static long scalars(const struct idltest_scalars_req *q, struct idltest_scalars_rep *p)
{
	calls++;
	got_scalars = *q;
	p->sum = q->a + q->b + (int64_t)q->c + q->d + q->e + q->f;
	p->odd = p->sum & 1;
	return 5;
}

static long inline_(const struct idltest_inline_req *q, struct idltest_inline_rep *p)
{
	calls++;
	got_inline = *q;
	memcpy(p->name, "answer", 7);
	p->data_len = 3;
	memcpy(p->data, "xyz", 3);
	return 0;
}

static long stats(const struct idltest_stats_req *q, struct idltest_stats_rep *p)
{
	calls++;
	got_stats = *q;
	p->count = 2;
	return TS_NO_REPLY;
}

static void drop(uint32_t slot)
{
	dropped = slot;
}

static const struct idltest_handlers handlers = {
	.drop_cap = drop,
	.on_scalars = scalars,
	.on_inline = inline_,
	.on_stats = stats,
};

/* m through the dispatcher, as a server's loop does: the value. */
static long serve(struct ts_msg *m, struct ts_msg *out)
{
	m->reply = 0x1234;
	return idltest_dispatch(&handlers, m, out);
}

TEST(idl_struct_shapes)
{
	struct idltest_inline_req q;

	CHECK_EQ(sizeof q.name, IDLTEST_NAME);
	CHECK_EQ(sizeof q.data, IDLTEST_BYTES);
	CHECK_EQ(offsetof(struct idltest_inline_req, badge), 0);
	CHECK_EQ(offsetof(struct idltest_inline_req, reply), 8);
	CHECK_EQ(sizeof(((struct idltest_scalars_req *)0)->c), 4);
	CHECK_EQ(sizeof(((struct idltest_scalars_rep *)0)->sum), 8);
	CHECK_EQ(sizeof(((struct idltest_give_rep *)0)->ep), 4);
	CHECK_EQ(sizeof(((struct idltest_write_req *)0)->words_len), 8);
}

TEST(idl_scalars_roundtrip_and_signs)
{
	struct ts_msg m, out;
	int64_t sum = 0;
	bool odd = false;

	CHECK_EQ(idltest_scalars_start(&m, 200, 60000, 4000000000u, -100, -30000, -2000000000), 0);
	CHECK(m.label == IDLTEST_SCALARS && m.cap == TS_NOCAP && m.buf_len == 0);
	CHECK(m.word[3] == (uint64_t)-100);    /* sign-extended */
	CHECK_EQ(serve(&m, &out), 5);
	CHECK_EQ(got_scalars.d, -100);
	CHECK_EQ(got_scalars.f, -2000000000);
	CHECK(got_scalars.reply == 0x1234 && out.reply == 0x1234);
	CHECK_EQ(idltest_scalars_finish(&out, &sum, &odd), 5);
	CHECK_EQ(sum, 200 + 60000 + 4000000000ll - 100 - 30000 - 2000000000);
	CHECK_EQ(odd, 0);
}

TEST(idl_scalars_out_of_range_refused)
{
	struct ts_msg m, out;
	const uint64_t bad[6] = { 256, 1u << 16, 1ull << 32, 128, (uint64_t)-32769, 1ull << 31 };

	for (int i = 0; i < 6; i++) {
		idltest_scalars_start(&m, 0, 0, 0, 0, 0, 0);
		m.word[i] = bad[i];
		calls = 0;
		CHECK_EQ(serve(&m, &out), -EINVAL);
		CHECK_EQ(calls, 0);
		CHECK(out.label == (uint64_t)-EINVAL && out.word[0] == 0);
	}
}

TEST(idl_inline_strings_bytes_enums)
{
	struct ts_msg m, out;
	char name[IDLTEST_NAME];
	uint8_t data[IDLTEST_BYTES];
	uint64_t len = 0;

	CHECK_EQ(idltest_inline_start(&m, "eleven-char", "\1\2\3\4", 4, IDLTEST_BLUE), 0);
	CHECK_EQ(idltest_inline_start(&m, "twelve-chars", "", 0, IDLTEST_RED), -EINVAL);
	CHECK_EQ(idltest_inline_start(&m, "x", data, IDLTEST_BYTES + 1, IDLTEST_RED), -EINVAL);
	idltest_inline_start(&m, "eleven-char", "\1\2\3\4", 4, IDLTEST_BLUE);
	CHECK_EQ(serve(&m, &out), 0);
	CHECK(strcmp(got_inline.name, "eleven-char") == 0);
	CHECK(got_inline.data_len == 4 && got_inline.data[3] == 4);
	CHECK_EQ(got_inline.hue, IDLTEST_BLUE);
	CHECK_EQ(idltest_inline_finish(&out, name, data, &len), 0);
	CHECK(strcmp(name, "answer") == 0 && len == 3 && memcmp(data, "xyz", 3) == 0);

	idltest_inline_start(&m, "a", "", 0, IDLTEST_RED);
	memset(&m.word[0], 'x', IDLTEST_NAME);            /* no NUL */
	CHECK_EQ(serve(&m, &out), -EINVAL);
	idltest_inline_start(&m, "a", "", 0, IDLTEST_RED);
	m.word[2] = IDLTEST_BYTES + 1;                     /* a length past the bytes */
	CHECK_EQ(serve(&m, &out), -EINVAL);
	idltest_inline_start(&m, "a", "", 0, IDLTEST_RED);
	m.word[5] = 3;                                     /* not a color */
	CHECK_EQ(serve(&m, &out), -EINVAL);
}

TEST(idl_caps_and_grants_checked)
{
	struct ts_msg m, out;
	struct ts_stats st[4];

	CHECK_EQ(idltest_stats_start(&m, 9, st, sizeof st + 1), -EINVAL);
	idltest_stats_start(&m, 9, st, sizeof st);
	CHECK(m.buf_flags == TS_GRANT_WRITE && m.buf == (uint64_t)(uintptr_t)st);
	dropped = TS_NOCAP;
	out.label = 77;
	CHECK_EQ(serve(&m, &out), TS_NO_REPLY);           /* answered later: out untouched */
	CHECK(out.label == 77 && dropped == TS_NOCAP);
	CHECK(got_stats.ep == 9 && got_stats.stats_len == sizeof st);

	idltest_stats_start(&m, TS_NOCAP, st, sizeof st);
	CHECK_EQ(serve(&m, &out), -EBADF);                 /* the capability is missing */
	idltest_stats_start(&m, 9, st, sizeof st);
	m.buf_flags = TS_GRANT_READ;                       /* the server could not write */
	CHECK_EQ(serve(&m, &out), -EFAULT);
	CHECK_EQ(dropped, 9);                              /* a refused call's cap is dropped */
	idltest_stats_start(&m, 9, st, sizeof st);
	m.buf_len = sizeof st[0] + 1;                      /* not a whole number of them */
	CHECK_EQ(serve(&m, &out), -EINVAL);

	idltest_scalars_start(&m, 0, 0, 0, 0, 0, 0);
	m.cap = 11;                                        /* a call that takes none */
	CHECK_EQ(serve(&m, &out), -EINVAL);
	CHECK_EQ(dropped, 11);
	idltest_scalars_start(&m, 0, 0, 0, 0, 0, 0);
	m.buf_len = 8;
	CHECK_EQ(serve(&m, &out), -EINVAL);
}

TEST(idl_unknown_labels_and_missing_handlers)
{
	struct ts_msg m, out;
	const uint64_t labels[] = { 0, IDLTEST_LABEL_FIRST - 1, IDLTEST_LABEL_END, ~0ull };

	for (unsigned i = 0; i < IDL_COUNT(labels); i++) {
		idl_msg_init(&m, labels[i]);
		m.cap = 5;
		dropped = TS_NOCAP;
		CHECK_EQ(serve(&m, &out), -ENOSYS);
		CHECK(out.label == (uint64_t)-ENOSYS && out.reply == 0x1234 && dropped == 5);
	}
	idltest_give_start(&m, 1);                         /* no handler */
	CHECK_EQ(serve(&m, &out), -ENOSYS);
}

TEST(idl_reply_cap_and_missing_cap)
{
	struct ts_msg out;
	uint32_t ep = 0;

	idltest_give_reply(&out, 3, 0, &(struct idltest_give_rep){ .ep = 42 });
	CHECK(out.cap == 42 && out.reply == 3);
	CHECK_EQ(idltest_give_finish(&out, &ep), 0);
	CHECK_EQ(ep, 42);
	out.cap = TS_NOCAP;                                /* a reply without it */
	CHECK_EQ(idltest_give_finish(&out, &ep), -EPROTO);
	idltest_give_reply(&out, 3, -ENOSPC, &(struct idltest_give_rep){ .ep = 42 });
	CHECK(out.cap == TS_NOCAP);                        /* an error carries no results */
	CHECK_EQ(idltest_give_finish(&out, &ep), -ENOSPC);
}

TEST(idl_errors_declared)
{
	const int *e = idltest_errors(IDLTEST_GIVE);
	int n = 0, found = 0;

	for (; e[n]; n++)
		found += e[n] == ENOSPC || e[n] == EEXIST || e[n] == EINVAL;
	CHECK_EQ(found, 3);
	CHECK(idltest_errors(IDLTEST_LABEL_END) == NULL);
}
