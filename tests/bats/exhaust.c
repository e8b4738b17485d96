/*
 * Exhaustion: a hog running as an ordinary user (uid 1000) takes all it may
 * of one resource: processes (a fork bomb), memory, open files or pipes,
 * with the limit an administrator would set (RLIMIT_NPROC, RLIMIT_AS,
 * RLIMIT_NOFILE) or with the defaults. While it holds what it took, root
 * and another user can still open a file, make a pipe and fork; once it is
 * killed, the processes, the open files, the files and pipes a process can
 * make and the free memory are back where they were.
 *
 *   exhaust forkbomb|memory|files|pipes limited|default
 *
 * It runs as pid 1 (`exec exhaust …` in scripts/tessera-run), so that the
 * hog's orphans are its own to reap. One line per check, as tests/posix's.
 */
#define _GNU_SOURCE             /* pipe2 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include "../posix/check.h"

#define HOG_UID    1000
#define OTHER_UID  1001
#define HOG_PROCS  8                /* processes of the file and pipe hogs */
#define NPROC_MAX  16               /* the limits of the limited runs */
#define NOFILE_MAX 64
#define AS_MAX     (64l << 20)
#define CHUNK      (1l << 20)       /* the memory hog's step */
#define MEM_SLACK  (1l << 20)       /* free memory may stay this much lower */
#define HOG_WAIT_MS 120000

static void hold(void)
{
	for (;;)
		pause();
}

/* one byte on the report pipe: the errno that stopped a hog process */
static void stopped(int rep, int err)
{
	char c = (char)err;

	if (write(rep, &c, 1) != 1)
		_exit(1);
	hold();
}

/* a fork bomb: every process forks until fork fails, then holds on */
static void fork_bomb(int rep)
{
	while (fork() >= 0)
		;
	stopped(rep, errno);
}

/* map and touch memory until mmap fails (or the process is killed) */
static void memory_hog(int rep)
{
	for (;;) {
		char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		if (p == MAP_FAILED)
			stopped(rep, errno);
		for (long i = 0; i < CHUNK; i += 4096)
			p[i] = 1;
	}
}

static void open_files(int rep)
{
	for (;;)
		if (open("/dev/null", O_RDONLY) < 0)
			stopped(rep, errno);
}

/* make pipes until pipe fails, each filled as far as it takes */
static void make_pipes(int rep)
{
	static char page[4096];

	for (;;) {
		int p[2];
		if (pipe2(p, O_NONBLOCK) < 0)
			stopped(rep, errno);
		while (write(p[1], page, sizeof page) > 0)
			;
	}
}

/* HOG_PROCS processes each doing hog */
static void in_many(void (*hog)(int), int rep)
{
	for (int i = 1; i < HOG_PROCS; i++)
		if (fork() == 0)
			break;
	hog(rep);
}

static void files_hog(int rep) { in_many(open_files, rep); }
static void pipes_hog(int rep) { in_many(make_pipes, rep); }

struct hog {
	const char *name;
	void (*run)(int rep);
	int resource;               /* its limit in a limited run */
	rlim_t limit;
	int reports;                /* processes the parent hears stop (a bomb's first) */
};

static const struct hog hogs[] = {
	{ "forkbomb", fork_bomb, RLIMIT_NPROC, NPROC_MAX, 1 },
	{ "memory", memory_hog, RLIMIT_AS, AS_MAX, 1 },
	{ "files", files_hog, RLIMIT_NOFILE, NOFILE_MAX, HOG_PROCS },
	{ "pipes", pipes_hog, RLIMIT_NOFILE, NOFILE_MAX, HOG_PROCS },
};

/* the hog in its own process group, as uid HOG_UID, limited or not <- its pid */
static pid_t start_hog(const struct hog *h, bool limited, int rep[2])
{
	struct rlimit lim = { h->limit, h->limit };
	pid_t pid = fork();

	if (pid)
		return pid;
	close(rep[0]);
	if (setpgid(0, 0) || (limited && setrlimit(h->resource, &lim)) || setgid(HOG_UID) ||
	    setuid(HOG_UID)) {
		printf("FAIL hog setup: %s\n", strerror(errno));
		fflush(stdout);
		_exit(1);
	}
	h->run(rep[1]);
	_exit(1);
}

/* The errnos the hog's processes stopped with, in errs (0 for one that
 * died instead: the OOM killer's work) <- how many reported in time. */
static int hog_stops(const struct hog *h, int fd, int *errs)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = 0;

	while (n < h->reports && poll(&p, 1, HOG_WAIT_MS) == 1) {
		unsigned char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0)
			break;
		errs[n++] = r ? c : 0;
		if (!r)
			break;
	}
	return n;
}

static long say(const char *what, int err)
{
	printf("  %s: %s\n", what, strerror(err));
	fflush(stdout);
	return 0;
}

/* fn's result, computed in a child (as uid, if not 0) <- it, or -1 */
static long in_child(uid_t uid, long (*fn)(void))
{
	int p[2];
	long v = -1;

	if (pipe(p))
		return say("pipe to a child", errno) - 1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (uid && (setgid(uid) || setuid(uid)))
			_exit(1);
		v = fn();
		_exit(write(p[1], &v, sizeof v) != sizeof v);
	}
	close(p[1]);
	if (pid < 0)
		say("fork a child", errno);
	else if (read(p[0], &v, sizeof v) != sizeof v || waitpid(pid, NULL, 0) != pid)
		v = -1;
	close(p[0]);
	return v;
}

/* open a file, make a pipe, fork (and reap) a child <- 1 if all worked */
static long can_work(void)
{
	int p[2], st;
	int fd = open("/etc/passwd", O_RDONLY);

	if (fd < 0)
		return say("open", errno);
	if (pipe(p))
		return say("pipe", errno);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return say("fork", errno);
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* how many files, or pipes, a new process can open */
static long files_possible(void)
{
	long n = 0;

	while (open("/dev/null", O_RDONLY) >= 0)
		n++;
	return n;
}

static long pipes_possible(void)
{
	long n = 0;
	int p[2];

	while (pipe(p) == 0)
		n++;
	return n;
}

static bool numeric(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* the entries of a directory, or those with numeric names (pids, fds) */
static long entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	long n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += numeric(e->d_name);
	closedir(d);
	return n;
}

/* processes, and their open files, as /proc lists them */
static long processes(void) { return entries("/proc"); }

static long open_files_total(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[300];
	long n = 0;

	while (d && (e = readdir(d))) {
		if (!numeric(e->d_name))
			continue;
		snprintf(path, sizeof path, "/proc/%s/fd", e->d_name);
		n += entries(path);
	}
	if (d)
		closedir(d);
	return n;
}

static long free_memory(void)
{
	struct sysinfo si;

	return sysinfo(&si) ? -1 : (long)(si.freeram * si.mem_unit);
}

struct counts {
	long procs, files, files_possible, pipes_possible, free;
};

/* reap what has ended (pid 1 gets the hog's orphans) */
static void reap(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static struct counts count(void)
{
	reap();
	return (struct counts){ processes(), open_files_total(), in_child(0, files_possible),
				in_child(0, pipes_possible), free_memory() };
}

static bool back(const struct counts *now, const struct counts *base)
{
	return now->procs == base->procs && now->files == base->files &&
	       now->files_possible == base->files_possible &&
	       now->pipes_possible == base->pipes_possible && now->free >= base->free - MEM_SLACK;
}

/* after the hog is killed: everything back within a while */
static struct counts settled(const struct counts *base)
{
	struct counts now = count();

	for (int i = 0; i < 100 && !back(&now, base); i++) {
		usleep(100000);
		now = count();
	}
	return now;
}

/* the process count, once it is n (or after a second, whatever it is) */
static long processes_reach(long n)
{
	long now = processes();

	for (int i = 0; i < 50 && now != n; i++) {
		usleep(20000);
		now = processes();
	}
	return now;
}

static bool all_stopped_with(const int *errs, int n, int e1, int e2)
{
	for (int i = 0; i < n; i++)
		if (errs[i] != e1 && errs[i] != e2)
			return false;
	return true;
}

/* What stopped the hog is what Linux would stop it with: at the limit
 * set, that limit's errno; with the defaults, the errno of running out
 * (or, for memory, the OOM killer). */
static void check_stops(const struct hog *h, bool limited, const int *errs, int n,
			const struct counts *base)
{
	for (int i = 0; i < n; i++)
		printf("  hog process stopped by %s\n", errs[i] ? strerror(errs[i]) : "death");
	if (h->run == fork_bomb && limited)
		CHECK(n == 1 && errs[0] == EAGAIN &&
		      processes_reach(base->procs + NPROC_MAX) == base->procs + NPROC_MAX);
	else if (h->run == fork_bomb)
		CHECK(n == 1 && all_stopped_with(errs, n, EAGAIN, ENOMEM));
	else if (h->run == memory_hog && limited)
		CHECK(n == 1 && errs[0] == ENOMEM);
	else if (h->run == memory_hog)
		CHECK(n == 1 && all_stopped_with(errs, n, ENOMEM, 0));
	else if (limited)
		CHECK(n == HOG_PROCS && all_stopped_with(errs, n, EMFILE, EMFILE));
	else
		CHECK(n == HOG_PROCS && all_stopped_with(errs, n, EMFILE, ENFILE));
}

static void run(const struct hog *h, bool limited)
{
	struct counts base = count(), now;
	int rep[2], errs[HOG_PROCS], st;

	printf("%s hog, %s: %ld processes, %ld open files, %ld files and %ld pipes possible\n",
	       h->name, limited ? "limited" : "defaults", base.procs, base.files,
	       base.files_possible, base.pipes_possible);
	CHECK(base.procs > 0 && base.files > 0 && base.free > 0);
	CHECK(pipe(rep) == 0);
	pid_t hog = start_hog(h, limited, rep);
	close(rep[1]);
	CHECK(hog > 0);
	int n = hog_stops(h, rep[0], errs);
	check_stops(h, limited, errs, n, &base);
	CHECK(in_child(0, can_work) == 1);
	CHECK(in_child(OTHER_UID, can_work) == 1);
	/* a hog the OOM killer ended is gone already */
	CHECK(kill(-hog, SIGKILL) == 0 || (n == 1 && !errs[0] && errno == ESRCH));
	CHECK(waitpid(hog, &st, 0) == hog && WIFSIGNALED(st));
	printf("  hog ended by signal %d\n", WTERMSIG(st));
	CHECK(WTERMSIG(st) == SIGKILL);             /* an OOM killer's too */
	close(rep[0]);
	now = settled(&base);
	printf("  after: %ld processes, %ld open files, %ld files and %ld pipes possible, "
	       "%ld kB less free\n", now.procs, now.files, now.files_possible, now.pipes_possible,
	       (base.free - now.free) >> 10);
	CHECK(now.procs == base.procs);
	CHECK(now.files == base.files);
	CHECK(now.files_possible == base.files_possible);
	CHECK(now.pipes_possible == base.pipes_possible);
	CHECK(now.free >= base.free - MEM_SLACK);
}

int main(int argc, char **argv)
{
	for (size_t i = 0; argc == 3 && i < sizeof hogs / sizeof hogs[0]; i++) {
		if (strcmp(argv[1], hogs[i].name))
			continue;
		run(&hogs[i], !strcmp(argv[2], "limited"));
		return done();
	}
	fprintf(stderr, "usage: exhaust forkbomb|memory|files|pipes limited|default\n");
	return 2;
}
