/* sched_getaffinity and sched_setaffinity, which taskset and musl's
 * sysconf(_SC_NPROCESSORS_ONLN) use. How many CPUs there are differs
 * between the host and Tessera; CPU 0 is in both masks. */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

int main(void)
{
	unsigned long mask[16] = { 0 }, none = 0, small;

	long n = syscall(SYS_sched_getaffinity, 0, sizeof mask, mask);
	CHECK(n > 0 && n % sizeof(long) == 0 && (mask[0] & 1));
	CHECK(syscall(SYS_sched_getaffinity, getpid(), sizeof mask, mask) == n);
	CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 1);
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 4, &small), EINVAL);
	CHECK_ERR(syscall(SYS_sched_getaffinity, 0, 12, mask), EINVAL);
	CHECK_ERR(syscall(SYS_sched_getaffinity, 99999, sizeof mask, mask), ESRCH);

	CHECK(syscall(SYS_sched_setaffinity, 0, n, mask) == 0);
	CHECK_ERR(syscall(SYS_sched_setaffinity, 0, sizeof none, &none), EINVAL);
	CHECK_ERR(syscall(SYS_sched_setaffinity, 99999, n, mask), ESRCH);

	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CHECK(sched_setaffinity(0, sizeof set, &set) == 0);
	CHECK(sched_getaffinity(0, sizeof set, &set) == 0 && CPU_ISSET(0, &set) && CPU_COUNT(&set) == 1);
	return done();
}
