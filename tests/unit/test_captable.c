/* Capability tables: slot allocation, lookup checks, mint, reference hooks. */
#include <stdint.h>
#include <stdlib.h>
#include "unit.h"
#include <captable.h>
#include <tessera/abi.h>
#include <tessera/errno.h>

/* Reference counts kept by the hooks, per object. */
static int refs[4];
static int objs[4];
static int retains, releases;

static void retain(struct cap *c)
{
	retains++;
	refs[(int *)c->obj - objs]++;
}

static void release(struct cap *c)
{
	releases++;
	refs[(int *)c->obj - objs]--;
}

/* chunks from the host's heap, as the kernel's come from its own */
struct cap *captable_chunk_alloc(void)
{
	return calloc(CAP_CHUNK, sizeof(struct cap));
}

void captable_chunk_free(struct cap *chunk)
{
	free(chunk);
}

static void reset(struct captable *t)
{
	t->release = NULL;          /* what the last test left goes uncounted */
	captable_destroy(t);
	memset(refs, 0, sizeof refs);
	retains = releases = 0;
	captable_init(t, retain, release);
}

static struct cap mk(int type, unsigned rights, uint64_t badge, int obj)
{
	struct cap c;

	memset(&c, 0, sizeof c);
	c.type = (uint8_t)type;
	c.rights = (uint8_t)rights;
	c.badge = badge;
	c.obj = &objs[obj];
	return c;
}

static struct captable ta, tb;

TEST(cap_init_is_empty)
{
	struct cap *c;

	reset(&ta);                             /* its chunks given back */
	memset(&ta, 0x5a, sizeof ta);          /* init makes no use of what was there */
	captable_init(&ta, retain, release);
	for (uint64_t i = 0; i < TS_CAP_SLOTS; i++)
		CHECK_EQ(captable_lookup(&ta, i, TS_CAP_NULL, 0, &c), -EBADF);
	CHECK(ta.retain == retain && ta.release == release);
}

TEST(cap_insert_lowest_free)
{
	struct cap c = mk(TS_CAP_ENDPOINT, TS_RIGHTS_ALL, 0, 0);

	reset(&ta);
	CHECK_EQ(captable_insert(&ta, &c), 0);
	CHECK_EQ(captable_insert(&ta, &c), 1);
	CHECK_EQ(captable_insert(&ta, &c), 2);
	CHECK_EQ(captable_delete(&ta, 1), 0);
	CHECK_EQ(captable_insert(&ta, &c), 1);
	CHECK_EQ(captable_insert(&ta, &c), 3);
	CHECK_EQ(retains, 5);
	CHECK_EQ(releases, 1);
	CHECK_EQ(refs[0], 4);
}

TEST(cap_insert_copies_fields)
{
	struct cap c = mk(TS_CAP_IOPORT, TS_RIGHT_CTRL, 77, 2), *got;

	c.base = 0x3f8;
	c.len = 8;
	reset(&ta);
	int s = captable_insert(&ta, &c);
	CHECK_EQ(s, 0);
	c.base = 0;                                  /* the table holds a copy */
	CHECK_EQ(captable_lookup(&ta, s, TS_CAP_IOPORT, 0, &got), 0);
	CHECK(got == captable_at(&ta, s));
	CHECK_EQ(got->type, TS_CAP_IOPORT);
	CHECK_EQ(got->rights, TS_RIGHT_CTRL);
	CHECK_EQ(got->badge, 77);
	CHECK(got->obj == &objs[2]);
	CHECK_EQ(got->base, 0x3f8);
	CHECK_EQ(got->len, 8);
}

TEST(cap_insert_full_and_null)
{
	struct cap c = mk(TS_CAP_IRQ, 0, 0, 1);
	struct cap null = mk(TS_CAP_NULL, TS_RIGHTS_ALL, 0, 1);

	reset(&ta);
	CHECK_EQ(captable_insert(&ta, &null), -EINVAL);
	CHECK_EQ(retains, 0);
	for (int i = 0; i < TS_CAP_SLOTS; i++)
		CHECK_EQ(captable_insert(&ta, &c), i);
	CHECK_EQ(captable_insert(&ta, &c), -ENOSPC);
	CHECK_EQ(retains, TS_CAP_SLOTS);
	CHECK_EQ(captable_delete(&ta, TS_CAP_SLOTS - 1), 0);
	CHECK_EQ(captable_insert(&ta, &c), TS_CAP_SLOTS - 1);
}

TEST(cap_lookup_checks)
{
	struct cap c = mk(TS_CAP_ENDPOINT, TS_RIGHT_SEND | TS_RIGHT_GRANT, 0, 0);
	struct cap *got = NULL;

	reset(&ta);
	CHECK_EQ(captable_insert(&ta, &c), 0);
	CHECK_EQ(captable_lookup(&ta, 0, TS_CAP_ENDPOINT, TS_RIGHT_SEND, &got), 0);
	CHECK(got == captable_at(&ta, 0));
	CHECK_EQ(captable_lookup(&ta, 0, TS_CAP_ENDPOINT,
				 TS_RIGHT_SEND | TS_RIGHT_GRANT, &got), 0);
	CHECK_EQ(captable_lookup(&ta, 0, TS_CAP_NULL, 0, &got), 0);
	CHECK_EQ(captable_lookup(&ta, 0, TS_CAP_ENDPOINT, 0, NULL), 0);

	got = NULL;
	CHECK_EQ(captable_lookup(&ta, 0, TS_CAP_ENDPOINT, TS_RIGHT_RECV, &got), -EPERM);
	CHECK_EQ(captable_lookup(&ta, 0, TS_CAP_NULL,
				 TS_RIGHT_SEND | TS_RIGHT_RECV, &got), -EPERM);
	CHECK_EQ(captable_lookup(&ta, 0, TS_CAP_ENDPOINT, 0x100, &got), -EPERM);
	CHECK_EQ(captable_lookup(&ta, 0, TS_CAP_PROCESS, 0, &got), -EBADF);
	/* A wrong type is -EBADF even when rights would also fail. */
	CHECK_EQ(captable_lookup(&ta, 0, TS_CAP_PROCESS, TS_RIGHT_CTRL, &got), -EBADF);
	CHECK_EQ(captable_lookup(&ta, 1, TS_CAP_NULL, 0, &got), -EBADF);
	CHECK_EQ(captable_lookup(&ta, TS_CAP_SLOTS, TS_CAP_NULL, 0, &got), -EBADF);
	CHECK_EQ(captable_lookup(&ta, UINT64_MAX, TS_CAP_NULL, 0, &got), -EBADF);
	/* Must not be truncated to slot 0. */
	CHECK_EQ(captable_lookup(&ta, 1ull << 32, TS_CAP_NULL, 0, &got), -EBADF);
	CHECK(got == NULL);
}

TEST(cap_mint_reduces_rights)
{
	struct cap c = mk(TS_CAP_ENDPOINT, TS_RIGHT_SEND | TS_RIGHT_RECV, 5, 0);
	struct cap *got;

	reset(&ta);
	reset(&tb);
	CHECK_EQ(captable_insert(&ta, &c), 0);
	/* Asking for more than the original has yields only the overlap. */
	int s = captable_mint(&ta, 0, &tb, TS_RIGHT_SEND | TS_RIGHT_CTRL, 0);
	CHECK_EQ(s, 0);
	CHECK_EQ(captable_lookup(&tb, s, TS_CAP_ENDPOINT, 0, &got), 0);
	CHECK_EQ(got->rights, TS_RIGHT_SEND);
	CHECK_EQ(got->badge, 5);                     /* badge 0 keeps it */
	CHECK(got->obj == &objs[0]);
	CHECK_EQ(captable_lookup(&tb, s, TS_CAP_ENDPOINT, TS_RIGHT_RECV, &got), -EPERM);
	/* The original is untouched. */
	CHECK_EQ(captable_at(&ta, 0)->rights, TS_RIGHT_SEND | TS_RIGHT_RECV);
	CHECK_EQ(refs[0], 2);

	s = captable_mint(&ta, 0, &tb, 0, 0);        /* no rights at all */
	CHECK_EQ(s, 1);
	CHECK_EQ(captable_at(&tb, s)->rights, 0);
}

TEST(cap_mint_badge_needs_mint_right)
{
	struct cap plain = mk(TS_CAP_ENDPOINT, TS_RIGHT_SEND, 9, 0);
	struct cap mintable = mk(TS_CAP_ENDPOINT, TS_RIGHT_SEND | TS_RIGHT_MINT, 0, 1);

	reset(&ta);
	reset(&tb);
	CHECK_EQ(captable_insert(&ta, &plain), 0);
	CHECK_EQ(captable_insert(&ta, &mintable), 1);

	CHECK_EQ(captable_mint(&ta, 0, &tb, TS_RIGHTS_ALL, 10), -EPERM);
	CHECK_EQ(retains, 2);                        /* nothing was installed */
	CHECK_EQ(captable_lookup(&tb, 0, TS_CAP_NULL, 0, NULL), -EBADF);
	/* Restating the existing badge is not a new badge. */
	CHECK_EQ(captable_mint(&ta, 0, &tb, TS_RIGHTS_ALL, 9), 0);
	CHECK_EQ(captable_at(&tb, 0)->badge, 9);

	int s = captable_mint(&ta, 1, &tb, TS_RIGHT_SEND, 42);
	CHECK_EQ(s, 1);
	CHECK_EQ(captable_at(&tb, s)->badge, 42);
	CHECK_EQ(captable_at(&tb, s)->rights, TS_RIGHT_SEND);
	/* Dropping MINT on the copy stops it from being rebadged again. */
	CHECK_EQ(captable_mint(&tb, s, &ta, TS_RIGHTS_ALL, 43), -EPERM);
	CHECK_EQ(captable_mint(&tb, s, &ta, TS_RIGHTS_ALL, 0), 2);
	CHECK_EQ(captable_at(&ta, 2)->badge, 42);
}

TEST(cap_mint_same_table)
{
	struct cap c = mk(TS_CAP_PROCESS, TS_RIGHTS_ALL, 0, 3);

	reset(&ta);
	CHECK_EQ(captable_insert(&ta, &c), 0);
	CHECK_EQ(captable_insert(&ta, &c), 1);
	CHECK_EQ(captable_delete(&ta, 0), 0);
	/* Lands in the freed slot below the source. */
	CHECK_EQ(captable_mint(&ta, 1, &ta, TS_RIGHT_CTRL, 7), 0);
	CHECK_EQ(captable_at(&ta, 0)->rights, TS_RIGHT_CTRL);
	CHECK_EQ(captable_at(&ta, 0)->badge, 7);
	CHECK_EQ(captable_at(&ta, 1)->rights, TS_RIGHTS_ALL);
	CHECK_EQ(captable_at(&ta, 1)->badge, 0);
	CHECK_EQ(refs[3], 2);
}

TEST(cap_mint_errors)
{
	struct cap c = mk(TS_CAP_ENDPOINT, TS_RIGHTS_ALL, 0, 0);

	reset(&ta);
	reset(&tb);
	CHECK_EQ(captable_mint(&ta, 0, &tb, TS_RIGHTS_ALL, 0), -EBADF);
	CHECK_EQ(captable_mint(&ta, TS_CAP_SLOTS, &tb, TS_RIGHTS_ALL, 0), -EBADF);
	CHECK_EQ(captable_mint(&ta, UINT64_MAX, &tb, TS_RIGHTS_ALL, 0), -EBADF);
	CHECK_EQ(captable_insert(&ta, &c), 0);
	for (int i = 0; i < TS_CAP_SLOTS; i++)
		CHECK_EQ(captable_mint(&ta, 0, &tb, TS_RIGHTS_ALL, 0), i);
	int before = retains;
	CHECK_EQ(captable_mint(&ta, 0, &tb, TS_RIGHTS_ALL, 0), -ENOSPC);
	CHECK_EQ(retains, before);
	/* A full source table can still mint into itself only if it has room. */
	CHECK_EQ(captable_mint(&tb, 0, &tb, TS_RIGHTS_ALL, 0), -ENOSPC);
}

TEST(cap_delete)
{
	struct cap c = mk(TS_CAP_MMIO, TS_RIGHT_CTRL, 0, 2);

	reset(&ta);
	CHECK_EQ(captable_delete(&ta, 0), -EBADF);
	CHECK_EQ(captable_delete(&ta, TS_CAP_SLOTS), -EBADF);
	CHECK_EQ(captable_delete(&ta, UINT64_MAX), -EBADF);
	CHECK_EQ(captable_insert(&ta, &c), 0);
	CHECK_EQ(refs[2], 1);
	CHECK_EQ(captable_delete(&ta, 0), 0);
	CHECK_EQ(refs[2], 0);
	CHECK_EQ(releases, 1);
	CHECK_EQ(captable_delete(&ta, 0), -EBADF);
	CHECK_EQ(releases, 1);
	CHECK_EQ(captable_at(&ta, 0)->type, TS_CAP_NULL);
	CHECK(captable_at(&ta, 0)->obj == NULL);
	CHECK_EQ(captable_lookup(&ta, 0, TS_CAP_NULL, 0, NULL), -EBADF);
}

/* The release hook sees the departing cap and an already-empty slot. */
static struct captable *seen_table;
static int seen_ok;

static void release_check(struct cap *c)
{
	seen_ok = c->type == TS_CAP_ENDPOINT && c->obj == &objs[1] &&
		  c->badge == 3 && captable_at(seen_table, 0)->type == TS_CAP_NULL;
}

TEST(cap_release_sees_cap_after_slot_emptied)
{
	struct cap c = mk(TS_CAP_ENDPOINT, TS_RIGHT_SEND, 3, 1);

	reset(&ta);
	captable_init(&ta, NULL, release_check);
	seen_table = &ta;
	seen_ok = 0;
	CHECK_EQ(captable_insert(&ta, &c), 0);
	CHECK_EQ(captable_delete(&ta, 0), 0);
	CHECK(seen_ok);
}

TEST(cap_clear_releases_everything)
{
	struct cap c0 = mk(TS_CAP_ENDPOINT, TS_RIGHTS_ALL, 0, 0);
	struct cap c1 = mk(TS_CAP_PROCESS, TS_RIGHTS_ALL, 0, 1);

	reset(&ta);
	reset(&tb);
	CHECK_EQ(captable_insert(&ta, &c0), 0);
	CHECK_EQ(captable_insert(&ta, &c1), 1);
	CHECK_EQ(captable_insert(&ta, &c0), 2);
	CHECK_EQ(captable_mint(&ta, 1, &tb, TS_RIGHT_CTRL, 0), 0);
	CHECK_EQ(captable_delete(&ta, 0), 0);
	CHECK_EQ(captable_insert(&ta, &c1), 0);
	/* Leave a hole so clear must skip empty slots. */
	CHECK_EQ(captable_insert(&ta, &c0), 3);
	CHECK_EQ(captable_delete(&ta, 2), 0);
	int before = releases;
	captable_clear(&ta);
	CHECK_EQ(releases - before, 3);
	CHECK_EQ(refs[0], 0);
	CHECK_EQ(refs[1], 1);                        /* tb's copy survives */
	for (uint64_t i = 0; i < TS_CAP_SLOTS; i++)
		CHECK_EQ(captable_lookup(&ta, i, TS_CAP_NULL, 0, NULL), -EBADF);
	captable_clear(&tb);
	CHECK_EQ(refs[1], 0);
	captable_clear(&tb);                         /* idempotent */
	CHECK_EQ(refs[1], 0);
}

TEST(cap_null_hooks)
{
	struct cap c = mk(TS_CAP_SYSTEM, TS_RIGHTS_ALL, 0, 0);

	reset(&ta);
	reset(&tb);
	captable_init(&ta, NULL, NULL);
	captable_init(&tb, NULL, NULL);
	CHECK_EQ(captable_insert(&ta, &c), 0);
	CHECK_EQ(captable_mint(&ta, 0, &tb, TS_RIGHT_CTRL, 1), 0);
	CHECK_EQ(captable_delete(&ta, 0), 0);
	captable_clear(&tb);
	CHECK_EQ(captable_lookup(&tb, 0, TS_CAP_NULL, 0, NULL), -EBADF);
}

TEST(cap_held_types)
{
	struct cap spawn = mk(TS_CAP_SPAWN, TS_RIGHTS_ALL, 0, 0);
	struct cap log = mk(TS_CAP_LOG, 0, 0, 1);

	reset(&ta);
	reset(&tb);
	CHECK_EQ(ta.held, 0u);
	CHECK_EQ(captable_insert(&ta, &spawn), 0);
	CHECK_EQ(captable_insert(&ta, &log), 1);
	CHECK_EQ(ta.held, CAP_BIT(TS_CAP_SPAWN) | CAP_BIT(TS_CAP_LOG));
	/* two spawn caps: the type stays held until the last one goes */
	CHECK_EQ(captable_mint(&ta, 0, &ta, TS_RIGHTS_ALL, 0), 2);
	CHECK_EQ(captable_delete(&ta, 0), 0);
	CHECK_EQ(ta.held, CAP_BIT(TS_CAP_SPAWN) | CAP_BIT(TS_CAP_LOG));
	CHECK_EQ(captable_delete(&ta, 2), 0);
	CHECK_EQ(ta.held, CAP_BIT(TS_CAP_LOG));
	/* a copy into another table confers the type there too */
	CHECK_EQ(captable_mint(&ta, 1, &tb, 0, 0), 0);
	CHECK_EQ(tb.held, CAP_BIT(TS_CAP_LOG));
	CHECK_EQ(tb.count[TS_CAP_LOG], 1);
	/* a failed insert confers nothing */
	struct cap bad = mk(TS_CAP_TYPES, 0, 0, 0);
	CHECK_EQ(captable_insert(&tb, &bad), -EINVAL);
	captable_clear(&ta);
	captable_clear(&tb);
	CHECK_EQ(ta.held | tb.held, 0u);
	CHECK_EQ(ta.count[TS_CAP_LOG] + tb.count[TS_CAP_LOG], 0);
}
