/* File mappings: MAP_PRIVATE and read-only MAP_SHARED of a regular file,
 * offsets, the zeroed tail of the last page, private stores that do not
 * reach the file, MAP_FIXED over an anonymous mapping, and the errors mmap
 * gives for bad descriptors, access modes, offsets and unmappable files. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "check.h"

#define PAGE 4096
#define SIZE (3 * PAGE + 100)           /* ends part way into a page */
#define PATH "/tmp/mmapfile.data"

static unsigned char byte_at(size_t i) { return (unsigned char)(i * 7 + i / PAGE); }

static int make_file(void)
{
	static unsigned char buf[SIZE];
	int fd = open(PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (size_t i = 0; i < SIZE; i++)
		buf[i] = byte_at(i);
	if (fd < 0 || write(fd, buf, SIZE) != SIZE)
		return -1;
	return fd;
}

static int matches(const unsigned char *p, size_t from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != byte_at(from + i))
			return 0;
	return 1;
}

static int zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void private_mappings(int fd)
{
	unsigned char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK(matches(p, 0, SIZE));
	CHECK(zero(p + SIZE, 4 * PAGE - SIZE));
	p[0] = 0xAA;
	p[SIZE - 1] = 0xBB;
	unsigned char first;
	CHECK(pread(fd, &first, 1, 0) == 1 && first == byte_at(0));
	CHECK(munmap(p, SIZE) == 0);

	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 2 * PAGE);
	CHECK(p != MAP_FAILED && matches(p, 2 * PAGE, PAGE));
	CHECK(munmap(p, PAGE) == 0);

	p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 3 * PAGE);
	CHECK(p != MAP_FAILED && matches(p, 3 * PAGE, 100) && zero(p + 100, PAGE - 100));
	CHECK(munmap(p, 2 * PAGE) == 0);
}

static void shared_and_fixed(int fd)
{
	unsigned char *p = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED && matches(p, 0, SIZE));
	CHECK(munmap(p, SIZE) == 0);

	unsigned char *a = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(a != MAP_FAILED);
	a[0] = a[PAGE] = 1;
	p = mmap(a + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, PAGE);
	CHECK(p == a + PAGE);
	CHECK(a[0] == 1 && matches(p, PAGE, PAGE));
	CHECK(munmap(a, 2 * PAGE) == 0);

	/* with MAP_ANONYMOUS the descriptor is ignored */
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, fd, 0);
	CHECK(p != MAP_FAILED && zero(p, PAGE));
	CHECK(munmap(p, PAGE) == 0);
}

static void errors(int fd)
{
	int wronly = open(PATH, O_WRONLY), rdonly = open(PATH, O_RDONLY), dir = open("/", O_RDONLY);
	int pipefd[2];

	CHECK(wronly >= 0 && rdonly >= 0 && dir >= 0 && pipe(pipefd) == 0);
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED && errno == EBADF);
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wronly, 0) == MAP_FAILED &&
	      errno == EACCES);
	CHECK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rdonly, 0) == MAP_FAILED &&
	      errno == EACCES);
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED &&
	      errno == EINVAL);
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pipefd[0], 0) == MAP_FAILED &&
	      errno == ENODEV);
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pipefd[1], 0) == MAP_FAILED &&
	      errno == EACCES);
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dir, 0) == MAP_FAILED && errno == ENODEV);
	/* a read-only private mapping of a read-only descriptor is fine */
	unsigned char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, rdonly, 0);
	CHECK(p != MAP_FAILED && matches(p, 0, PAGE));
	CHECK(munmap(p, PAGE) == 0);
	close(wronly);
	close(rdonly);
	close(dir);
}

int main(void)
{
	int fd = make_file();

	CHECK(fd >= 0);
	private_mappings(fd);
	shared_and_fixed(fd);
	errors(fd);
	close(fd);
	unlink(PATH);
	return done();
}
