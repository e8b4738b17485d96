/* Host tests for the page runs of an executable image (posix/pm/layout.c). */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include <tessera/abi.h>
#include "../../posix/pm/layout.h"

#define R  TS_PROT_READ
#define RW (TS_PROT_READ | TS_PROT_WRITE)
#define RX (TS_PROT_READ | TS_PROT_EXEC)

static struct elf_image image_of(unsigned n, const struct elf_segment *seg)
{
	struct elf_image e = { .nsegments = n };

	memcpy(e.seg, seg, n * sizeof *seg);
	return e;
}

/* Plan the segments and compare with the runs wanted (off only where
 * file), the copy's size and the end. */
static int plan_is(unsigned nseg, const struct elf_segment *seg, unsigned n,
		   const struct layout_run *want, uint64_t file_bytes, uint64_t end)
{
	struct elf_image e = image_of(nseg, seg);
	struct layout l;
	int ok;

	layout_plan(&e, &l);
	ok = l.n == n && l.file_bytes == file_bytes && l.end == end;
	for (unsigned i = 0; ok && i < n; i++) {
		const struct layout_run *r = &l.run[i], *w = &want[i];
		ok = r->va == w->va && r->len == w->len && r->prot == w->prot &&
		     r->file == w->file && (!w->file || r->off == w->off);
		if (!ok)
			printf("  run %u: %#lx+%#lx prot %u file %d off %#lx\n", i,
			       (unsigned long)r->va, (unsigned long)r->len, r->prot, r->file,
			       (unsigned long)r->off);
	}
	return ok;
}

/* BusyBox's program headers: one run per segment, the bss page apart */
TEST(layout_busybox)
{
	const struct elf_segment seg[] = {
		{ 0x400000, 0x190, 0, 0x190, R },
		{ 0x401000, 0xdd1db, 0x1000, 0xdd1db, RX },
		{ 0x4df000, 0x30f04, 0xdf000, 0x30f04, R },
		{ 0x510c50, 0x4f80, 0x110c50, 0x3726, RW },
	};
	const struct layout_run want[] = {
		{ 0x400000, 0x1000, R, true, 0 },
		{ 0x401000, 0xde000, RX, true, 0x1000 },
		{ 0x4df000, 0x31000, R, true, 0xdf000 },
		{ 0x510000, 0x5000, RW, true, 0x110000 },
		{ 0x515000, 0x1000, RW, false, 0 },
	};

	CHECK(plan_is(4, seg, 5, want, 0x115000, 0x516000));
}

/* two segments on one page: the union of their protections, file-backed */
static const struct elf_segment shared_page[] = {
	{ 0x1900, 0x1700, 0x2000, 0x100, RW },  /* listed first: order does not matter */
	{ 0x1000, 0x800, 0x10, 0x800, RX },
};

TEST(layout_shared_page)
{
	const struct layout_run want[] = {
		{ 0x1000, 0x1000, RW | RX, true, 0 },
		{ 0x2000, 0x1000, RW, false, 0 },
	};

	CHECK(plan_is(2, shared_page, 2, want, 0x1000, 0x3000));
}

TEST(layout_bss_only_and_merging)
{
	const struct elf_segment seg[] = {
		{ 0x1000, 0x1000, 0, 0x1000, R },
		{ 0x2000, 0x100, 0x1000, 0x100, R },        /* adjacent, same access */
		{ 0x10000, 0x3000, 0, 0, RW },              /* no file bytes at all */
	};
	const struct layout_run want[] = {
		{ 0x1000, 0x2000, R, true, 0 },
		{ 0x10000, 0x3000, RW, false, 0 },
	};

	CHECK(plan_is(3, seg, 2, want, 0x2000, 0x13000));
}

struct fill_ctx {
	const uint8_t *file;
	uint8_t *copy;
	uint64_t copy_len;
	int calls, fail_at;
};

static long copy_bytes(void *ctx, uint64_t to, uint64_t from, uint64_t len)
{
	struct fill_ctx *c = ctx;

	if (++c->calls == c->fail_at)
		return -12;
	if (to + len > c->copy_len)
		return -22;
	memcpy(c->copy + to, c->file + from, len);
	return 0;
}

/* each file byte at its vaddr's page offset, everything else left zero */
TEST(layout_fill_places_bytes)
{
	struct elf_image e = image_of(2, shared_page);
	static uint8_t file[0x2100];
	struct layout l;

	for (unsigned i = 0; i < sizeof file; i++)
		file[i] = (uint8_t)(i * 7 + 1) | 1;
	layout_plan(&e, &l);
	struct fill_ctx c = { file, calloc(1, l.file_bytes), l.file_bytes, 0, 0 };
	CHECK_EQ(layout_fill(&l, &e, copy_bytes, &c), 0);
	CHECK_EQ(c.calls, 2);
	for (unsigned i = 0; i < l.file_bytes; i++) {
		uint8_t want = i < 0x800 ? file[0x10 + i]
			     : i >= 0x900 && i < 0xa00 ? file[0x2000 + i - 0x900] : 0;
		if (c.copy[i] != want) {
			CHECK_EQ(c.copy[i], want);
			break;
		}
	}
	c.calls = 0;
	c.fail_at = 2;
	CHECK_EQ(layout_fill(&l, &e, copy_bytes, &c), -12);   /* the first error stops it */
	CHECK_EQ(c.calls, 2);
	free(c.copy);
}
