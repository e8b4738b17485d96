/* Memory: malloc of small and large blocks, brk, anonymous mmap, munmap,
 * mprotect, mremap. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

static int pattern_ok(const unsigned char *p, size_t n, unsigned char seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i))
			return 0;
	return 1;
}

static void fill(unsigned char *p, size_t n, unsigned char seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i);
}

int main(void)
{
	unsigned char *small[64];

	for (int i = 0; i < 64; i++) {
		small[i] = malloc(24 + i * 8);
		fill(small[i], 24 + i * 8, (unsigned char)i);
	}
	int good = 1;
	for (int i = 0; i < 64; i++) {
		good &= pattern_ok(small[i], 24 + i * 8, (unsigned char)i);
		free(small[i]);
	}
	CHECK(good);

	size_t big = 4 << 20;
	unsigned char *b = malloc(big);
	CHECK(b != NULL);
	fill(b, big, 7);
	CHECK(pattern_ok(b, big, 7));
	free(b);

	/* the raw system call: musl's sbrk() refuses to grow the break */
	char *cur = (char *)syscall(SYS_brk, 0);
	CHECK(cur != NULL);
	CHECK((char *)syscall(SYS_brk, cur + 8192) == cur + 8192);
	fill((unsigned char *)cur, 8192, 3);
	CHECK(pattern_ok((unsigned char *)cur, 8192, 3));
	CHECK((char *)syscall(SYS_brk, cur + 4096) == cur + 4096);
	CHECK((char *)syscall(SYS_brk, 0) == cur + 4096);

	unsigned char *m = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	CHECK(m[0] == 0 && m[65535] == 0);
	fill(m, 65536, 9);
	CHECK(pattern_ok(m, 65536, 9));
	CHECK(((uintptr_t)m & 4095) == 0);
	CHECK(mprotect(m, 4096, PROT_READ) == 0);
	CHECK(munmap(m, 65536) == 0);

	/* mremap: grown (moved if need be) with the contents kept, then shrunk */
	m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fill(m, 3 * 4096, 5);
	unsigned char *g = mremap(m, 3 * 4096, 8 * 4096, MREMAP_MAYMOVE);
	CHECK(g != MAP_FAILED && pattern_ok(g, 3 * 4096, 5) && g[8 * 4096 - 1] == 0);
	CHECK(mremap(g, 8 * 4096, 4096, 0) == g && pattern_ok(g, 4096, 5));
	CHECK(munmap(g, 4096) == 0);
	CHECK(mremap(g, 4096, 0, MREMAP_MAYMOVE) == MAP_FAILED && errno == EINVAL);
	/* nothing mapped there (g, the kernel half): EFAULT; a length that wraps
	 * when rounded to pages (past musl's check, which says ENOMEM): EINVAL */
	CHECK(mremap(g, 4096, 4096, 0) == MAP_FAILED && errno == EFAULT);
	CHECK(mremap((void *)0x8000000000000000, 8192, 4096, MREMAP_MAYMOVE) == MAP_FAILED &&
	      errno == EFAULT);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(syscall(SYS_mremap, m, 4096, -4095L, MREMAP_MAYMOVE, 0) == -1 && errno == EINVAL);
	CHECK(munmap(m, 4096) == 0);

	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap((void *)1, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED);
	return done();
}
