/* Conformance-test helpers: each check prints one deterministic line, so
 * that the output on Linux and on Tessera can be compared byte for byte. */
#ifndef POSIX_CHECK_H
#define POSIX_CHECK_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                       \
	do {                                                              \
		if (cond) {                                               \
			printf("ok   %s\n", #cond);                           \
		} else {                                                  \
			printf("FAIL %s (errno %d)\n", #cond, errno);         \
			failures++;                                       \
		}                                                         \
		fflush(stdout);                                           \
	} while (0)

/* a syscall that must fail with a given errno */
#define CHECK_ERR(call, err) CHECK((call) == -1 && errno == (err))

/* The contents of path in buf (NUL-terminated, at most size - 1 bytes):
 * its length or -1. */
static inline long read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, size - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	return r < 0 ? -1 : n;
}

/* Copy the file from into a new file to with exactly this mode (tests
 * that exec copies of themselves) <- 0, or -1 */
static inline int copy_file(const char *from, const char *to, mode_t mode)
{
	static char buf[1 << 16];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0700);
	ssize_t n;

	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	return close(out) | (int)n | chmod(to, mode);
}

/* Wait until pid sleeps in a call (state S in /proc/<pid>/stat): one it
 * makes next, after telling so <- 0, or -1 if it never does */
static inline int wait_asleep(pid_t pid)
{
	char path[64], stat[512];

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 1000; i++) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, stat, sizeof stat - 1);
		char *end = n > 0 ? (stat[n] = 0, strrchr(stat, ')')) : NULL;
		if (fd >= 0)
			close(fd);
		if (end && end[1] == ' ' && end[2] == 'S')
			return 0;
		usleep(10000);
	}
	return -1;
}

static inline int done(void)
{
	printf("%s\n", failures ? "some checks failed" : "all checks passed");
	fflush(stdout);         /* a child may leave with _exit */
	return failures != 0;
}

/* the wait status of a child that runs fn (and exits 0 if fn returns) */
static inline int fork_status(void (*fn)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

/* The processes /proc lists whose status has this line */
static inline int procs_listed(const char *line)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[300], status[2048];
	int n = 0;

	while (d && (e = readdir(d))) {
		snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' &&
		    read_file(path, status, sizeof status) > 0)
			n += strstr(status, line) != NULL;
	}
	if (d)
		closedir(d);
	return n;
}

static void (*checks_as_user)(void);

static inline void as_user_1000(void)
{
	/* root's setgid and setuid set the real, effective and saved ids */
	CHECK(setgroups(0, NULL) == 0 && setgid(1000) == 0 && setuid(1000) == 0);
	checks_as_user();
	done();
}

/* A test's checks as root, then again in a child as uid and gid 1000
 * with no supplementary groups: the wait status of that child */
static inline int as_root_and_user(void (*checks)(void))
{
	checks();
	checks_as_user = checks;
	return fork_status(as_user_1000);
}

#endif
