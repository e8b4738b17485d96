/* Host tests for the frame reference counts (kernel/mm/frame_ref.c). */
#include <stdint.h>
#include "unit.h"
#include "frame_ref.h"

#define NF 64
static uint16_t store[NF];

static void setup(struct frame_refs *r)
{
	for (unsigned i = 0; i < NF; i++)
		store[i] = 0xAAAA;      /* garbage that init must clear */
	fr_init(r, store, NF);
}

TEST(fr_bytes_is_one_counter_per_frame)
{
	CHECK_EQ(fr_bytes(0), 0);
	CHECK_EQ(fr_bytes(1), 2);
	CHECK_EQ(fr_bytes(131072), 262144);
}

TEST(fr_fresh_frames_are_private)
{
	struct frame_refs r;

	setup(&r);
	for (uint64_t f = 0; f < NF; f++)
		CHECK(!fr_shared(&r, f));
	CHECK(fr_put(&r, 5));           /* the only holder lets go: free it */
}

TEST(fr_last_put_frees)
{
	struct frame_refs r;

	setup(&r);
	CHECK(fr_get(&r, 7));           /* fork: two holders */
	CHECK(fr_get(&r, 7));           /* fork again: three */
	CHECK(fr_shared(&r, 7));
	CHECK(!fr_shared(&r, 6));
	CHECK(!fr_shared(&r, 8));
	CHECK(!fr_put(&r, 7));
	CHECK(fr_shared(&r, 7));
	CHECK(!fr_put(&r, 7));          /* one holder left: private again */
	CHECK(!fr_shared(&r, 7));
	CHECK(fr_put(&r, 7));
}

TEST(fr_counts_are_per_frame)
{
	struct frame_refs r;

	setup(&r);
	for (uint64_t f = 0; f < NF; f++)
		for (uint64_t i = 0; i < f; i++)
			CHECK(fr_get(&r, f));
	for (uint64_t f = 0; f < NF; f++) {
		uint64_t puts = 1;
		while (!fr_put(&r, f))
			puts++;
		CHECK_EQ(puts, f + 1);
	}
}

TEST(fr_out_of_range_is_never_shared)
{
	struct frame_refs r;

	setup(&r);
	CHECK(!fr_get(&r, NF));
	CHECK(!fr_get(&r, UINT64_MAX));
	CHECK(!fr_shared(&r, NF));
	CHECK(fr_put(&r, NF));
	CHECK_EQ(store[NF - 1], 0);
}

TEST(fr_full_counter_refuses_another_holder)
{
	struct frame_refs r;

	setup(&r);
	store[3] = UINT16_MAX - 1;
	CHECK(fr_get(&r, 3));
	CHECK(!fr_get(&r, 3));          /* full: the caller copies instead */
	CHECK_EQ(store[3], UINT16_MAX);
	CHECK(!fr_put(&r, 3));
	CHECK(fr_get(&r, 3));
}
