/* Resource limits are enforced, as Linux's: RLIMIT_NOFILE (EMFILE, dup2's
 * EBADF, F_DUPFD's and poll's EINVAL), RLIMIT_FSIZE (a short write, then
 * EFBIG and SIGXFSZ; truncate too), RLIMIT_STACK (the stack an exec gets),
 * RLIMIT_CPU (SIGXCPU at the soft limit, SIGKILL at the hard one); they are
 * inherited across fork and exec; prlimit of another process takes its
 * ids or root's; raising a hard limit takes root. As root and uid 1000. */
#define _GNU_SOURCE
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "check.h"

static const char *self;
static volatile sig_atomic_t xfsz, xcpu;

static void on_xfsz(int sig) { (void)sig; xfsz++; }
static void on_xcpu(int sig) { (void)sig; xcpu++; }

static void closefrom3(void)
{
	for (int i = 3; i < 1024; i++)
		close(i);
}

static void calls(void)
{
	struct rlimit r = { 10, 5 };

	CHECK_ERR(setrlimit(RLIMIT_NLIMITS, &r), EINVAL);
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EINVAL);       /* soft above hard */
	CHECK_ERR(getrlimit(RLIMIT_NLIMITS, &r), EINVAL);
	r = (struct rlimit){ 64, 1 << 30 };                     /* past fs.nr_open */
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &r), EPERM);
	CHECK_ERR(prlimit(99999, RLIMIT_NOFILE, NULL, &r), ESRCH);
	CHECK_ERR(prlimit(99999, RLIMIT_NLIMITS, NULL, &r), ESRCH);
	CHECK_ERR(syscall(SYS_getrlimit, RLIMIT_NOFILE, NULL), EFAULT);
	CHECK_ERR(syscall(SYS_setrlimit, RLIMIT_NOFILE, NULL), EFAULT);
}

/* new descriptors are below the soft limit */
static void nofile(void)
{
	struct rlimit r = { 16, 1024 };
	struct pollfd p[17] = { 0 };
	int fds[2], n = 0;

	closefrom3();
	CHECK(setrlimit(RLIMIT_NOFILE, &r) == 0);
	while (open("/dev/null", O_RDONLY) >= 0)
		n++;
	printf("nofile 16: %d opened, then %s\n", n, strerror(errno));
	CHECK_ERR(pipe(fds), EMFILE);
	CHECK_ERR(dup(0), EMFILE);
	close(15);
	CHECK_ERR(dup2(0, 16), EBADF);
	CHECK(dup2(0, 15) == 15);
	CHECK_ERR(fcntl(0, F_DUPFD, 16), EINVAL);
	CHECK(poll(p, 16, 0) >= 0);
	CHECK_ERR(poll(p, 17, 0), EINVAL);
	closefrom3();
	CHECK(pipe(fds) == 0 && fds[1] == 4);
	closefrom3();
	r.rlim_cur = 1024;
	CHECK(setrlimit(RLIMIT_NOFILE, &r) == 0);
}

static void on_fsize(int sig)
{
	struct sigaction sa = { .sa_handler = sig ? on_xfsz : SIG_DFL };

	sigaction(SIGXFSZ, &sa, NULL);
}

/* writes end at the soft limit; past it EFBIG and SIGXFSZ (run by
 * through_pipe: the output, a file on Linux, is past it too) */
static void fsize(void)
{
	struct rlimit r = { 100, RLIM_INFINITY };
	static char buf[150];
	int fd = open("/tmp/rlimits.f", O_RDWR | O_CREAT | O_TRUNC, 0600), status;

	CHECK(fd >= 0);
	on_fsize(1);
	xfsz = 0;
	CHECK(setrlimit(RLIMIT_FSIZE, &r) == 0);
	CHECK(write(fd, buf, sizeof buf) == 100);
	CHECK(xfsz == 0);
	CHECK_ERR(write(fd, buf, 1), EFBIG);
	CHECK(xfsz == 1);
	CHECK_ERR(ftruncate(fd, 101), EFBIG);
	CHECK(xfsz == 2);
	CHECK(ftruncate(fd, 50) == 0 && ftruncate(fd, 100) == 0);
	CHECK(pwrite(fd, buf, 10, 95) == 5);
	CHECK_ERR(truncate("/tmp/rlimits.f", 1000), EFBIG);
	CHECK(xfsz == 3);
	on_fsize(0);
	pid_t pid = fork();
	if (pid == 0) {
		write(fd, buf, 1);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGXFSZ);
	r.rlim_cur = RLIM_INFINITY;
	CHECK(setrlimit(RLIMIT_FSIZE, &r) == 0);
	CHECK(write(fd, buf, 1) == 1);
	close(fd);
	unlink("/tmp/rlimits.f");
}

/* fn in a child whose output goes through a pipe, which no limit on file
 * sizes applies to */
static int through_pipe(void (*fn)(void))
{
	int p[2], status = -1;
	char buf[512];
	ssize_t n;

	if (pipe(p))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		failures = 0;
		fn();
		fflush(stdout);
		_exit(failures != 0);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof buf)) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	fflush(stdout);
	close(p[0]);
	waitpid(pid, &status, 0);
	return status;
}

/* a child run by exec: the limits it has, and whether its stack takes
 * kib KiB */
static int exec_child(const char *kib)
{
	struct rlimit r;
	long n = atol(kib) << 10;

	getrlimit(RLIMIT_NOFILE, &r);
	printf("after exec: nofile %lu/%lu\n", (unsigned long)r.rlim_cur,
	       (unsigned long)r.rlim_max);
	fflush(stdout);
	volatile char *p = alloca(n);
	for (long i = 0; i < n; i += 4096)
		p[i] = 1;
	printf("stack: %s KiB used\n", kib);
	return 0;
}

static int run_exec(const char *kib)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		execl(self, "rlimits", "child", kib, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return status;
}

/* limits are inherited across fork and exec; the stack an exec gets is
 * RLIMIT_STACK's */
static void lowered(void)
{
	struct rlimit r = { 20, 30 };
	int status;

	CHECK(setrlimit(RLIMIT_NOFILE, &r) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		getrlimit(RLIMIT_NOFILE, &r);
		_exit(r.rlim_cur == 20 && r.rlim_max == 30 ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	CHECK(run_exec("64") == 0);
}

static void inherit(void)
{
	struct rlimit stack = { 16 << 20, RLIM_INFINITY };
	int status;

	CHECK(fork_status(lowered) == 0);
	CHECK(setrlimit(RLIMIT_STACK, &stack) == 0);
	CHECK(run_exec("12288") == 0);
	stack.rlim_cur = 2 << 20;
	CHECK(setrlimit(RLIMIT_STACK, &stack) == 0);
	status = run_exec("4096");
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	stack.rlim_cur = 8 << 20;
	CHECK(setrlimit(RLIMIT_STACK, &stack) == 0);
}

/* SIGXCPU at the soft limit (and the soft limit steps on), SIGKILL at the
 * hard one */
static void cpu(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit r = { 1, 2 };
		struct sigaction sa = { .sa_handler = on_xcpu };
		sigaction(SIGXCPU, &sa, NULL);
		setrlimit(RLIMIT_CPU, &r);
		while (!xcpu)
			;
		getrlimit(RLIMIT_CPU, &r);
		printf("SIGXCPU; soft limit now %lu\n", (unsigned long)r.rlim_cur);
		fflush(stdout);
		for (;;)
			;
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGKILL);
}

/* RLIMIT_DATA bounds private writable mappings and the break, RLIMIT_AS
 * all mappings (mmap, mremap, brk: ENOMEM) */
static void memory_limits(void)
{
	struct rlimit data = { 1 << 20, RLIM_INFINITY }, as;
	size_t big = 4 << 20;
	void *p;

	CHECK(setrlimit(RLIMIT_DATA, &data) == 0);
	CHECK(mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
	      MAP_FAILED && errno == ENOMEM);
	CHECK((p = mmap(NULL, big, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) != MAP_FAILED);
	CHECK(munmap(p, big) == 0);
	CHECK(sbrk((intptr_t)big) == (void *)-1 && errno == ENOMEM);
	data.rlim_cur = RLIM_INFINITY;
	CHECK(setrlimit(RLIMIT_DATA, &data) == 0);
	CHECK((p = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) !=
	      MAP_FAILED);
	/* the address space now, and room for 6 MiB more */
	getrlimit(RLIMIT_AS, &as);
	as.rlim_cur = 256 << 20;
	CHECK(setrlimit(RLIMIT_AS, &as) == 0);
	CHECK(mmap(NULL, 512 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == ENOMEM);
	CHECK(mremap(p, big, 512 << 20, MREMAP_MAYMOVE) == MAP_FAILED && errno == ENOMEM);
	CHECK((p = mremap(p, big, 2 * big, MREMAP_MAYMOVE)) != MAP_FAILED);
	CHECK(sbrk(512 << 20) == (void *)-1 && errno == ENOMEM);
}

/* prlimit of another process: its ids or root's */
static void others(void)
{
	struct rlimit r, lim = { 40, 50 };
	int go[2], status;
	char c;

	CHECK(pipe(go) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		read(go[0], &c, 1);
		getrlimit(RLIMIT_NOFILE, &r);
		_exit(r.rlim_cur == 40 ? 0 : 1);
	}
	CHECK(prlimit(pid, RLIMIT_NOFILE, &lim, &r) == 0 && r.rlim_cur == 1024);
	CHECK(prlimit(pid, RLIMIT_NOFILE, NULL, &r) == 0 && r.rlim_max == 50);
	CHECK(write(go[1], "", 1) == 1 && waitpid(pid, &status, 0) == pid && status == 0);
	if (getuid()) {
		CHECK_ERR(prlimit(1, RLIMIT_NOFILE, NULL, &r), EPERM);
	}
	close(go[0]), close(go[1]);
}

/* raising a hard limit takes root (CAP_SYS_RESOURCE, which the host's
 * root may lack: not tried) */
static void hard(void)
{
	struct rlimit r = { 100, 200 };

	CHECK(setrlimit(RLIMIT_CORE, &r) == 0);
	r.rlim_max = 300;
	if (getuid())
		CHECK_ERR(setrlimit(RLIMIT_CORE, &r), EPERM);
	CHECK(getrlimit(RLIMIT_CORE, &r) == 0);
	printf("core: %lu/%lu\n", (unsigned long)r.rlim_cur, (unsigned long)r.rlim_max);
	fflush(stdout);
}

static void run(void)
{
	printf("as uid %d\n", (int)getuid());
	fflush(stdout);
	calls();
	nofile();
	CHECK(through_pipe(fsize) == 0);
	inherit();
	cpu();
	CHECK(fork_status(memory_limits) == 0);
	others();
	hard();
}

static void as_user(void)
{
	CHECK(setgroups(0, NULL) == 0 && setresgid(1000, 1000, 1000) == 0 &&
	      setresuid(1000, 1000, 1000) == 0);
	run();
	done();
}

int main(int argc, char **argv)
{
	struct rlimit r = { 1024, 1024 };

	if (argc == 3 && !strcmp(argv[1], "child"))
		return exec_child(argv[2]);
	self = "/proc/self/exe";
	closefrom3();
	CHECK(setrlimit(RLIMIT_NOFILE, &r) == 0);       /* Tessera's, whatever the host's */
	run();
	CHECK(fork_status(as_user) == 0);
	return done();
}
