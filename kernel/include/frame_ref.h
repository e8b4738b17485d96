/*
 * Reference counts for frames shared between address spaces (copy-on-write
 * fork): one counter per frame number, so every operation is O(1). A count
 * is the number of holders beyond the first: a frame fresh from the frame
 * allocator (one holder) needs no initialisation, and 0 means private. Pure
 * C with no kernel dependencies, so it is unit-tested on the host.
 */
#ifndef FRAME_REF_H
#define FRAME_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct frame_refs {
	uint16_t *extra;      /* nframes counters, caller-provided storage */
	uint64_t nframes;
};

/* Bytes of counter storage needed for nframes frames. */
size_t fr_bytes(uint64_t nframes);
/* Every frame starts private (one holder). */
void fr_init(struct frame_refs *r, uint16_t *storage, uint64_t nframes);
/* One more holder of frame. False, changing nothing, if the frame cannot be
 * shared (out of range, or its counter is full): the caller copies instead. */
bool fr_get(struct frame_refs *r, uint64_t frame);
/* One holder fewer: true if that was the last one, and the caller frees it. */
bool fr_put(struct frame_refs *r, uint64_t frame);
/* Does more than one holder share frame? */
bool fr_shared(const struct frame_refs *r, uint64_t frame);

#endif
