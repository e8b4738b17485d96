/* Descriptors are unsigned ints, as Linux takes them: bits above the low
 * 32 of a descriptor argument do not count, so close(3 | 1 << 32) closes
 * 3 (and must not take the file server down with it); other int
 * arguments (modes, flags, counts) the same. Raw syscalls: the C
 * library's wrappers would cut the argument to an int first. */
#define _GNU_SOURCE
#include <poll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include "check.h"

#define HIGH (1L << 32)

int main(void)
{
	char buf[8] = { 0 };
	struct iovec iov = { buf, 2 };
	struct rlimit lim = { 1024, 1024 };     /* Tessera's, whatever the host's */

	CHECK(setrlimit(RLIMIT_NOFILE, &lim) == 0);

	for (int i = 3; i < 1024; i++)      /* what the host's runner left open */
		close(i);
	int fd = open("/tmp/tessera-fdwidth", O_RDWR | O_CREAT | O_TRUNC, 0600);

	CHECK(fd == 3);
	CHECK(syscall(SYS_write, fd | HIGH, "abcdef", 6) == 6);
	CHECK(syscall(SYS_lseek, fd | HIGH, 1L, SEEK_SET | HIGH) == 1);
	CHECK(syscall(SYS_read, fd | HIGH, buf, 2) == 2 && !memcmp(buf, "bc", 2));
	CHECK(syscall(SYS_readv, fd | HIGH, &iov, 1) == 2 && !memcmp(buf, "de", 2));
	CHECK(syscall(SYS_pread64, fd | HIGH, buf, 1, 5L) == 1 && buf[0] == 'f');
	CHECK(syscall(SYS_fcntl, fd | HIGH, F_GETFD | HIGH) == 0);
	CHECK(syscall(SYS_fcntl, fd | HIGH, F_SETFD, FD_CLOEXEC) == 0);
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC);
	CHECK(syscall(SYS_fcntl, 9999 | HIGH, F_SETFD, 0L) == -1 && errno == EBADF);
	CHECK(syscall(SYS_dup, fd | HIGH) == 4);
	CHECK(syscall(SYS_dup2, fd | HIGH, 7 | HIGH) == 7);
	CHECK(syscall(SYS_dup3, fd | HIGH, 8 | HIGH, O_CLOEXEC) == 8);
	CHECK(fcntl(8, F_GETFD) == FD_CLOEXEC);
	CHECK_ERR(syscall(SYS_dup3, fd, fd | HIGH, 0L), EINVAL);
	CHECK_ERR(syscall(SYS_dup3, fd, 9L, (long)O_NONBLOCK), EINVAL);
	CHECK_ERR(syscall(SYS_dup2, fd, 1024 | HIGH), EBADF);
	CHECK(syscall(SYS_close, 8 | HIGH) == 0 && syscall(SYS_close, 7 | HIGH) == 0);
	CHECK(syscall(SYS_close, 4 | HIGH) == 0);
	CHECK(syscall(SYS_close, fd | HIGH) == 0);
	CHECK_ERR(fcntl(fd, F_GETFD), EBADF);
	CHECK_ERR(syscall(SYS_close, fd | HIGH), EBADF);
	CHECK_ERR(syscall(SYS_close, -1L), EBADF);
	CHECK_ERR(syscall(SYS_close, 0xffffffffL | HIGH), EBADF);
	/* other int arguments */
	int p[2];
	struct pollfd pfd = { 1, POLLOUT, 0 };
	CHECK(syscall(SYS_access, "/tmp", R_OK | HIGH) == 0);
	CHECK(syscall(SYS_pipe2, p, O_CLOEXEC | HIGH) == 0 && fcntl(p[0], F_GETFD) == FD_CLOEXEC);
	CHECK(syscall(SYS_poll, &pfd, 1 | HIGH, 0L) == 1 && pfd.revents == POLLOUT);
	CHECK(syscall(SYS_select, 0 | HIGH, NULL, NULL, NULL, &(struct timeval){ 0, 0 }) == 0);
	CHECK(close(p[0]) == 0 && close(p[1]) == 0);
	/* the server is still there for everyone */
	CHECK((fd = open("/tmp/tessera-fdwidth", O_RDONLY)) == 3 && close(fd) == 0);
	CHECK(unlink("/tmp/tessera-fdwidth") == 0);
	return done();
}
