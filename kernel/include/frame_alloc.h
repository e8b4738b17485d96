/*
 * Physical frame allocator: a bitmap over frame numbers (bit set = in use),
 * with contiguous, aligned allocation for DMA. Pure C with no kernel
 * dependencies, so it is unit-tested on the host.
 */
#ifndef FRAME_ALLOC_H
#define FRAME_ALLOC_H

#include <stdint.h>
#include <stddef.h>

struct frame_alloc {
	uint64_t *bitmap;     /* nframes bits, caller-provided storage */
	uint64_t nframes;
	uint64_t free;        /* frames currently free */
	uint64_t hint;        /* where the next single-frame search starts */
};

/* Bytes of bitmap storage needed for nframes frames. */
size_t fa_bitmap_bytes(uint64_t nframes);
/* Start with every frame in use; free ranges are then released into it. */
void fa_init(struct frame_alloc *fa, uint64_t *bitmap, uint64_t nframes);
/* Mark [first, first+count) free (clipped to nframes); idempotent. */
void fa_release(struct frame_alloc *fa, uint64_t first, uint64_t count);
/* Mark [first, first+count) used (clipped); idempotent. */
void fa_reserve(struct frame_alloc *fa, uint64_t first, uint64_t count);
/* Allocate count contiguous frames whose first frame number is a multiple
 * of align (a power of two, >= 1). Returns the first frame or -1. */
int64_t fa_alloc(struct frame_alloc *fa, uint64_t count, uint64_t align);
/* Free count frames at first; returns -1 (and changes nothing) if any of
 * them is out of range or already free (a double free), else 0. */
int fa_free(struct frame_alloc *fa, uint64_t first, uint64_t count);
int fa_is_used(const struct frame_alloc *fa, uint64_t frame);

#endif
