/* Frame reference counts: see frame_ref.h. */
#include <frame_ref.h>

#define EXTRA_MAX UINT16_MAX

size_t fr_bytes(uint64_t nframes)
{
	return nframes * sizeof(uint16_t);
}

void fr_init(struct frame_refs *r, uint16_t *storage, uint64_t nframes)
{
	for (uint64_t i = 0; i < nframes; i++)
		storage[i] = 0;
	r->extra = storage;
	r->nframes = nframes;
}

bool fr_get(struct frame_refs *r, uint64_t frame)
{
	if (frame >= r->nframes || r->extra[frame] == EXTRA_MAX)
		return false;
	r->extra[frame]++;
	return true;
}

bool fr_put(struct frame_refs *r, uint64_t frame)
{
	if (frame >= r->nframes || r->extra[frame] == 0)
		return true;
	r->extra[frame]--;
	return false;
}

bool fr_shared(const struct frame_refs *r, uint64_t frame)
{
	return frame < r->nframes && r->extra[frame] != 0;
}
