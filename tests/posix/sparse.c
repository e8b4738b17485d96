/* Sparse files on tmpfs: ftruncate far out (768 MiB, 8 TiB) costs no
 * memory (st_blocks stays small), holes read as zeros, a write far out
 * takes one page, SEEK_DATA and SEEK_HOLE find it; a tmpfs mounted with
 * size=16m fills up with ENOSPC (statfs says so) and is whole again once
 * the file goes. In a tmpfs of its own (on Linux in a private mount
 * namespace: tests/posix/run.sh). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include "check.h"

#define DIR "/tmp/tessera-sparse"
#define MiB (1L << 20)
#define TiB (1L << 40)

static struct stat st;

static int all_zero(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i])
			return 0;
	return 1;
}

static void holes(void)
{
	static char buf[8192];
	int fd = open(DIR "/f", O_RDWR | O_CREAT | O_TRUNC, 0600);

	CHECK(fd >= 0);
	CHECK(ftruncate(fd, 768 * MiB) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 768 * MiB && st.st_blocks == 0);
	memset(buf, 'x', sizeof buf);
	CHECK(pread(fd, buf, sizeof buf, 500 * MiB) == sizeof buf && all_zero(buf, sizeof buf));
	CHECK(ftruncate(fd, 8 * TiB) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 8 * TiB && st.st_blocks == 0);
	CHECK(pread(fd, buf, 100, 8 * TiB - 50) == 50 && all_zero(buf, 50));
	CHECK(pwrite(fd, "data", 4, 1 * TiB + 10) == 4);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 8 * TiB && st.st_blocks == 8);
	CHECK(lseek(fd, 0, SEEK_DATA) == 1 * TiB);
	CHECK(lseek(fd, 0, SEEK_HOLE) == 0);
	CHECK(lseek(fd, 1 * TiB + 5, SEEK_DATA) == 1 * TiB + 5);
	CHECK(lseek(fd, 1 * TiB, SEEK_HOLE) == 1 * TiB + 4096);
	CHECK_ERR(lseek(fd, 1 * TiB + 4096, SEEK_DATA), ENXIO);
	CHECK_ERR(lseek(fd, 8 * TiB, SEEK_HOLE), ENXIO);
	CHECK(pread(fd, buf, 16, 1 * TiB + 8) == 16 && !memcmp(buf, "\0\0data\0\0", 8));
	/* cut back into the page: what grows again there is zeros */
	CHECK(ftruncate(fd, 1 * TiB + 12) == 0 && ftruncate(fd, 2 * TiB) == 0);
	CHECK(pread(fd, buf, 8, 1 * TiB + 8) == 8 && !memcmp(buf, "\0\0da\0\0\0\0", 8));
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0 && st.st_blocks == 0);
	CHECK_ERR(ftruncate(fd, -1), EINVAL);
	CHECK(lseek(fd, 0x7fffffffffffffffL, SEEK_SET) == 0x7fffffffffffffffL);
	CHECK_ERR(lseek(fd, 1, SEEK_CUR), EINVAL);
	CHECK_ERR(pwrite(fd, "x", 1, 0x7fffffffffffffffL), EINVAL);
	CHECK_ERR(write(fd, "x", 1), EINVAL);
	CHECK(lseek(fd, 0x7ffffffffffffff0L, SEEK_SET) == 0x7ffffffffffffff0L);
	CHECK(write(fd, "x", 1) == 1);      /* the last page there is */
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0x7ffffffffffffff1L && st.st_blocks == 8);
	CHECK(pread(fd, buf, 1, 0x7ffffffffffffffeL) == 0);
	CHECK_ERR(truncate(DIR "/f", -1), EINVAL);
	CHECK(truncate(DIR "/f", 5 * TiB) == 0 && stat(DIR "/f", &st) == 0 &&
	      st.st_size == 5 * TiB);
	CHECK(close(fd) == 0 && unlink(DIR "/f") == 0);
}

static void full(void)
{
	static char chunk[MiB];
	struct statfs sf;
	long written = 0, r = 0;
	int fd, n;

	CHECK(mount("t", DIR, "tmpfs", 0, "size=16m") == 0);
	CHECK(statfs(DIR, &sf) == 0 && sf.f_blocks == 4096 && sf.f_bfree == 4096);
	CHECK((fd = open(DIR "/big", O_WRONLY | O_CREAT, 0600)) >= 0);
	for (n = 0; n < 600 && (r = write(fd, chunk, sizeof chunk)) > 0; n++)
		written += r;
	CHECK(r == -1 && errno == ENOSPC);
	printf("writes: %d, bytes: %ld\n", n, written);
	CHECK(statfs(DIR, &sf) == 0 && sf.f_bfree == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 16 * MiB && st.st_blocks == 16 * MiB / 512);
	CHECK(pwrite(fd, "x", 1, 0) == 1);  /* within its pages: no more needed */
	/* a hole still fits, a byte in it does not */
	CHECK(ftruncate(fd, 64 * MiB) == 0);
	CHECK_ERR(pwrite(fd, "x", 1, 32 * MiB), ENOSPC);
	/* a remount may not shrink it below what it holds; it may grow it */
	CHECK_ERR(mount("t", DIR, "tmpfs", MS_REMOUNT, "size=8m"), EINVAL);
	CHECK(statfs(DIR, &sf) == 0 && sf.f_blocks == 4096);
	CHECK(mount("t", DIR, "tmpfs", MS_REMOUNT, "size=17m") == 0);
	CHECK(statfs(DIR, &sf) == 0 && sf.f_blocks == 17 * 256 && sf.f_bfree == 256);
	CHECK(pwrite(fd, chunk, sizeof chunk, 32 * MiB) == sizeof chunk);
	CHECK_ERR(pwrite(fd, "x", 1, 40 * MiB), ENOSPC);
	CHECK(close(fd) == 0 && unlink(DIR "/big") == 0);
	CHECK(statfs(DIR, &sf) == 0 && sf.f_bfree == 17 * 256);
	CHECK((fd = open(DIR "/again", O_WRONLY | O_CREAT, 0600)) >= 0);
	CHECK(write(fd, chunk, sizeof chunk) == sizeof chunk && close(fd) == 0);
	CHECK(umount(DIR) == 0);
	CHECK_ERR(mount("t", DIR, "tmpfs", 0, "size=16q"), EINVAL);
}

int main(void)
{
	mkdir(DIR, 0755);
	CHECK(mount("t", DIR, "tmpfs", 0, NULL) == 0);
	holes();
	CHECK(umount(DIR) == 0);
	full();
	CHECK(rmdir(DIR) == 0);
	return done();
}
