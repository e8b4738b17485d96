/*
 * Capability tables. Every operation validates all of its arguments before
 * touching a slot, so a failed call leaves both tables and every reference
 * count exactly as they were.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <captable.h>
#include <tessera/abi.h>
#include <tessera/errno.h>

static void cap_clear(struct cap *c)
{
	c->type = TS_CAP_NULL;
	c->rights = 0;
	c->_pad = 0;
	c->_pad2 = 0;
	c->badge = 0;
	c->obj = NULL;
	c->base = 0;
	c->len = 0;
}

/* The lowest free slot, in the chunks made or in a new one */
static int free_slot(struct captable *t)
{
	for (int k = 0; k < CAP_CHUNKS; k++) {
		if (!t->chunk[k] && !(t->chunk[k] = captable_chunk_alloc()))
			return -ENOMEM;
		for (int i = 0; i < CAP_CHUNK; i++)
			if (t->chunk[k][i].type == TS_CAP_NULL)
				return k * CAP_CHUNK + i;
	}
	return -ENOSPC;
}

/* Fill a free slot and take the reference that the slot now holds. */
static void install(struct captable *t, int i, const struct cap *c)
{
	struct cap *s = captable_at(t, (uint64_t)i);

	*s = *c;
	t->count[c->type]++;
	t->held |= CAP_BIT(c->type);
	if (t->retain)
		t->retain(s);
}

/* The occupied slot at index `slot`, or NULL. */
static struct cap *occupied(struct captable *t, uint64_t slot)
{
	struct cap *c = captable_at(t, slot);

	return c && c->type != TS_CAP_NULL ? c : NULL;
}

void captable_init(struct captable *t, void (*retain)(struct cap *),
		   void (*release)(struct cap *))
{
	for (int k = 0; k < CAP_CHUNKS; k++)
		t->chunk[k] = NULL;
	for (int i = 0; i < TS_CAP_TYPES; i++)
		t->count[i] = 0;
	t->held = 0;
	t->retain = retain;
	t->release = release;
}

int captable_insert(struct captable *t, const struct cap *c)
{
	/* A null cap would be indistinguishable from an empty slot. */
	if (c->type == TS_CAP_NULL || c->type >= TS_CAP_TYPES)
		return -EINVAL;
	int i = free_slot(t);
	if (i < 0)
		return i;
	install(t, i, c);
	return i;
}

int captable_lookup(struct captable *t, uint64_t slot, int type,
		    unsigned rights, struct cap **out)
{
	struct cap *c = occupied(t, slot);

	if (c == NULL || (type != TS_CAP_NULL && c->type != type))
		return -EBADF;
	if (rights & ~(unsigned)c->rights)
		return -EPERM;
	if (out)
		*out = c;
	return 0;
}

int captable_mint(struct captable *src, uint64_t slot, struct captable *dst,
		  unsigned rights, uint64_t badge)
{
	struct cap *orig = occupied(src, slot);

	if (orig == NULL)
		return -EBADF;
	/* Re-stating the badge it already has is not a new badge. */
	if (badge != 0 && badge != orig->badge && !(orig->rights & TS_RIGHT_MINT))
		return -EPERM;
	int i = free_slot(dst);
	if (i < 0)
		return i;
	/* Copy first: with src == dst, the new slot is a sibling of orig. */
	struct cap c = *orig;
	c.rights &= rights;
	if (badge != 0)
		c.badge = badge;
	install(dst, i, &c);
	return i;
}

int captable_delete(struct captable *t, uint64_t slot)
{
	struct cap *c = occupied(t, slot);

	if (c == NULL)
		return -EBADF;
	/* Empty the slot before release runs, so a release hook that tears
	 * down more state never finds this cap still installed. */
	struct cap gone = *c;
	cap_clear(c);
	if (--t->count[gone.type] == 0)
		t->held &= ~CAP_BIT(gone.type);
	if (t->release)
		t->release(&gone);
	return 0;
}

void captable_clear(struct captable *t)
{
	for (uint64_t i = 0; i < TS_CAP_SLOTS; i++)
		if (captable_at(t, i))
			captable_delete(t, i);
}

void captable_destroy(struct captable *t)
{
	captable_clear(t);
	for (int k = 0; k < CAP_CHUNKS; k++) {
		captable_chunk_free(t->chunk[k]);
		t->chunk[k] = NULL;
	}
}
