/* POSIX micro-benchmarks: the same static musl binary runs on Tessera and
 * on Linux (tests/bench/run.sh boots both in QEMU) and prints one
 * "name: value unit" line per figure. Each figure is an average over as
 * many iterations as fill a time budget, so that it is stable under TCG
 * however fast or slow the kernel is.
 *   posix_bench [BUDGET_MS]   time per figure, 1000 ms unless given
 *   posix_bench --exit        exit at once: the program fork_execve runs
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SELF      "/bin/posix_bench"  /* where the bench initramfs puts us */
#define READ_FILE "/bench/data"       /* a multi-MB file in the initramfs */
#define CHUNK     (64 << 10)          /* pipe capacity on both kernels */

typedef void op_fn(long n);

static double budget_ns = 1e9;
static char chunk[CHUNK];
static int ping[2], pong[2], stream[2];
static off_t read_file_size;

static void die(const char *what)
{
	printf("posix_bench: %s failed: %s\n", what, strerror(errno));
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime");
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Nanoseconds per iteration of op: batches double until the budget is
 * spent, so the clock is read a handful of times whatever op costs. */
static double ns_per_op(op_fn *op)
{
	long done = 0, n = 1;
	double t0, t;

	op(1);                                  /* warm up */
	t0 = now_ns();
	for (;;) {
		op(n);
		done += n;
		t = now_ns() - t0;
		if (t >= budget_ns)
			return t / done;
		n = done;
	}
}

static void report(const char *name, double value, const char *unit)
{
	printf("%s: %.2f %s\n", name, value, unit);
	fflush(stdout);
}

static void wait_ok(pid_t pid, const char *what)
{
	int status;

	if (pid < 0)
		die("fork");
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("posix_bench: %s: child ended with status %#x\n", what, status);
		exit(1);
	}
}

static void op_getppid(long n)
{
	for (long i = 0; i < n; i++)
		getppid();
}

static void op_fork_exit_wait(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		wait_ok(pid, "fork_exit_wait");
	}
}

static void fork_execve(long n, const char *path, char *const argv[])
{
	static char *const envp[] = { NULL };

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			execve(path, argv, envp);
			_exit(127);
		}
		wait_ok(pid, path);
	}
}

static void op_fork_execve(long n)
{
	static char *const argv[] = { "posix_bench", "--exit", NULL };

	fork_execve(n, SELF, argv);
}

static void op_fork_execve_busybox(long n)
{
	static char *const argv[] = { "true", NULL };

	fork_execve(n, "/bin/true", argv);
}

static void op_pipe_round_trip(long n)
{
	char c = 'x';

	for (long i = 0; i < n; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			die("pipe round trip");
}

static void op_pipe_stream(long n)
{
	for (long want = n * CHUNK; want > 0;) {
		ssize_t got = read(stream[0], chunk, want < CHUNK ? want : CHUNK);
		if (got <= 0)
			die("pipe read");
		want -= got;
	}
}

static void op_file_read(long n)
{
	int fd = open(READ_FILE, O_RDONLY);

	if (fd < 0)
		die("open " READ_FILE);
	for (long i = 0; i < n; i++) {
		off_t total = 0;
		ssize_t got;
		if (lseek(fd, 0, SEEK_SET))
			die("lseek");
		while ((got = read(fd, chunk, CHUNK)) > 0)
			total += got;
		if (got < 0 || total != read_file_size)
			die("file read");
	}
	close(fd);
}

/* The child answers every byte on ping with one on pong until EOF. */
static void bench_pipe_round_trip(void)
{
	if (pipe(ping) || pipe(pong))
		die("pipe");
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	report("pipe_round_trip", ns_per_op(op_pipe_round_trip) / 1e3, "us");
	close(ping[1]);
	close(pong[0]);
	wait_ok(pid, "pipe_round_trip");
}

/* The child writes until the parent closes its end (then EPIPE: SIGPIPE is
 * ignored, so both kernels end the child the same way). */
static void bench_pipe_bandwidth(void)
{
	if (pipe(stream))
		die("pipe");
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		close(stream[0]);
		while (write(stream[1], chunk, CHUNK) > 0)
			;
		_exit(errno == EPIPE ? 0 : 1);
	}
	close(stream[1]);
	report("pipe_bandwidth", CHUNK / ns_per_op(op_pipe_stream) * 1e3, "MB/s");
	close(stream[0]);
	wait_ok(pid, "pipe_bandwidth");
}

static void bench_file_read(void)
{
	struct stat st;

	if (stat(READ_FILE, &st))
		die("stat " READ_FILE);
	read_file_size = st.st_size;
	report("file_read", read_file_size / ns_per_op(op_file_read) * 1e3, "MB/s");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--exit"))
		return 0;
	if (argc > 1)
		budget_ns = atof(argv[1]) * 1e6;
	report("getppid", ns_per_op(op_getppid) / 1e3, "us");
	report("fork_exit_wait", ns_per_op(op_fork_exit_wait) / 1e3, "us");
	report("fork_execve", ns_per_op(op_fork_execve) / 1e3, "us");
	report("fork_execve_busybox", ns_per_op(op_fork_execve_busybox) / 1e3, "us");
	bench_pipe_round_trip();
	bench_pipe_bandwidth();
	bench_file_read();
	return 0;
}
