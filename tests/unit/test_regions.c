/* Host tests for a process's region list (posix/pm/regions.c). */
#include "unit.h"
#include <tessera/abi.h>
#include <tessera/errno.h>
#include "../../posix/pm/regions.h"

#define RW (TS_PROT_READ | TS_PROT_WRITE)
#define P  0x1000ull

static struct region nodes[8];
static struct region_pool pool;

/* The list as "start-end prot kind" pages, for comparing. */
static const char *shape(const struct region *r)
{
	static char buf[256];
	size_t n = 0;

	buf[0] = 0;
	for (; r; r = r->next)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%llu-%llu:%u%c ",
				      (unsigned long long)(r->start / P),
				      (unsigned long long)(r->end / P), r->prot,
				      "afs"[r->kind]);
	return buf;
}

static struct region anon(uint64_t start, uint64_t end, uint8_t prot)
{
	return (struct region){ .start = start * P, .end = end * P, .prot = prot };
}

TEST(regions_adjacent_anonymous_merge)
{
	struct region *list = NULL;

	region_pool_init(&pool, nodes, 8);
	struct region a = anon(10, 12, RW), b = anon(8, 10, RW), c = anon(6, 8, TS_PROT_READ);
	CHECK_EQ(regions_map(&list, &pool, &a), 0);
	CHECK_EQ(regions_map(&list, &pool, &b), 0);
	CHECK_EQ(regions_map(&list, &pool, &c), 0);
	CHECK(!strcmp(shape(list), "6-8:1a 8-12:3a "));
	regions_free(&list, &pool);
	CHECK_EQ(pool.nfree, 8);
}

TEST(regions_unmap_and_protect_split)
{
	struct region *list = NULL, *copy = NULL;

	region_pool_init(&pool, nodes, 8);
	struct region a = anon(0, 10, RW);
	regions_map(&list, &pool, &a);
	CHECK_EQ(regions_unmap(&list, &pool, 4 * P, 5 * P), 0);
	CHECK(!strcmp(shape(list), "0-4:3a 5-10:3a "));
	CHECK_EQ(regions_protect(&list, &pool, 6 * P, 7 * P, TS_PROT_READ), 0);
	CHECK(!strcmp(shape(list), "0-4:3a 5-6:3a 6-7:1a 7-10:3a "));
	CHECK_EQ(regions_protect(&list, &pool, 6 * P, 7 * P, RW), 0);
	CHECK(!strcmp(shape(list), "0-4:3a 5-10:3a "));
	CHECK_EQ(regions_copy(&copy, list, &pool), 0);
	CHECK(!strcmp(shape(copy), "0-4:3a 5-10:3a "));
	regions_free(&copy, &pool);
	regions_free(&list, &pool);
	CHECK_EQ(pool.nfree, 8);
}

TEST(regions_file_offsets_and_fixed_maps)
{
	struct region *list = NULL;
	struct region f = { .start = 0, .end = 4 * P, .prot = RW, .kind = REGION_FILE,
			    .name = 1, .off = 0 };
	struct region g = f;

	region_pool_init(&pool, nodes, 8);
	g.start = 4 * P, g.end = 6 * P, g.off = 8 * P;     /* not the next bytes */
	regions_map(&list, &pool, &f);
	regions_map(&list, &pool, &g);
	CHECK(!strcmp(shape(list), "0-4:3f 4-6:3f "));
	regions_unmap(&list, &pool, P, 2 * P);
	CHECK_EQ(list->next->off, 2 * P);       /* the piece after the hole */
	struct region h = anon(1, 5, TS_PROT_READ);     /* MAP_FIXED over all of it */
	regions_map(&list, &pool, &h);
	CHECK(!strcmp(shape(list), "0-1:3f 1-5:1a 5-6:3f "));
	CHECK_EQ(list->next->next->off, 9 * P);
	regions_free(&list, &pool);
}

TEST(regions_pool_exhausted_changes_nothing)
{
	struct region *list = NULL;

	region_pool_init(&pool, nodes, 2);
	struct region a = anon(0, 10, RW);
	CHECK_EQ(regions_map(&list, &pool, &a), -ENOMEM);
	CHECK(list == NULL);
	region_pool_init(&pool, nodes, 3);
	CHECK_EQ(regions_map(&list, &pool, &a), 0);
	CHECK_EQ(regions_unmap(&list, &pool, P, 2 * P), 0);
	CHECK_EQ(regions_unmap(&list, &pool, 4 * P, 5 * P), -ENOMEM);
	CHECK(!strcmp(shape(list), "0-1:3a 2-10:3a "));
}
