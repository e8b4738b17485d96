/*
 * Physical frame allocator: one bit per frame, set = in use.
 *
 * The bits of the last word past nframes stay set forever, so the
 * word-at-a-time searches never see phantom free frames and need no
 * special case for the tail. Single frames are found next-fit from
 * hint, which keeps the common case to a word or two; contiguous runs
 * are found first-fit from frame 0, where they are rarer and larger.
 */
#include <stdbool.h>
#include <frame_alloc.h>

static inline uint64_t nwords(uint64_t nframes)
{
	return (nframes + 63) / 64;
}

size_t fa_bitmap_bytes(uint64_t nframes)
{
	return nwords(nframes) * sizeof(uint64_t);
}

void fa_init(struct frame_alloc *fa, uint64_t *bitmap, uint64_t nframes)
{
	for (uint64_t i = 0; i < nwords(nframes); i++)
		bitmap[i] = ~0ull;
	fa->bitmap = bitmap;
	fa->nframes = nframes;
	fa->free = 0;
	fa->hint = 0;
}

/* Baseline x86_64 has no popcnt, and the builtin would become a libgcc
 * call; this is the usual SWAR count instead. */
static inline unsigned popcount64(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ull;
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (x * 0x0101010101010101ull) >> 56;
}

/* Bits [lo, hi) of a word, 0 <= lo < hi <= 64. */
static inline uint64_t span_mask(unsigned lo, unsigned hi)
{
	uint64_t m = hi == 64 ? ~0ull : (1ull << hi) - 1;
	return m & (~0ull << lo);
}

/* End of the part of [from, to) that lies in from's word. */
static inline unsigned span_hi(uint64_t from, uint64_t to)
{
	unsigned lo = from % 64;
	return to - from >= 64 - lo ? 64 : lo + (unsigned)(to - from);
}

/* First frame in [from, to) whose bit is used, or to if there is none. */
static uint64_t find_bit(const struct frame_alloc *fa, uint64_t from,
			 uint64_t to, bool used)
{
	while (from < to) {
		uint64_t w = from / 64;
		unsigned hi = span_hi(from, to);
		uint64_t bits = used ? fa->bitmap[w] : ~fa->bitmap[w];

		bits &= span_mask(from % 64, hi);
		if (bits)
			return w * 64 + __builtin_ctzll(bits);
		from = w * 64 + hi;
	}
	return to;
}

/* Set [from, to) to used, counting only bits that actually flip so that
 * release and reserve are idempotent. */
static void set_range(struct frame_alloc *fa, uint64_t from, uint64_t to,
		      bool used)
{
	while (from < to) {
		uint64_t w = from / 64;
		unsigned hi = span_hi(from, to);
		uint64_t cur = used ? ~fa->bitmap[w] : fa->bitmap[w];
		uint64_t flip = cur & span_mask(from % 64, hi);
		uint64_t n = popcount64(flip);

		fa->bitmap[w] ^= flip;
		fa->free = used ? fa->free - n : fa->free + n;
		from = w * 64 + hi;
	}
}

/* End of [first, first+count) clipped to nframes, without overflow. */
static uint64_t clip_end(const struct frame_alloc *fa, uint64_t first,
			 uint64_t count)
{
	if (first >= fa->nframes)
		return first;
	return count > fa->nframes - first ? fa->nframes : first + count;
}

void fa_release(struct frame_alloc *fa, uint64_t first, uint64_t count)
{
	set_range(fa, first, clip_end(fa, first, count), false);
}

void fa_reserve(struct frame_alloc *fa, uint64_t first, uint64_t count)
{
	set_range(fa, first, clip_end(fa, first, count), true);
}

static int64_t alloc_one(struct frame_alloc *fa)
{
	uint64_t n = nwords(fa->nframes);
	uint64_t h = fa->hint < fa->nframes ? fa->hint : 0;
	uint64_t w = h / 64;
	uint64_t bits = ~fa->bitmap[w] & (~0ull << (h % 64));

	/* n + 1 words: the hint's own word comes round again, whole, last. */
	for (uint64_t i = 0; !bits; ) {
		if (++i > n)
			return -1;	/* only if free lied */
		w = w + 1 == n ? 0 : w + 1;
		bits = ~fa->bitmap[w];
	}
	uint64_t f = w * 64 + __builtin_ctzll(bits);

	fa->bitmap[w] |= 1ull << (f % 64);
	fa->free--;
	fa->hint = f + 1;
	return (int64_t)f;
}

static int64_t alloc_run(struct frame_alloc *fa, uint64_t count, uint64_t align)
{
	uint64_t start = 0;

	while (start <= fa->nframes && count <= fa->nframes - start) {
		uint64_t end = start + count;
		uint64_t used = find_bit(fa, start, end, true);

		if (used == end) {
			set_range(fa, start, end, true);
			return (int64_t)start;
		}
		/* Skip the used run a word at a time, then align up; written so
		 * that a huge align cannot wrap start back to 0. */
		start = find_bit(fa, used + 1, fa->nframes, false);
		if (start & (align - 1)) {
			uint64_t last = start | (align - 1);
			if (last >= fa->nframes)
				return -1;
			start = last + 1;
		}
	}
	return -1;
}

int64_t fa_alloc(struct frame_alloc *fa, uint64_t count, uint64_t align)
{
	if (count == 0 || align == 0 || (align & (align - 1)) || count > fa->free)
		return -1;
	if (count == 1 && align == 1)
		return alloc_one(fa);
	return alloc_run(fa, count, align);
}

int fa_free(struct frame_alloc *fa, uint64_t first, uint64_t count)
{
	if (first > fa->nframes || count > fa->nframes - first)
		return -1;
	if (find_bit(fa, first, first + count, false) != first + count)
		return -1;
	set_range(fa, first, first + count, false);
	return 0;
}

/* Frames past the end count as used: nobody may ever be handed them. */
int fa_is_used(const struct frame_alloc *fa, uint64_t frame)
{
	if (frame >= fa->nframes)
		return 1;
	return (fa->bitmap[frame / 64] >> (frame % 64)) & 1;
}
