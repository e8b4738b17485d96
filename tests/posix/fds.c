/* File descriptors on the standard streams: write, writev, dup, dup2,
 * fcntl, close, bad descriptors, descriptors up to RLIMIT_NOFILE. */
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <unistd.h>
#include "check.h"

int main(void)
{
	static const char line[] = "written with write(2)\n";
	struct iovec iov[3] = {
		{ "written ", 8 }, { "with ", 5 }, { "writev(2)\n", 10 },
	};

	CHECK(write(1, line, sizeof line - 1) == sizeof line - 1);
	CHECK(writev(1, iov, 3) == 23);
	int d = dup(1);
	CHECK(d >= 3);
	CHECK(write(d, "through dup\n", 12) == 12);
	CHECK(dup2(1, 20) == 20);
	CHECK(write(20, "through dup2\n", 13) == 13);
	CHECK(fcntl(20, F_GETFD) == 0);
	CHECK(fcntl(20, F_SETFD, FD_CLOEXEC) == 0);
	CHECK(fcntl(20, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(1, F_DUPFD, 30) == 30);
	CHECK(close(20) == 0);
	CHECK_ERR(close(20), EBADF);
	CHECK_ERR(write(20, "x", 1), EBADF);
	CHECK_ERR(write(-1, "x", 1), EBADF);
	CHECK_ERR(dup2(99999, 3), EBADF);
	CHECK_ERR(fcntl(77, F_GETFD), EBADF);
	CHECK_ERR(write(1, (void *)16, 4), EFAULT);
	/* any descriptor below RLIMIT_NOFILE (1024 here, whatever the host's
	 * default): ash saves stdout above 255 to run "echo >&255" */
	struct rlimit lim = { 1024, 1024 };
	CHECK(setrlimit(RLIMIT_NOFILE, &lim) == 0);
	CHECK(fcntl(1, F_DUPFD_CLOEXEC, 256) == 256);
	CHECK(dup2(1, 1023) == 1023);
	CHECK(write(1023, "through descriptor 1023\n", 24) == 24);
	CHECK(close(1023) == 0 && close(256) == 0);
	CHECK_ERR(dup2(1, 1024), EBADF);
	CHECK_ERR(fcntl(1, F_DUPFD, 1024), EINVAL);
	return done();
}
