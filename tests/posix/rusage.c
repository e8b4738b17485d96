/* getrusage and wait4's rusage as time(1) reads them: user time grows with
 * work, touching fresh pages counts minor faults and makes them resident
 * (maxrss, VmRSS, stat's rss), a reaped child's usage goes to wait4's
 * rusage and to RUSAGE_CHILDREN; only bounds that hold on any machine. */
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include "check.h"

#define PAGES 100
/* Linux's resident counts lag (per-thread caches): expect half the pages */
#define RESIDENT_KB (PAGES * 2)

static double seconds(struct timeval tv)
{
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

/* Work until getrusage says 0.2 s more user time were used (a busy
 * host may give less CPU time than wall time), or 20 s passed. */
static void burn(void)
{
	struct rusage start, now;
	time_t give_up = time(NULL) + 20;
	volatile unsigned long x = 0;

	getrusage(RUSAGE_SELF, &start);
	do {
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
		getrusage(RUSAGE_SELF, &now);
	} while (seconds(now.ru_utime) - seconds(start.ru_utime) < 0.2 && time(NULL) < give_up);
}

/* PAGES fresh pages, each touched <- 0 or -1 */
static int touch_pages(void)
{
	char *p = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return -1;
	for (int i = 0; i < PAGES; i++)
		p[i * 4096] = 1;
	return 0;
}

static char buf[2048];

/* /proc/self/stat's minflt (field 10), utime and stime (14, 15, in ticks),
 * rss (24, in pages) */
static int stat_usage(unsigned long *minflt, unsigned long *utime, unsigned long *stime,
		      unsigned long *rss)
{
	char *end = read_file("/proc/self/stat", buf, sizeof buf) > 0 ? strrchr(buf, ')') : NULL;

	return end && sscanf(end + 2, "%*c %*d %*d %*d %*d %*d %*u %lu %*u %*u %*u %lu %lu "
			     "%*d %*d %*d %*d %*d %*d %*u %*u %lu", minflt, utime, stime, rss) == 4
		       ? 0 : -1;
}

/* /proc/self/status's VmRSS, in kB, or 0 */
static unsigned long vm_rss(void)
{
	char *line = read_file("/proc/self/status", buf, sizeof buf) > 0 ? strstr(buf, "\nVmRSS:")
									  : NULL;
	unsigned long kb = 0;

	return line && sscanf(line, "\nVmRSS: %lu kB", &kb) == 1 ? kb : 0;
}

int main(void)
{
	struct rusage a, b, child, children;
	int status;

	CHECK(getrusage(RUSAGE_SELF, &a) == 0);
	burn();
	CHECK(touch_pages() == 0);
	CHECK(getrusage(RUSAGE_SELF, &b) == 0);
	CHECK(seconds(b.ru_utime) - seconds(a.ru_utime) >= 0.1);
	CHECK(seconds(b.ru_stime) >= seconds(a.ru_stime));
	CHECK(b.ru_minflt - a.ru_minflt >= PAGES);
	CHECK(b.ru_maxrss >= RESIDENT_KB);
	unsigned long minflt, utime, stime, rss;
	CHECK(stat_usage(&minflt, &utime, &stime, &rss) == 0);
	CHECK(minflt >= PAGES && utime >= 10 && rss * 4 >= RESIDENT_KB);
	CHECK(vm_rss() >= RESIDENT_KB);
	CHECK(getrusage(RUSAGE_THREAD, &b) == 0);
	CHECK_ERR(getrusage(42, &b), EINVAL);

	pid_t pid = fork();
	if (pid == 0) {
		burn();
		_exit(touch_pages() != 0);
	}
	CHECK(wait4(pid, &status, 0, &child) == pid && status == 0);
	CHECK(seconds(child.ru_utime) >= 0.1 && child.ru_minflt >= PAGES);
	CHECK(child.ru_maxrss >= RESIDENT_KB);
	CHECK(getrusage(RUSAGE_CHILDREN, &children) == 0);
	CHECK(seconds(children.ru_utime) >= seconds(child.ru_utime) &&
	      children.ru_minflt >= child.ru_minflt && children.ru_maxrss >= child.ru_maxrss);
	printf("%s\n", failures ? "FAILED" : "done");
	return failures != 0;
}
