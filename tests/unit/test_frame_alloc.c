/* Host tests for the bitmap frame allocator (kernel/mm/frame_alloc.c). */
#include <stdint.h>
#include <stdlib.h>
#include "unit.h"
#include "frame_alloc.h"

#define MAXF 4096
static uint64_t bm[MAXF / 64 + 1];

/* An allocator over n frames, all free. */
static void setup(struct frame_alloc *fa, uint64_t n)
{
	fa_init(fa, bm, n);
	fa_release(fa, 0, n);
}

static uint64_t count_used(const struct frame_alloc *fa)
{
	uint64_t n = 0;

	for (uint64_t f = 0; f < fa->nframes; f++)
		n += fa_is_used(fa, f) != 0;
	return n;
}

TEST(fa_bitmap_bytes_rounds_to_words)
{
	CHECK_EQ(fa_bitmap_bytes(0), 0);
	CHECK_EQ(fa_bitmap_bytes(1), 8);
	CHECK_EQ(fa_bitmap_bytes(64), 8);
	CHECK_EQ(fa_bitmap_bytes(65), 16);
	CHECK_EQ(fa_bitmap_bytes(4096), 512);
}

TEST(fa_init_starts_all_used)
{
	struct frame_alloc fa;

	for (size_t i = 0; i < sizeof bm / 8; i++)
		bm[i] = 0;
	fa_init(&fa, bm, 100);
	CHECK_EQ(fa.free, 0);
	CHECK_EQ(count_used(&fa), 100);
	CHECK_EQ(fa_alloc(&fa, 1, 1), -1);
	CHECK_EQ(fa_alloc(&fa, 4, 4), -1);
	CHECK(fa_is_used(&fa, 100));	/* out of range reads as used */
	CHECK(fa_is_used(&fa, UINT64_MAX));
}

TEST(fa_empty_allocator)
{
	struct frame_alloc fa;

	fa_init(&fa, bm, 0);
	fa_release(&fa, 0, 10);
	CHECK_EQ(fa.free, 0);
	CHECK_EQ(fa_alloc(&fa, 1, 1), -1);
	CHECK_EQ(fa_free(&fa, 0, 1), -1);
}

TEST(fa_release_reserve_idempotent_and_clipped)
{
	struct frame_alloc fa;

	fa_init(&fa, bm, 100);
	fa_release(&fa, 10, 20);
	CHECK_EQ(fa.free, 20);
	fa_release(&fa, 15, 10);		/* already free: no change */
	CHECK_EQ(fa.free, 20);
	CHECK(fa_is_used(&fa, 9));
	CHECK(!fa_is_used(&fa, 10));
	CHECK(!fa_is_used(&fa, 29));
	CHECK(fa_is_used(&fa, 30));

	fa_release(&fa, 90, 1000);		/* clipped to 90..99 */
	CHECK_EQ(fa.free, 30);
	fa_release(&fa, 100, 5);		/* entirely past the end */
	fa_release(&fa, 500, UINT64_MAX);
	fa_release(&fa, 95, UINT64_MAX);	/* count that would overflow */
	CHECK_EQ(fa.free, 30);
	CHECK_EQ(count_used(&fa), 70);
	/* The tail bits past nframes must not have been cleared. */
	CHECK_EQ(bm[1] >> 36, (1ull << 28) - 1);

	fa_reserve(&fa, 20, 5);
	CHECK_EQ(fa.free, 25);
	fa_reserve(&fa, 20, 5);
	CHECK_EQ(fa.free, 25);
	fa_reserve(&fa, 0, 15);			/* half used already */
	CHECK_EQ(fa.free, 20);
	fa_reserve(&fa, 98, 50);		/* clipped */
	CHECK_EQ(fa.free, 18);
	fa_reserve(&fa, 200, 5);
	CHECK_EQ(fa.free, 18);
	CHECK_EQ(count_used(&fa), 100 - 18);
}

TEST(fa_single_until_exhausted)
{
	struct frame_alloc fa;
	static char seen[70];

	setup(&fa, 70);				/* not a multiple of 64 */
	CHECK_EQ(fa.free, 70);
	for (int i = 0; i < 70; i++) {
		int64_t f = fa_alloc(&fa, 1, 1);
		CHECK(f >= 0 && f < 70);
		if (f >= 0 && f < 70) {
			CHECK(!seen[f]);
			seen[f] = 1;
		}
		CHECK_EQ(fa.free, 69 - i);
	}
	CHECK_EQ(fa_alloc(&fa, 1, 1), -1);
	CHECK_EQ(fa.free, 0);
	CHECK_EQ(fa_free(&fa, 42, 1), 0);
	CHECK_EQ(fa_alloc(&fa, 1, 1), 42);
	CHECK_EQ(fa_alloc(&fa, 1, 1), -1);
}

TEST(fa_hint_next_fit_and_wrap)
{
	struct frame_alloc fa;

	setup(&fa, 128);
	for (int i = 0; i < 100; i++)
		CHECK_EQ(fa_alloc(&fa, 1, 1), i);
	CHECK_EQ(fa_free(&fa, 10, 10), 0);
	/* Next-fit: the hole behind the hint waits until the search wraps. */
	for (int i = 100; i < 128; i++)
		CHECK_EQ(fa_alloc(&fa, 1, 1), i);
	CHECK_EQ(fa.hint, 128);
	CHECK_EQ(fa_alloc(&fa, 1, 1), 10);
	CHECK_EQ(fa_alloc(&fa, 1, 1), 11);

	/* A hint inside a word whose free bits all lie below it. */
	setup(&fa, 128);
	fa_reserve(&fa, 5, 123);
	fa.hint = 70;
	CHECK_EQ(fa_alloc(&fa, 1, 1), 0);
	CHECK_EQ(fa.hint, 1);
	fa.hint = 3;
	CHECK_EQ(fa_alloc(&fa, 1, 1), 3);

	/* A stale hint past the end restarts at 0. */
	fa.hint = 1000;
	CHECK_EQ(fa_alloc(&fa, 1, 1), 1);

	/* Only free frame is in the hint's own word, below the hint. */
	setup(&fa, 64);
	fa_reserve(&fa, 0, 64);
	fa_release(&fa, 2, 1);
	fa.hint = 40;
	CHECK_EQ(fa_alloc(&fa, 1, 1), 2);
	CHECK_EQ(fa_alloc(&fa, 1, 1), -1);
}

TEST(fa_contig_alignment)
{
	struct frame_alloc fa;

	setup(&fa, 1024);
	fa_reserve(&fa, 1, 1);
	CHECK_EQ(fa_alloc(&fa, 2, 1), 2);	/* 0..1 blocked by frame 1 */
	CHECK_EQ(fa_alloc(&fa, 4, 4), 4);
	CHECK_EQ(fa_alloc(&fa, 8, 8), 8);
	CHECK_EQ(fa_alloc(&fa, 3, 16), 16);
	CHECK_EQ(fa_alloc(&fa, 1, 32), 0);	/* 0 is aligned to anything */
	CHECK_EQ(fa_alloc(&fa, 1, 1), 19);	/* runs leave the hint at 0 */

	int64_t f = fa_alloc(&fa, 100, 64);	/* spans word boundaries */
	CHECK_EQ(f, 64);
	for (int64_t i = 0; i < 100; i++)
		CHECK(fa_is_used(&fa, f + i));
	CHECK(!fa_is_used(&fa, f + 100));
	CHECK(fa_is_used(&fa, 19));
	CHECK(!fa_is_used(&fa, 20));
	CHECK(!fa_is_used(&fa, 63));

	f = fa_alloc(&fa, 5, 256);
	CHECK_EQ(f, 256);
	f = fa_alloc(&fa, 512, 512);
	CHECK_EQ(f, 512);
	CHECK_EQ(fa_alloc(&fa, 512, 512), -1);	/* 0 is the only other slot */
	CHECK_EQ(fa_alloc(&fa, 1, 1024), -1);	/* frame 0 is taken */
	CHECK_EQ(fa.free, 1024 - count_used(&fa));
}

TEST(fa_contig_result_is_aligned_and_was_free)
{
	struct frame_alloc fa;

	setup(&fa, 4096);
	/* Scatter used frames so runs have to skip around. */
	for (uint64_t i = 0; i < 4096; i += 37)
		fa_reserve(&fa, i, 1 + i % 5);
	for (uint64_t align = 1; align <= 256; align <<= 1) {
		for (uint64_t count = 1; count <= 40; count += 13) {
			uint64_t before = fa.free;
			int64_t f = fa_alloc(&fa, count, align);
			if (f < 0)
				continue;
			CHECK_EQ(f % align, 0);
			CHECK_EQ(fa.free, before - count);
			for (uint64_t i = 0; i < count; i++)
				CHECK(fa_is_used(&fa, f + i));
			/* Giving it back proves every frame was ours alone. */
			CHECK_EQ(fa_free(&fa, f, count), 0);
			CHECK_EQ(fa.free, before);
		}
	}
}

TEST(fa_contig_bad_args_and_fragmentation)
{
	struct frame_alloc fa;

	setup(&fa, 256);
	CHECK_EQ(fa_alloc(&fa, 0, 1), -1);
	CHECK_EQ(fa_alloc(&fa, 1, 0), -1);
	CHECK_EQ(fa_alloc(&fa, 2, 3), -1);	/* not a power of two */
	CHECK_EQ(fa_alloc(&fa, 257, 1), -1);
	CHECK_EQ(fa_alloc(&fa, UINT64_MAX, 1), -1);
	CHECK_EQ(fa.free, 256);

	/* Huge alignments must neither wrap nor hang. */
	CHECK_EQ(fa_alloc(&fa, 1, 1ull << 63), 0);
	CHECK_EQ(fa_alloc(&fa, 1, 1ull << 63), -1);
	CHECK_EQ(fa_alloc(&fa, 2, 1ull << 40), -1);
	CHECK_EQ(fa_free(&fa, 0, 1), 0);

	/* Every other frame used: 128 free, but never two adjacent. */
	for (uint64_t i = 0; i < 256; i += 2)
		fa_reserve(&fa, i, 1);
	CHECK_EQ(fa.free, 128);
	CHECK_EQ(fa_alloc(&fa, 2, 1), -1);
	CHECK_EQ(fa_alloc(&fa, 1, 2), -1);	/* all odd frames */
	CHECK_EQ(fa.free, 128);
	CHECK_EQ(fa_alloc(&fa, 1, 1), 1);
}

TEST(fa_contig_whole_range)
{
	struct frame_alloc fa;

	setup(&fa, 200);
	CHECK_EQ(fa_alloc(&fa, 200, 1), 0);
	CHECK_EQ(fa.free, 0);
	CHECK_EQ(fa_free(&fa, 0, 200), 0);
	fa_reserve(&fa, 199, 1);
	CHECK_EQ(fa_alloc(&fa, 200, 1), -1);
	CHECK_EQ(fa_alloc(&fa, 199, 1), 0);
}

TEST(fa_free_rejects_double_and_out_of_range)
{
	struct frame_alloc fa;

	setup(&fa, 100);
	int64_t f = fa_alloc(&fa, 4, 4);
	CHECK_EQ(f, 0);
	CHECK_EQ(fa_free(&fa, 1, 1), 0);
	CHECK_EQ(fa.free, 97);

	/* Frame 1 is already free: the whole call must change nothing. */
	CHECK_EQ(fa_free(&fa, 0, 4), -1);
	CHECK_EQ(fa.free, 97);
	CHECK(fa_is_used(&fa, 0));
	CHECK(!fa_is_used(&fa, 1));
	CHECK(fa_is_used(&fa, 2));
	CHECK(fa_is_used(&fa, 3));
	CHECK_EQ(fa_free(&fa, 1, 1), -1);
	CHECK_EQ(fa.free, 97);

	CHECK_EQ(fa_free(&fa, 2, 2), 0);
	CHECK_EQ(fa_free(&fa, 0, 1), 0);
	CHECK_EQ(fa.free, 100);

	fa_reserve(&fa, 90, 10);
	CHECK_EQ(fa_free(&fa, 95, 10), -1);	/* runs past the end */
	CHECK_EQ(fa_free(&fa, 100, 1), -1);
	CHECK_EQ(fa_free(&fa, 101, 0), -1);
	CHECK_EQ(fa_free(&fa, 99, UINT64_MAX), -1);
	CHECK_EQ(fa.free, 90);
	CHECK(fa_is_used(&fa, 95));
	CHECK_EQ(fa_free(&fa, 90, 10), 0);
	CHECK_EQ(fa.free, 100);
	CHECK_EQ(fa_free(&fa, 50, 0), 0);	/* nothing to free */
}

/* Random operations checked against a plain array model. */
TEST(fa_random_against_model)
{
	struct frame_alloc fa;
	static unsigned char model[1000];
	uint64_t n = 1000, nfree = 0;

	fa_init(&fa, bm, n);
	for (uint64_t i = 0; i < n; i++)
		model[i] = 1;
	srand(12345);
	for (int step = 0; step < 20000; step++) {
		uint64_t a = rand() % n, c = 1 + rand() % 20;
		uint64_t align = 1ull << (rand() % 5);
		int op = rand() % 6;

		if (op == 0) {
			fa_release(&fa, a, c);
			for (uint64_t i = a; i < a + c && i < n; i++)
				model[i] = 0;
		} else if (op == 1) {
			fa_reserve(&fa, a, c);
			for (uint64_t i = a; i < a + c && i < n; i++)
				model[i] = 1;
		} else if (op == 2) {
			int ok = a + c <= n;
			for (uint64_t i = a; ok && i < a + c; i++)
				ok = model[i];
			CHECK_EQ(fa_free(&fa, a, c), ok ? 0 : -1);
			for (uint64_t i = a; ok && i < a + c; i++)
				model[i] = 0;
		} else {
			if (op == 3)
				c = 1, align = 1;
			int64_t f = fa_alloc(&fa, c, align);
			if (f >= 0) {
				CHECK_EQ(f % align, 0);
				CHECK((uint64_t)f + c <= n);
				for (uint64_t i = f; i < f + c && i < n; i++) {
					CHECK(!model[i]);
					model[i] = 1;
				}
			} else if (op == 3) {
				for (uint64_t i = 0; i < n; i++)
					CHECK(model[i]);	/* -1 only if full */
			}
		}
		nfree = 0;
		for (uint64_t i = 0; i < n; i++)
			nfree += !model[i];
		CHECK_EQ(fa.free, nfree);
		if (fa.free != nfree)
			break;
	}
	for (uint64_t i = 0; i < n; i++)
		CHECK_EQ(fa_is_used(&fa, i), model[i]);
}
