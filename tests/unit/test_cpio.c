/* The newc cpio reader, on archives built in memory. */
#include <stdlib.h>
#include "unit.h"
#include <cpio.h>
#include <tessera/errno.h>

static size_t add(char *buf, size_t off, const char *name, unsigned mode, const char *data)
{
	size_t namesize = strlen(name) + 1, size = data ? strlen(data) : 0;

	off += sprintf(buf + off, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		       1u, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, namesize, 0u);
	memcpy(buf + off, name, namesize);
	off = (off + namesize + 3) & ~(size_t)3;
	if (size)
		memcpy(buf + off, data, size);
	return (off + size + 3) & ~(size_t)3;
}

static size_t archive(char *buf)
{
	size_t off = 0;

	memset(buf, 0, 4096);
	off = add(buf, off, "bin", 040755, NULL);
	off = add(buf, off, "bin/hello", 0100755, "hello, world\n");
	off = add(buf, off, "bin/sh", 0120777, "busybox");
	return add(buf, off, "TRAILER!!!", 0, NULL);
}

TEST(cpio_reads_entries)
{
	char buf[4096];
	size_t len = archive(buf), off = 0;
	struct cpio_entry e;

	CHECK_EQ(cpio_next((uint8_t *)buf, len, &off, &e), 1);
	CHECK(e.namelen == 3 && memcmp(e.name, "bin", 3) == 0 && e.mode == 040755);
	CHECK_EQ(cpio_next((uint8_t *)buf, len, &off, &e), 1);
	CHECK(e.namelen == 9 && e.size == 13 && memcmp(e.data, "hello, world\n", 13) == 0);
	CHECK_EQ(cpio_next((uint8_t *)buf, len, &off, &e), 1);
	CHECK(e.mode == 0120777 && e.size == 7 && memcmp(e.data, "busybox", 7) == 0);
	CHECK_EQ(cpio_next((uint8_t *)buf, len, &off, &e), 0);
}

TEST(cpio_rejects_malformed)
{
	char buf[4096];
	size_t len = archive(buf), off;
	struct cpio_entry e;

	off = 0;
	buf[0] = '1';
	CHECK_EQ(cpio_next((uint8_t *)buf, len, &off, &e), -EINVAL);
	archive(buf);
	buf[10] = 'z';                                   /* not hex */
	off = 0;
	CHECK_EQ(cpio_next((uint8_t *)buf, len, &off, &e), -EINVAL);
	archive(buf);
	/* every truncation fails cleanly before the trailer */
	for (size_t cut = 0; cut < len - 120; cut++) {
		char *copy = malloc(cut ? cut : 1);
		memcpy(copy, buf, cut);
		off = 0;
		int r;
		while ((r = cpio_next((uint8_t *)copy, cut, &off, &e)) == 1)
			;
		CHECK(r == -EINVAL);
		free(copy);
	}
	off = len + 1;
	CHECK_EQ(cpio_next((uint8_t *)buf, len, &off, &e), -EINVAL);
}
