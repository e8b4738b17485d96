/* The generator: splitmix64 from (seed, index), and the values system calls
 * break on: bad pointers (NULL, kernel half, non-canonical, page
 * boundaries), pointers to valid buffers and paths, valid fds, and wide
 * integers (bits above 32, -1, 0, INT_MAX + 1, huge sizes). */
#include "fuzz.h"

static const char *const paths[] = {
	"/tmp/fz0", "/tmp/fz1", "/tmp/fzd", "/tmp/fzd/x", "/tmp", "/", ".", "..", "",
	"/dev/null", "/dev/zero", "/dev/tty", "/dev/ptmx", "/proc/self/maps",
	"/proc/self/status", "/proc/1/stat", "/proc/self/fd/0", "/etc/passwd",
	"/tmp/fz0/", "/tmp/fzl", "//tmp///fz1",
};

const char *gen_path(unsigned i)
{
	return paths[i];
}

unsigned gen_paths(void)
{
	return sizeof paths / sizeof paths[0];
}

uint64_t rnd(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t mix(uint64_t seed, uint64_t index)
{
	uint64_t s = seed ^ (index * 0xd1342543de82ef95ull);

	return rnd(&s);
}

static const uint64_t edges[] = {
	0, 1, 2, 3, -1ull, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
	0x7fffffffffffffff, 0x8000000000000000, 4095, 4096, 4097, 1ull << 31 | 1,
	1ull << 40, 1ull << 47, 0xfffffffffffff000, -4096ull + 1, 255, 256, 65536,
};

/* A pointer that is wrong in one of the ways the kernel must refuse. */
static uint64_t bad_pointer(uint64_t *s)
{
	uint64_t r = rnd(s);

	switch (r % 9) {
	case 0: return 0;
	case 1: return 0xffff800000000000 + (r >> 16 & 0xffffff000);  /* direct map */
	case 2: return 0xffffffff80000000 + (r >> 16 & 0xfffff8);     /* kernel image */
	case 3: return 0x0000800000000000;                             /* non-canonical */
	case 4: return 0x00007ffffffff000 + (r >> 20 & 0xfff);         /* top user page */
	case 5: return FUZZ_BUF + FUZZ_BUF_SIZE - (r >> 8 & 63);       /* ends unmapped */
	case 6: return FUZZ_RO + (r >> 8 & 0xfff);                     /* read-only */
	case 7: return 0xfffffffffffff000 + (r >> 8 & 0xfff);
	default: return r & 0xffff;                                    /* low, unmapped */
	}
}

/* A pointer into the buffers: a path, the iovecs, or anywhere. */
static uint64_t good_pointer(uint64_t *s)
{
	uint64_t r = rnd(s);

	switch (r % 4) {
	case 0: return FUZZ_BUF + (r >> 8) % gen_paths() * 64;
	case 1: return FUZZ_BUF + 0x2000 + (r >> 8 & 0x70);            /* iovecs */
	case 2: return FUZZ_BUF + 0x3000;
	default: return FUZZ_BUF + ((r >> 8) % FUZZ_BUF_SIZE & ~7ul);
	}
}

static uint64_t gen_arg(uint64_t *s)
{
	uint64_t r = rnd(s);

	switch (r % 12) {
	case 0: case 1: return r >> 8 & 15;                           /* small */
	case 2: return (r >> 8) % FUZZ_NFDS;                          /* fd */
	case 3: return (r >> 8) % FUZZ_NFDS | (r >> 16 & 3) << 32;    /* wide fd */
	case 4: case 5: return edges[(r >> 8) % (sizeof edges / sizeof edges[0])];
	case 6: return (1ull << (r >> 8 & 63)) - (r >> 16 & 1);       /* 2^k, 2^k - 1 */
	case 7: return bad_pointer(s);
	case 8: case 9: return good_pointer(s);
	case 10: return r >> 32;                                       /* flags, 32 bits */
	default: return rnd(s);
	}
}

void gen_args(uint64_t *state, uint64_t arg[6])
{
	for (int i = 0; i < 6; i++)
		arg[i] = gen_arg(state);
}
