/*
 * The fuzzer's input: requests are decoded from its front, the shim's
 * choices (kernel call results, other servers' answers) taken from its back,
 * so that a mutation of one rarely shifts the other.
 *
 * A request: flags (1 byte: grant flags in bits 0-1, 4: a grant follows,
 * 8: a capability, 16: label TS_LABEL_NOTIFY, bits 5-6: the event as shim.h
 * numbers them, 3 meaning 0), label (2 bytes, little endian), the badge's
 * pid and thread id (1 byte each), 6 words (each a byte below 0xf8 as
 * itself, or 0xf8/0xf9/0xfa then 2/4/8 bytes, or 0xfb then n: -1 - n), then
 * the capability slot (1 byte) and the grant: its length (2 bytes, at most
 * GRANT_MAX) and as many bytes (zeros past the end). seeds.py writes them.
 */
#include <stdlib.h>
#include <string.h>
#include "shim.h"

#define MAX_REQUESTS 256
#define GRANT_MAX    8192
#define REPLY_BASE   0x5e000000ull
/* bytes one choice takes at most, the rest zeros: a large buffer filled
 * does not eat the requests */
#define CHOICE_MAX   64

enum { F_GRANT = 4, F_CAP = 8, F_NOTIFY = 16, F_EVENT_SHIFT = 5 };

static const uint8_t *in;
static size_t front, back;          /* front: next byte; back: one past the last unused */
static struct request requests[MAX_REQUESTS];
static unsigned nrequests;
static uint64_t answers;            /* FNV-1a over the answers: handle, label */

#define FNV_BASIS 14695981039346656037ull
#define FNV_PRIME 1099511628211ull

void input_begin(const uint8_t *data, size_t size)
{
	in = data;
	front = 0;
	back = size;
	nrequests = 0;
	answers = FNV_BASIS;
}

void input_end(void)
{
	for (unsigned i = 0; i < nrequests; i++)
		free(requests[i].grant);
	nrequests = 0;
}

static uint8_t take_front(void)
{
	return front < back ? in[front++] : 0;
}

static uint64_t take_front_n(unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)take_front() << (8 * i);
	return v;
}

bool input_left(void)
{
	return back > front;
}

uint8_t choose_byte(void)
{
	return back > front ? in[--back] : 0;
}

void choose_bytes(void *dst, size_t len)
{
	size_t n = MIN(MIN(len, CHOICE_MAX), back - front);

	if (n)
		memcpy(dst, in + back - n, n);
	memset((uint8_t *)dst + n, 0, len - n);
	back -= n;
}

long choose_result(long ok)
{
	static const long errors[] = { -EINVAL, -ENOMEM, -EFAULT, -ESRCH, -EPERM, -EAGAIN,
				       -EINTR, -ENOENT };
	uint8_t b = choose_byte();

	return b < 0xe0 ? ok : errors[b % ARRAY_SIZE(errors)];
}

static uint64_t take_word(void)
{
	uint8_t t = take_front();

	switch (t) {
	case 0xf8: return take_front_n(2);
	case 0xf9: return take_front_n(4);
	case 0xfa: return take_front_n(8);
	case 0xfb: return (uint64_t)(-1 - (int64_t)take_front());
	default:   return t;
	}
}

static void take_grant(struct request *q, unsigned flags)
{
	uint64_t len = take_front_n(2) % (GRANT_MAX + 1);
	size_t n = MIN(len, back - front);

	q->grant = calloc(1, len ? len : 1);
	if (!q->grant)
		abort();
	if (n)
		memcpy(q->grant, in + front, n);
	front += n;
	q->grant_len = len;
	q->grant_flags = flags & (TS_GRANT_READ | TS_GRANT_WRITE);
}

bool input_next_request(struct ts_msg *m, unsigned *event)
{
	if (front >= back || nrequests == MAX_REQUESTS)
		return false;
	unsigned flags = take_front();
	uint64_t label = take_front_n(2);
	uint64_t pid = take_front(), tid = take_front();

	*m = (struct ts_msg){ .label = flags & F_NOTIFY ? TS_LABEL_NOTIFY : label,
			      .badge = pid | tid << 32, .cap = TS_NOCAP };
	for (int i = 0; i < TS_MSG_WORDS; i++)
		m->word[i] = take_word();
	if (flags & F_CAP)
		m->cap = take_front();
	struct request *q = &requests[nrequests];
	*q = (struct request){ .reply = REPLY_BASE + nrequests };
	nrequests++;
	if (flags & F_GRANT)
		take_grant(q, flags);
	m->reply = q->reply;
	m->buf_len = q->grant_len;
	m->buf_flags = q->grant_flags;
	*event = (flags >> F_EVENT_SHIFT & 3) % HOSTFUZZ_EVENTS;
	return true;
}

struct request *request_of(uint64_t reply)
{
	uint64_t i = reply - REPLY_BASE;

	return i < nrequests && !requests[i].answered ? &requests[i] : NULL;
}

long input_answered(uint64_t reply, uint64_t label)
{
	struct request *q = request_of(reply);

	if (!q)
		return -ESRCH;
	q->answered = true;
	answers = (answers ^ reply) * FNV_PRIME;
	answers = (answers ^ label) * FNV_PRIME;
	return 0;
}

uint64_t input_answers(void)
{
	return answers;
}
