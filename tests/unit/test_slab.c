/* Host tests for the slab allocator (kernel/mm/slab.c). */
#include <stdint.h>
#include <stdlib.h>
#include "unit.h"
#include "slab.h"

/*
 * A page source over aligned_alloc that counts what is outstanding and
 * checks every free against the matching allocation.
 */
#define MAXBLK 4096
static struct {
	void *p[MAXBLK];
	size_t n[MAXBLK];
	size_t nblk;
	size_t pages;		/* outstanding */
	size_t calls;		/* alloc_pages calls */
	size_t limit;		/* max outstanding pages */
	int bad_free;
} cs;

static void *cs_alloc(size_t npages, void *ctx)
{
	(void)ctx;
	cs.calls++;
	if (npages == 0 || cs.pages + npages > cs.limit || cs.nblk == MAXBLK)
		return NULL;
	void *p = aligned_alloc(SLAB_PAGE_SIZE, npages * SLAB_PAGE_SIZE);
	if (!p)
		return NULL;
	memset(p, 0xcd, npages * SLAB_PAGE_SIZE);	/* no free zeroes */
	cs.p[cs.nblk] = p;
	cs.n[cs.nblk++] = npages;
	cs.pages += npages;
	return p;
}

static void cs_free(void *p, size_t npages, void *ctx)
{
	(void)ctx;
	for (size_t i = 0; i < cs.nblk; i++) {
		if (cs.p[i] != p)
			continue;
		if (cs.n[i] != npages)
			cs.bad_free = 1;
		cs.pages -= cs.n[i];
		cs.p[i] = cs.p[--cs.nblk];
		cs.n[i] = cs.n[cs.nblk];
		free(p);
		return;
	}
	cs.bad_free = 1;
}

static const struct page_source cs_src = { cs_alloc, cs_free, NULL };

/* Give back what the allocator still holds (its spare slabs) so that
 * LeakSanitizer stays quiet; the next setup() re-initialises the slab. */
static void teardown(void)
{
	while (cs.nblk)
		cs_free(cs.p[cs.nblk - 1], cs.n[cs.nblk - 1], NULL);
}

static void setup(size_t limit)
{
	teardown();
	memset(&cs, 0, sizeof cs);
	cs.limit = limit;
	slab_init(&cs_src);
}

static size_t stat_pages(void)
{
	struct slab_stats st;
	slab_get_stats(&st);
	return st.pages_in_use;
}

static size_t stat_objs(void)
{
	struct slab_stats st;
	slab_get_stats(&st);
	return st.objects_in_use;
}

static int all_bytes(const void *p, int c, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != (unsigned char)c)
			return 0;
	return 1;
}

TEST(slab_zero_size_and_null_free)
{
	setup(1000);
	CHECK(slab_alloc(0) == NULL);
	CHECK(slab_zalloc(0) == NULL);
	slab_free(NULL);
	CHECK_EQ(cs.calls, 0);
	CHECK_EQ(stat_objs(), 0);
	CHECK_EQ(stat_pages(), 0);
	teardown();
}

TEST(slab_every_class_size_and_alignment)
{
	setup(1000);
	for (size_t cls = 16; cls <= 2048; cls <<= 1) {
		size_t sizes[] = { cls / 2 + 1, cls - 1, cls };
		for (int k = 0; k < 3; k++) {
			size_t sz = cls == 16 ? 1 + (size_t)k * 7 : sizes[k];
			void *p = slab_alloc(sz);
			CHECK(p != NULL);
			if (!p)
				continue;
			CHECK_EQ(slab_size(p), cls);
			CHECK_EQ((uintptr_t)p % cls, 0);	/* natural */
			CHECK((uintptr_t)p % SLAB_PAGE_SIZE + cls <= SLAB_PAGE_SIZE);
			memset(p, 0x5a, sz);
			slab_free(p);
		}
	}
	/* Every size up to 2048 rounds up to a power of two, at most 2x. */
	for (size_t sz = 1; sz <= 2048; sz++) {
		void *p = slab_alloc(sz);
		size_t us = p ? slab_size(p) : 0;
		CHECK(us >= sz && us >= 16 && (us & (us - 1)) == 0);
		CHECK(us == 16 || us < 2 * sz);
		slab_free(p);
	}
	CHECK_EQ(stat_objs(), 0);
	CHECK_EQ(cs.bad_free, 0);
	teardown();
}

/* Fill many objects of each class with their own pattern, then check
 * none was disturbed: overlapping objects would clobber each other. */
TEST(slab_objects_distinct_across_pages)
{
	enum { N = 300 };
	static unsigned char *objs[N];

	setup(4000);
	for (size_t cls = 16; cls <= 2048; cls <<= 1) {
		for (int i = 0; i < N; i++) {
			objs[i] = slab_alloc(cls);
			CHECK(objs[i] != NULL);
			if (objs[i])
				memset(objs[i], (i * 7 + (int)cls) & 0xff, cls);
		}
		for (int i = 0; i < N; i++)
			if (objs[i])
				CHECK(all_bytes(objs[i], (i * 7 + (int)cls) & 0xff, cls));
		CHECK_EQ(stat_objs(), N);
		CHECK(stat_pages() >= N * cls / SLAB_PAGE_SIZE);
		CHECK_EQ(stat_pages(), cs.pages);
		for (int i = 0; i < N; i++)
			slab_free(objs[i]);
		CHECK_EQ(stat_objs(), 0);
	}
	CHECK_EQ(cs.bad_free, 0);
	teardown();
}

TEST(slab_reuse_after_free)
{
	setup(1000);
	void *a = slab_alloc(100);
	void *b = slab_alloc(100);
	CHECK(a && b && a != b);
	slab_free(a);
	void *c = slab_alloc(120);		/* same class, 128 */
	CHECK(c == a);
	void *d = slab_alloc(64);		/* other class, other page */
	CHECK(d != a && d != b);
	CHECK(((uintptr_t)d & ~4095ul) != ((uintptr_t)a & ~4095ul));
	CHECK_EQ(cs.calls, 2);
	slab_free(b);
	slab_free(c);
	slab_free(d);
	CHECK_EQ(stat_objs(), 0);
	teardown();
}

TEST(slab_large_via_page_source)
{
	setup(1000);
	size_t sizes[] = { 2049, 4000, 4096, 8192, 100000 };
	for (int i = 0; i < 5; i++) {
		size_t before = cs.pages;
		unsigned char *p = slab_alloc(sizes[i]);
		CHECK(p != NULL);
		if (!p)
			continue;
		size_t us = slab_size(p);
		CHECK(us >= sizes[i]);
		CHECK((uintptr_t)p % 16 == 0);
		CHECK(cs.pages - before >= (sizes[i] + 4095) / 4096);
		CHECK(cs.pages - before <= (sizes[i] + 4095) / 4096 + 1);
		CHECK_EQ(stat_pages(), cs.pages);
		CHECK_EQ(stat_objs(), 1);
		memset(p, 0x77, us);		/* ASan: all of it is ours */
		CHECK(all_bytes(p, 0x77, us));
		slab_free(p);
		CHECK_EQ(cs.pages, before);
		CHECK_EQ(stat_objs(), 0);
	}
	CHECK(slab_alloc(SIZE_MAX) == NULL);
	CHECK(slab_alloc(SIZE_MAX - 4096) == NULL);
	CHECK_EQ(cs.bad_free, 0);
	CHECK_EQ(cs.pages, 0);
	teardown();
}

TEST(slab_pages_return_to_source_when_empty)
{
	enum { N = 1000 };
	static void *objs[N];

	setup(1000);
	for (int i = 0; i < N; i++)
		objs[i] = slab_alloc(64);
	size_t peak = cs.pages;
	CHECK(peak >= N * 64 / SLAB_PAGE_SIZE);
	CHECK(peak <= N / (SLAB_PAGE_SIZE / 64 - 1) + 1);
	/* Free in an interleaved order so slabs go full -> partial -> empty. */
	for (int i = 0; i < N; i += 2)
		slab_free(objs[i]);
	CHECK_EQ(cs.pages, peak);		/* every slab still half used */
	for (int i = 1; i < N; i += 2)
		slab_free(objs[i]);
	CHECK(cs.pages <= 1);			/* at most one spare is kept */
	CHECK_EQ(stat_pages(), cs.pages);
	CHECK_EQ(stat_objs(), 0);

	/* The spare is used before asking the source again. */
	size_t calls = cs.calls;
	void *p = slab_alloc(64);
	CHECK_EQ(cs.calls, calls + (cs.pages == 0));
	slab_free(p);
	void *q = slab_alloc(2048);		/* one object per slab */
	void *r = slab_alloc(2048);
	size_t held = cs.pages;
	slab_free(q);
	slab_free(r);
	CHECK(cs.pages < held);
	CHECK(cs.pages <= 2);			/* one spare per class used */
	CHECK_EQ(cs.bad_free, 0);
	teardown();
}

TEST(slab_zalloc_zeroes)
{
	setup(1000);
	for (size_t sz = 1; sz <= 5000; sz = sz * 3 + 1) {
		unsigned char *p = slab_alloc(sz);
		CHECK(p != NULL);
		if (!p)
			continue;
		memset(p, 0xaa, slab_size(p));
		slab_free(p);
		unsigned char *z = slab_zalloc(sz);
		CHECK(z != NULL);
		if (z)
			CHECK(all_bytes(z, 0, sz));
		if (sz <= 2048)
			CHECK(z == p);		/* same dirty object came back */
		slab_free(z);
	}
	cs.limit = 0;
	CHECK(slab_zalloc(5000) == NULL);
	teardown();
}

TEST(slab_stats_track_pages_and_objects)
{
	setup(1000);
	void *a = slab_alloc(16);
	void *b = slab_alloc(16);
	CHECK_EQ(stat_objs(), 2);
	CHECK_EQ(stat_pages(), 1);
	void *c = slab_alloc(1024);
	CHECK_EQ(stat_pages(), 2);
	void *d = slab_alloc(3 * 4096);
	CHECK_EQ(stat_objs(), 4);
	CHECK_EQ(stat_pages(), cs.pages);
	CHECK(stat_pages() >= 5);
	slab_free(d);
	CHECK_EQ(stat_pages(), 2);
	slab_free(a);
	slab_free(b);
	slab_free(c);
	CHECK_EQ(stat_objs(), 0);
	CHECK_EQ(stat_pages(), cs.pages);
	teardown();
}

TEST(slab_exhaustion_returns_null)
{
	setup(0);
	CHECK(slab_alloc(16) == NULL);
	CHECK(slab_alloc(2048) == NULL);
	CHECK(slab_alloc(4096) == NULL);
	CHECK_EQ(stat_objs(), 0);
	CHECK_EQ(stat_pages(), 0);

	/* One page: a slab fills up, then the next object needs a page. */
	setup(1);
	int n = 0;
	while (slab_alloc(512) != NULL && n < 100)
		n++;
	CHECK(n >= 6 && n <= 7);
	CHECK_EQ(stat_objs(), n);
	CHECK(slab_alloc(5000) == NULL);
	CHECK_EQ(stat_pages(), 1);
	teardown();
}

/* Random mixed alloc/free with every byte of every object verified. */
TEST(slab_random_stress)
{
	enum { N = 512 };
	static unsigned char *p[N];
	static size_t sz[N];

	setup(100000);
	srand(777);
	for (int step = 0; step < 20000; step++) {
		int i = rand() % N;
		if (p[i]) {
			CHECK(all_bytes(p[i], i & 0xff, sz[i]));
			slab_free(p[i]);
			p[i] = NULL;
		} else {
			sz[i] = rand() % 8 ? 1 + rand() % 2048 : 2049 + rand() % 20000;
			p[i] = slab_alloc(sz[i]);
			CHECK(p[i] != NULL);
			if (p[i])
				memset(p[i], i & 0xff, sz[i]);
		}
	}
	size_t live = 0;
	for (int i = 0; i < N; i++) {
		if (!p[i])
			continue;
		live++;
		CHECK(all_bytes(p[i], i & 0xff, sz[i]));
	}
	CHECK_EQ(stat_objs(), live);
	CHECK_EQ(stat_pages(), cs.pages);
	for (int i = 0; i < N; i++) {
		slab_free(p[i]);
		p[i] = NULL;
	}
	CHECK_EQ(stat_objs(), 0);
	CHECK(cs.pages <= 8);		/* only spares are left */
	CHECK_EQ(cs.bad_free, 0);
	teardown();
}
