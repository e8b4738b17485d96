/* /proc is read while processes come and go: a reader reads every
 * process's stat, status, maps and task list over and over while waves
 * of children, each with hundreds of mappings (thousands of region nodes
 * together, more than one chunk of the process manager's pool), start and
 * exit at once, so that the PM gives whole chunks back (vmmap.c) and frees
 * entries its info thread may be reading. On one CPU an answer is seldom
 * cut short mid-way; the grace period itself is unit-tested (test_retire).
 * Everything is reaped and the reader ends well; as root and as uid 1000. */
#define _GNU_SOURCE
#include <dirent.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "check.h"

#define WAVES    3
#define CHILDREN 40
#define REGIONS  200            /* pages of a child's mapping, protections alternating */

/* One pass over /proc: each process's files (one gone meanwhile is fine) */
static void read_all(void)
{
	static char buf[1 << 16];
	const char *files[] = { "stat", "status", "maps", "cmdline" };
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[300];

	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			snprintf(path, sizeof path, "/proc/%s/%s", e->d_name, files[i]);
			read_file(path, buf, sizeof buf);
		}
		snprintf(path, sizeof path, "/proc/%s/task", e->d_name);
		DIR *t = opendir(path);
		while (t && readdir(t))
			;
		if (t)
			closedir(t);
	}
	if (d)
		closedir(d);
}

/* Read until the parent closes the pipe */
static void reader(int stop)
{
	char c;

	fcntl(stop, F_SETFL, O_NONBLOCK);
	while (read(stop, &c, 1) < 0 && errno == EAGAIN)
		read_all();
	_exit(0);
}

/* A child with REGIONS regions, held until the pipe closes */
static void holder(int hold)
{
	char c, *m = mmap(NULL, REGIONS * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		_exit(1);
	for (int i = 0; i < REGIONS; i += 2)
		if (mprotect(m + i * 4096, 4096, PROT_READ))
			_exit(2);
	read(hold, &c, 1);
	_exit(0);
}

/* A wave of holders, released at once <- how many exited well */
static int wave(void)
{
	int hold[2], n = 0, good = 0, status;

	if (pipe(hold))
		return -1;
	for (; n < CHILDREN; n++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			close(hold[1]);
			holder(hold[0]);
		}
	}
	usleep(100000);                     /* the reader sees them all */
	close(hold[1]);
	close(hold[0]);
	while (n-- > 0 && wait(&status) > 0)
		good += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	return good;
}

static void run(void)
{
	int stop[2], status, good = 0;
	pid_t r;

	CHECK(pipe(stop) == 0);
	r = fork();
	if (r == 0) {
		close(stop[1]);
		reader(stop[0]);
	}
	close(stop[0]);
	for (int i = 0; i < WAVES; i++)
		good += wave();
	CHECK(good == WAVES * CHILDREN);
	close(stop[1]);
	CHECK(r > 0 && waitpid(r, &status, 0) == r && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	CHECK(wait(&status) == -1 && errno == ECHILD);
}

int main(void)
{
	CHECK(as_root_and_user(run) == 0);
	return done();
}
