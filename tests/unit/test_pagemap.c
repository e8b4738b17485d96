/* Sparse file pages (servers/vfs/pagemap.c): pages made where written,
 * holes found on both sides of them, cuts that free pages and tables. */
#include <stdlib.h>
#include "unit.h"
#include "../../servers/vfs/pagemap.h"

static long live;                   /* pages and tables not freed */

void *pagemap_page_new(void)
{
	void *p = aligned_alloc(PAGE_BYTES, PAGE_BYTES);

	if (p) {
		memset(p, 0, PAGE_BYTES);
		live++;
	}
	return p;
}

void pagemap_page_free(void *page)
{
	free(page);
	live--;
}

TEST(pagemap_pages_where_written)
{
	struct pagemap pm = { 0 };

	CHECK(!pagemap_find(&pm, 0));
	uint8_t *p = pagemap_make(&pm, 5);
	CHECK(p && p[0] == 0 && p[PAGE_BYTES - 1] == 0);
	p[7] = 42;
	CHECK(pagemap_make(&pm, 5) == p && pagemap_find(&pm, 5)[7] == 42);
	CHECK(!pagemap_find(&pm, 4) && !pagemap_find(&pm, 6));
	CHECK_EQ(pm.pages, 1);
	/* far out: the tree grows levels, the first page stays */
	uint64_t far = 1ull << 40;          /* page index of a byte at 2^52 */
	CHECK(pagemap_make(&pm, far) != NULL);
	CHECK(pagemap_find(&pm, 5) == p && pagemap_find(&pm, far));
	CHECK(!pagemap_find(&pm, far - 1) && !pagemap_find(&pm, far + 1));
	CHECK_EQ(pm.pages, 2);
	CHECK_EQ(pagemap_cut(&pm, 0), 2);
	CHECK_EQ(live, 0);
	CHECK(!pm.top && !pagemap_find(&pm, 5));
}

TEST(pagemap_data_and_holes)
{
	struct pagemap pm = { 0 };

	CHECK_EQ(pagemap_next(&pm, 0, true), UINT64_MAX);
	CHECK_EQ(pagemap_next(&pm, 9, false), 9);
	pagemap_make(&pm, 3);
	pagemap_make(&pm, 4);
	pagemap_make(&pm, 1000);
	CHECK_EQ(pagemap_next(&pm, 0, true), 3);
	CHECK_EQ(pagemap_next(&pm, 0, false), 0);
	CHECK_EQ(pagemap_next(&pm, 3, false), 5);
	CHECK_EQ(pagemap_next(&pm, 5, true), 1000);
	CHECK_EQ(pagemap_next(&pm, 1000, false), 1001);
	CHECK_EQ(pagemap_next(&pm, 1001, true), UINT64_MAX);
	CHECK_EQ(pagemap_next(&pm, 1ull << 50, false), 1ull << 50);
	pagemap_cut(&pm, 0);
	CHECK_EQ(live, 0);
}

TEST(pagemap_cut_frees_from_an_index_on)
{
	struct pagemap pm = { 0 };

	for (uint64_t i = 0; i < 1200; i += 3)
		pagemap_make(&pm, i);
	CHECK_EQ(pm.pages, 400);
	CHECK_EQ(pagemap_cut(&pm, 600), 200);
	CHECK(pagemap_find(&pm, 597) && !pagemap_find(&pm, 600) && !pagemap_find(&pm, 1197));
	CHECK_EQ(pagemap_next(&pm, 598, true), UINT64_MAX);
	/* the tables of what is gone went too: 200 pages, a top, two tables */
	CHECK_EQ(live, 200 + 1 + 2);
	CHECK_EQ(pagemap_cut(&pm, 1ull << 45), 0);
	CHECK_EQ(pagemap_cut(&pm, 0), 200);
	CHECK_EQ(live, 0);
}
