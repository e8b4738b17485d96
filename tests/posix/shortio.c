/* read, write, readv and writev with a buffer that runs into an unmapped
 * page (two pages mapped, the second unmapped): a file moves the bytes
 * before the fault and says how many (EFAULT only if none); a pipe moves
 * its pages the caller's buffer takes or gives whole, as Linux's does. */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/uio.h>
#include "check.h"

#define FILE_ "/tmp/tessera-shortio"

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	char *edge = buf + page - 100;          /* 100 bytes before the hole */
	static char data[3 * 4096], back[3 * 4096];
	int fd, p[2];

	CHECK(buf != MAP_FAILED && munmap(buf + page, page) == 0);
	for (int i = 0; i < (int)sizeof data; i++)
		data[i] = (char)('a' + i % 26);
	memcpy(buf, data, page);

	/* a file */
	CHECK((fd = open(FILE_, O_RDWR | O_CREAT | O_TRUNC, 0600)) >= 0);
	CHECK(write(fd, edge, 300) == 100);
	CHECK(lseek(fd, 0, SEEK_CUR) == 100);
	CHECK(write(fd, buf + page, 10) == -1 && errno == EFAULT);
	struct iovec wv[2] = { { data, 50 }, { edge, 300 } };
	CHECK(writev(fd, wv, 2) == 150);
	CHECK(pwrite(fd, data, sizeof data, 0) == sizeof data);
	CHECK(lseek(fd, 10, SEEK_SET) == 10);
	CHECK(read(fd, edge, 300) == 100 && !memcmp(edge, data + 10, 100));
	CHECK(lseek(fd, 0, SEEK_CUR) == 110);
	CHECK(read(fd, buf + page, 10) == -1 && errno == EFAULT);
	CHECK(pread(fd, edge, 300, 0) == 100);
	struct iovec rv[2] = { { back, 20 }, { edge, 300 } };
	CHECK(readv(fd, rv, 2) == 120 && !memcmp(back, data + 110, 20));
	CHECK(lseek(fd, 0, SEEK_CUR) == 230);
	CHECK(close(fd) == 0 && unlink(FILE_) == 0);

	/* a pipe: a page of the buffer is all or nothing */
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], edge, 300) == -1 && errno == EFAULT);
	CHECK(write(p[1], buf, page + 100) == page);
	CHECK(read(p[0], edge, 300) == -1 && errno == EFAULT);
	CHECK(read(p[0], back, 3 * page) == page && !memcmp(back, buf, page));
	CHECK(write(p[1], data, 2 * page) == 2 * page);
	CHECK(read(p[0], buf, 2 * page) == page && !memcmp(buf, data, page));
	CHECK(read(p[0], back, 2 * page) == page && !memcmp(back, data + page, page));
	CHECK(close(p[0]) == 0 && close(p[1]) == 0);
	return done();
}
