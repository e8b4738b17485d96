/*
 * File-backed mmap: fresh pages filled with the file's bytes, which the
 * VFS copies into a buffer of ours a chunk at a time (VFS_MAP_READ). The
 * first chunk is read before anything is mapped, so a refused mapping
 * (bad fd, no access, not a regular file) leaves the address space as it
 * was, MAP_FIXED or not. Past the end of the file the pages stay zero.
 */
#include "pm.h"
#include <proto/vfs_client.h>

#define CHUNK (64u << 10)

static uint8_t chunk[CHUNK];

/* The next chunk of fm's file into our buffer <- its byte count or -errno */
static long read_chunk(const struct file_map *fm, uint64_t done)
{
	return vfs_map_read_call(pm_vfs(), fm->pid, fm->fd, fm->off + done, (uint32_t)fm->prot,
				 (uint32_t)fm->flags, chunk, MIN(CHUNK, fm->len - done));
}

long file_map_check(struct file_map *fm)
{
	if (fm->off & 4095)
		return -EINVAL;
	if (fm->off + fm->len < fm->off)
		return -EOVERFLOW;
	fm->first = read_chunk(fm, 0);
	return fm->first < 0 ? fm->first : 0;
}

long file_map_fill(uint32_t proc, const struct file_map *fm, uint64_t addr)
{
	long n = fm->first;

	for (uint64_t done = 0; n > 0; done += CHUNK) {
		if (done && (n = read_chunk(fm, done)) <= 0)
			return n;
		if (ts_vm_write(proc, addr + done, chunk, (uint64_t)n))
			return -EFAULT;
		if ((uint64_t)n < CHUNK)
			break;
	}
	return 0;
}
