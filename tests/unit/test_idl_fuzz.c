/*
 * Random messages into every generated server dispatcher (names, echo and
 * the generator's test protocol), under ASan and UBSan as all unit tests
 * are: labels near and far from each protocol's, words that are small,
 * huge, strings with and without their NUL, grant lengths around each
 * maximum and flags of every kind, capability slots or none.
 *
 * The handlers are the generated IDL_FUZZ ones: each checks what the
 * generated code promised it (strings terminated, lengths within their
 * maximum, enums valid) and answers a random value, TS_NO_REPLY, or one of
 * the call's declared errnos. Each answer must be one of those or an errno
 * of the generated checks, every capability must be handed to a handler or
 * dropped exactly once, and an error reply carries no results.
 */
#include <stdlib.h>
#include <string.h>
#include <tessera/idl.h>
#include "unit.h"

#define FUZZ_MESSAGES 1000000

static int fuzz_broken;
#define IDL_FUZZ_CHECK(cond)                                              \
	do {                                                                  \
		if (!(cond) && fuzz_broken++ < 5)                                 \
			printf("  idl fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	} while (0)

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned caps_seen;          /* handed to a handler or dropped, this message */
static bool handled;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void idl_fuzz_took_cap(uint32_t slot)
{
	(void)slot;
	caps_seen++;
}

static void idl_fuzz_drop_cap(uint32_t slot)
{
	(void)slot;
	caps_seen++;
}

static void idl_fuzz_fill(void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((uint8_t *)p)[i] = (uint8_t)rnd();
}

static long idl_fuzz_result(uint64_t label, const int *errors)
{
	unsigned n = 0;

	(void)label;
	handled = true;
	while (errors[n])
		n++;
	switch (rnd() % 4) {
	case 0:
		return TS_NO_REPLY;
	case 1:
		return (long)(rnd() >> 24);
	default:
		return -errors[rnd() % n];
	}
}

#define IDL_FUZZ
#include <proto/names_server.h>
#include <proto/echo_server.h>
#include <proto/idltest_server.h>

struct fuzzed {
	const char *name;
	uint64_t first, end;
	long (*dispatch)(const struct ts_msg *m, struct ts_msg *out);
	const int *(*errors)(uint64_t label);
};

static long names(const struct ts_msg *m, struct ts_msg *out)
{
	return names_dispatch(&names_fuzz_handlers, m, out);
}
static long echo(const struct ts_msg *m, struct ts_msg *out)
{
	return echo_dispatch(&echo_fuzz_handlers, m, out);
}
static long idltest(const struct ts_msg *m, struct ts_msg *out)
{
	return idltest_dispatch(&idltest_fuzz_handlers, m, out);
}

static const struct fuzzed protocols[] = {
	{ "names", NAMES_LABEL_FIRST, NAMES_LABEL_END, names, names_errors },
	{ "echo", ECHO_LABEL_FIRST, ECHO_LABEL_END, echo, echo_errors },
	{ "idltest", IDLTEST_LABEL_FIRST, IDLTEST_LABEL_END, idltest, idltest_errors },
};

/* A word a checker might get wrong: small, a byte string, a boundary, any. */
static uint64_t random_word(void)
{
	static const uint64_t edges[] = { 0, 1, 2, 7, 8, 15, 16, 255, 256, 65535, 65536,
					  0xffffffffull, 0x100000000ull, 0x7fffffffffffffffull,
					  0x8000000000000000ull, ~0ull };
	switch (rnd() % 4) {
	case 0:
		return rnd() % 64;
	case 1:
		return edges[rnd() % IDL_COUNT(edges)];
	case 2:
		return rnd() & 0x7f7f7f7f7f7f7f7full;      /* characters, maybe no NUL */
	default:
		return rnd();
	}
}

static void random_message(struct ts_msg *m, const struct fuzzed *p)
{
	uint64_t span = p->end - p->first;

	idl_msg_init(m, rnd() % 16 ? p->first - 1 + rnd() % (span + 2) : rnd());
	for (int i = 0; i < TS_MSG_WORDS; i++)
		m->word[i] = random_word();
	m->badge = rnd();
	m->reply = rnd() | 1;
	m->cap = rnd() % 3 ? TS_NOCAP : (uint32_t)(rnd() % TS_CAP_SLOTS);
	if (rnd() % 2) {
		static const uint64_t lens[] = { 1, 4, 15, 16, 1023, 1024, 1025, 4096, 4097,
						 TS_GRANT_MAX, TS_GRANT_MAX + 1ull };
		m->buf_len = rnd() % 4 ? lens[rnd() % IDL_COUNT(lens)] : rnd() % 0x2000;
		m->buf_flags = rnd() % 4;
	}
}

static bool declared(const struct fuzzed *p, uint64_t label, long r)
{
	const int *e = p->errors(label);

	if (!e)
		return r == -ENOSYS;
	for (; *e; e++)
		if (r == -*e)
			return true;
	return false;
}

/* One message: whether the dispatcher's answer keeps every promise. */
static bool one(const struct fuzzed *p)
{
	struct ts_msg m, out;

	random_message(&m, p);
	memset(&out, 0xa5, sizeof out);
	caps_seen = 0;
	handled = false;
	long r = p->dispatch(&m, &out);
	bool ok = (m.cap == TS_NOCAP) == (caps_seen == 0) && caps_seen <= 1;
	if (r == TS_NO_REPLY)
		return ok && handled && out.label == 0xa5a5a5a5a5a5a5a5ull;
	ok = ok && out.label == (uint64_t)r && out.reply == m.reply;
	if (r >= 0)
		return ok && handled;
	for (int i = 0; i < TS_MSG_WORDS; i++)
		ok = ok && out.word[i] == 0;
	return ok && out.cap == TS_NOCAP && out.buf_len == 0 && declared(p, m.label, r);
}

TEST(idl_fuzz_generated_dispatchers)
{
	long bad = 0;

	for (long i = 0; i < FUZZ_MESSAGES; i++) {
		const struct fuzzed *p = &protocols[i % IDL_COUNT(protocols)];
		if (!one(p) && bad++ < 5)
			printf("  idl fuzz: %s: message %ld broke a promise\n", p->name, i);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(fuzz_broken, 0);
}
