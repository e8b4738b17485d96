/* A process's list of mapped regions: see regions.h. */
#include <tessera/errno.h>
#include <stddef.h>
#include "regions.h"

void region_pool_init(struct region_pool *pool, struct region *nodes, unsigned n)
{
	pool->free = NULL;
	pool->nfree = 0;
	region_pool_add(pool, nodes, n);
}

void region_pool_add(struct region_pool *pool, struct region *nodes, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		nodes[i].next = pool->free;
		pool->free = &nodes[i];
		pool->nfree++;
	}
}

/* the caller has made sure one is free */
static struct region *node_get(struct region_pool *pool)
{
	struct region *r = pool->free;

	pool->free = r->next;
	pool->nfree--;
	return r;
}

static void node_put(struct region_pool *pool, struct region *r)
{
	r->next = pool->free;
	pool->free = r;
	pool->nfree++;
}

/* Would b continue a, as one VMA of Linux's? */
static bool alike(const struct region *a, const struct region *b)
{
	return a->end == b->start && a->prot == b->prot && a->kind == b->kind &&
	       a->name == b->name && a->dev == b->dev && a->ino == b->ino &&
	       (a->kind != REGION_FILE || a->off + (a->end - a->start) == b->off);
}

static void merge(struct region *r, struct region_pool *pool)
{
	while (r && r->next) {
		struct region *n = r->next;
		if (!alike(r, n)) {
			r = n;
			continue;
		}
		r->end = n->end;
		r->next = n->next;
		node_put(pool, n);
	}
}

/* The region holding addr, if addr is inside it (not its start), becomes
 * two that meet at addr. Takes a node. */
static void split_at(struct region *list, struct region_pool *pool, uint64_t addr)
{
	for (struct region *r = list; r && r->start < addr; r = r->next) {
		if (addr >= r->end)
			continue;
		struct region *n = node_get(pool);
		*n = *r;
		n->start = addr;
		if (r->kind == REGION_FILE)
			n->off += addr - r->start;
		r->end = addr;
		r->next = n;
		return;
	}
}

/* [start, end) split off from its neighbours: the link to its first region */
static struct region **isolate(struct region **list, struct region_pool *pool, uint64_t start,
			       uint64_t end)
{
	split_at(*list, pool, start);
	split_at(*list, pool, end);
	while (*list && (*list)->end <= start)
		list = &(*list)->next;
	return list;
}

long regions_unmap(struct region **list, struct region_pool *pool, uint64_t start,
		   uint64_t end)
{
	if (pool->nfree < 2)
		return -ENOMEM;
	struct region **at = isolate(list, pool, start, end);
	while (*at && (*at)->start < end) {
		struct region *gone = *at;
		*at = gone->next;
		node_put(pool, gone);
	}
	return 0;
}

long regions_map(struct region **list, struct region_pool *pool, const struct region *r)
{
	if (pool->nfree < 3)
		return -ENOMEM;
	regions_unmap(list, pool, r->start, r->end);
	struct region **at = list;
	while (*at && (*at)->end <= r->start)
		at = &(*at)->next;
	struct region *n = node_get(pool);
	*n = *r;
	n->next = *at;
	*at = n;
	merge(*list, pool);
	return 0;
}

long regions_protect(struct region **list, struct region_pool *pool, uint64_t start,
		     uint64_t end, uint8_t prot)
{
	if (pool->nfree < 2)
		return -ENOMEM;
	for (struct region *r = *isolate(list, pool, start, end); r && r->start < end; r = r->next)
		r->prot = prot;
	merge(*list, pool);
	return 0;
}

long regions_copy(struct region **dst, const struct region *src, struct region_pool *pool)
{
	unsigned n = 0;

	for (const struct region *r = src; r; r = r->next)
		n++;
	if (n > pool->nfree)
		return -ENOMEM;
	for (; src; src = src->next, dst = &(*dst)->next) {
		*dst = node_get(pool);
		**dst = *src;
	}
	*dst = NULL;
	return 0;
}

void regions_free(struct region **list, struct region_pool *pool)
{
	while (*list) {
		struct region *gone = *list;
		*list = gone->next;
		node_put(pool, gone);
	}
}
