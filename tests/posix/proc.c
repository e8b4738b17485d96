/* Process identity and limits. */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "check.h"

int main(void)
{
	struct rlimit r;
	struct utsname u;

	CHECK(getpid() > 0);
	CHECK(getppid() >= 0);
	CHECK(getuid() == geteuid() && getgid() == getegid());
	CHECK(getpgrp() == getpgid(0));
	CHECK(getsid(0) > 0);
	CHECK(uname(&u) == 0 && strcmp(u.machine, "x86_64") == 0);
	CHECK(getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur > 0);
	CHECK(sysconf(_SC_PAGESIZE) == 4096);
	mode_t old = umask(027);
	CHECK(umask(old) == 027);
	return done();
}
