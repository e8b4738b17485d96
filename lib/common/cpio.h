/* Reading "newc" cpio archives (the initramfs format). Pure code: used by
 * the VFS and unit-tested on the host. */
#ifndef CPIO_H
#define CPIO_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct cpio_entry {
	const char *name;          /* not NUL-terminated: namelen bytes */
	size_t namelen;
	uint32_t ino, mode, uid, gid, nlink;
	uint64_t mtime;
	const uint8_t *data;
	uint64_t size;
};

/* The entry at *offset: returns 1 and advances *offset past it, 0 at the
 * trailer, or -EINVAL for a malformed archive (bad magic, a field that is
 * not hex, a name or data running past len). */
int cpio_next(const uint8_t *archive, size_t len, size_t *offset, struct cpio_entry *e);

#endif
