/* Address-space bounds: huge ranges cost time and memory in proportion to
 * what is in them, not to their size (munmap of 64 TiB of nothing, 1 TiB
 * of PROT_NONE reservations); Linux's overcommit refuses a private
 * writable mapping larger than memory (mmap, brk, mprotect); brk(-1) and
 * ranges past user space are refused as Linux refuses them; RLIMIT_AS
 * bounds the mappings, and only root raises its hard limit. A touch that
 * a page's protection refuses costs no memory (SEGV_ACCERR, no frame). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"

#define GiB (1ull << 30)
#define RESERVATIONS 16

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* VmRSS of this process, in kB */
static long rss_kb(void)
{
	char buf[4096], *s;

	if (read_file("/proc/self/status", buf, sizeof buf) < 0 || !(s = strstr(buf, "VmRSS:")))
		return -1;
	return strtol(s + 6, NULL, 10);
}

static int mapped(void *at)
{
	return mprotect(at, 4096, PROT_READ) == 0;
}

/* 64 TiB of nothing but one page, away from the image, the heap, the stack
 * and the mappings on both systems, gone in no time */
static void huge_munmap(void)
{
	char *lo = (char *)0x100000000000ull, *page = lo + 0x123456000ull;
	CHECK(mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		   -1, 0) == page);
	page[0] = 1;
	double t = now();
	CHECK(munmap(lo, 0x400000000000ull) == 0);
	CHECK(now() - t < 1.0);
	CHECK(!mapped(page) && errno == ENOMEM);
}

static void child_exit7(void)
{
	_exit(7);
}

/* 16 reservations of 64 GiB: no memory until touched */
static void reservations(void)
{
	char *r[RESERVATIONS];
	long before = rss_kb();
	int ok = 1;

	for (int i = 0; i < RESERVATIONS; i++) {
		r[i] = mmap(NULL, 64 * GiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ok &= r[i] != MAP_FAILED;
	}
	CHECK(ok);
	CHECK(rss_kb() - before < 1024);
	int status = fork_status(child_exit7);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	/* a part made accessible works; all of it cannot be committed */
	char *mid = r[3] + 5 * GiB + 3 * 4096;
	CHECK(mprotect(mid, 8192, PROT_READ | PROT_WRITE) == 0);
	mid[0] = 1, mid[8191] = 2;
	CHECK(mid[0] == 1 && mid[8191] == 2 && mid[4096] == 0);
	CHECK_ERR(mprotect(r[5], 64 * GiB, PROT_READ | PROT_WRITE), ENOMEM);
	CHECK(mprotect(r[5], 0, PROT_READ | PROT_WRITE) == 0);
	ok = 1;
	for (int i = 0; i < RESERVATIONS; i++)
		ok &= munmap(r[i], 64 * GiB) == 0;
	CHECK(ok);
	CHECK(!mapped(mid));
}

static void overcommit(void)
{
	char *cur = (char *)syscall(SYS_brk, 0);

	CHECK(mmap(NULL, 256 * GiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
	      == MAP_FAILED && errno == ENOMEM);
	CHECK((char *)syscall(SYS_brk, cur + 256 * GiB) == cur);
	CHECK((char *)syscall(SYS_brk, (char *)-1) == cur);
	CHECK((char *)syscall(SYS_brk, 0) == cur);
	/* the break still grows, and the program still runs its own code */
	CHECK((char *)syscall(SYS_brk, cur + 8192) == cur + 8192);
	cur[8191] = 5;
	CHECK(cur[8191] == 5);
	void *m = malloc(1 << 20);
	CHECK(m != NULL);
	free(m);
}

static void past_user_space(void)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
	char *kernel = (char *)0xffff800000000000ull, *top = (char *)0x7ffffffff000ull;

	CHECK(mmap(kernel, 4096, PROT_READ, flags, -1, 0) == MAP_FAILED && errno == ENOMEM);
	CHECK(mmap(top, 4096, PROT_READ, flags, -1, 0) == MAP_FAILED && errno == ENOMEM);
	CHECK(mmap(top - 0x10000, 0x20000, PROT_READ, flags, -1, 0) == MAP_FAILED &&
	      errno == ENOMEM);
	CHECK_ERR(munmap(kernel, 4096), EINVAL);
	CHECK_ERR(munmap(top, 4096), EINVAL);
	CHECK_ERR(mprotect(kernel, 4096, PROT_READ), ENOMEM);
	CHECK_ERR(mprotect(top - 0x10000, (size_t)-1, PROT_READ), ENOMEM);
	/* a hint there is only a hint */
	char *m = mmap(kernel, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED && (uintptr_t)m < (uintptr_t)top);
	CHECK(munmap(m, 4096) == 0);
	/* an offset not in whole pages, a file's or not */
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 7) == MAP_FAILED &&
	      errno == EINVAL);
	/* page 0: root's (below vm.mmap_min_addr; uid 1000's is EPERM) */
	CHECK(mmap(NULL, 4096, PROT_READ, flags, -1, 0) == NULL);
	CHECK(munmap(NULL, 4096) == 0);
}

/* in a child: as root, then as uid 1000, which may lower the limit only */
static void address_space_limit(void)
{
	struct rlimit lim = { 256 << 20, 256 << 20 }, got;
	char *cur = (char *)syscall(SYS_brk, 0);

	CHECK(setrlimit(RLIMIT_AS, &lim) == 0);
	CHECK(getrlimit(RLIMIT_AS, &got) == 0 && got.rlim_cur == lim.rlim_cur &&
	      got.rlim_max == lim.rlim_max);
	CHECK(mmap(NULL, 512 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == ENOMEM);
	char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	CHECK((char *)syscall(SYS_brk, cur + (512 << 20)) == cur);
	CHECK(munmap(m, 1 << 20) == 0);
	CHECK(setuid(1000) == 0);
	lim.rlim_max = 512 << 20;
	CHECK_ERR(setrlimit(RLIMIT_AS, &lim), EPERM);
	lim = (struct rlimit){ 128 << 20, 200 << 20 };
	CHECK(setrlimit(RLIMIT_AS, &lim) == 0);
	CHECK(mmap(NULL, 192 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == ENOMEM);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
	      MAP_FAILED && errno == EPERM);
	_exit(failures != 0);
}

static sigjmp_buf refused;
static int refused_code;

static void on_segv(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	refused_code = info->si_code;
	siglongjmp(refused, 1);
}

/* 4096 PROT_NONE pages each touched once, each touch refused as an access
 * error, and no frame spent on them */
static void refused_touches(void)
{
	enum { PAGES = 4096 };
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	char *m = mmap(NULL, PAGES * 4096ul, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long before = rss_kb();
	volatile int i, accerr = 0;

	CHECK(m != MAP_FAILED && sigaction(SIGSEGV, &sa, NULL) == 0);
	for (i = 0; i < PAGES; i++)
		if (!sigsetjmp(refused, 1))
			m[i * 4096ul] = 1;
		else
			accerr += refused_code == SEGV_ACCERR;
	CHECK(accerr == PAGES);
	CHECK(rss_kb() - before < 1024);
	signal(SIGSEGV, SIG_DFL);
	CHECK(munmap(m, PAGES * 4096ul) == 0);
}

int main(void)
{
	huge_munmap();
	refused_touches();
	reservations();
	overcommit();
	past_user_space();
	int status = fork_status(address_space_limit);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return done();
}
