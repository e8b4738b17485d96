/* Copies to and from a caller's memory that stop where it stops: a read
 * or write into a buffer that runs into an unmapped page moves the bytes
 * before that page, as Linux's do. */
#include "vfs.h"

long copy_upto(const struct ts_msg *m, uint64_t addr, void *buf, uint64_t n, int dir)
{
	uint64_t done = 0;

	if (ts_grant_copy(m->reply, addr, buf, n, dir) >= 0)
		return (long)n;
	/* rare: again a page at a time, to find the first that faults */
	while (done < n) {
		uint64_t piece = MIN(n - done, PAGE_BYTES - (addr + done) % PAGE_BYTES);
		if (ts_grant_copy(m->reply, addr + done, (uint8_t *)buf + done, piece, dir) < 0)
			break;
		done += piece;
	}
	return done ? (long)done : -EFAULT;
}
