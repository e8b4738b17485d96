/* Fork and memory: after fork, parent and child each see only their own
 * writes to data, bss, heap, brk, mmap and stack memory, to memory the
 * kernel writes for them (a read() from a pipe), to memory made writable
 * again with mprotect and to memory nobody touched before fork; vfork still
 * works; many forks that dirty memory do
 * not run the system out of it. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define A 0xA1   /* the parent's bytes before fork */
#define B 0xB2   /* the child's after */
#define C 0xC3   /* the parent's after */

struct region {
	const char *name;
	unsigned char *p;
	size_t len;
};

static unsigned char data_buf[3 * 4096] = { 1 };
static unsigned char bss_buf[64 << 10];
static unsigned char read_buf[3 * 4096];
static struct region regions[6];
static unsigned nregions;

static int filled(const unsigned char *p, size_t len, unsigned char v)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static void add(const char *name, void *p, size_t len)
{
	regions[nregions++] = (struct region){ name, p, len };
}

static void fill_all(unsigned char v)
{
	for (unsigned i = 0; i < nregions; i++)
		memset(regions[i].p, v, regions[i].len);
}

/* One line per region, naming it: "ok   child sees B: stack". */
static void check_all(const char *who, unsigned char v)
{
	for (unsigned i = 0; i < nregions; i++) {
		int ok = filled(regions[i].p, regions[i].len, v);
		printf("%s %s sees %#x: %s\n", ok ? "ok  " : "FAIL", who, v, regions[i].name);
		failures += !ok;
	}
	fflush(stdout);
}

static void wait_byte(int fd)
{
	char c;
	if (read(fd, &c, 1) != 1)
		_exit(99);
}

/* The child: its own writes, a read() into memory it shares with the
 * parent, then (after the parent has written everything) its data again. */
static void child(int to_parent, int from_parent, int data_fd, const unsigned char *untouched)
{
	unsigned char msg[5000];

	fill_all(B);
	check_all("child", B);
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)i;
	CHECK(read(data_fd, read_buf + 100, sizeof msg) == sizeof msg);
	CHECK(memcmp(read_buf + 100, msg, sizeof msg) == 0);
	write(to_parent, "1", 1);
	wait_byte(from_parent);
	check_all("child, after the parent wrote,", B);
	CHECK(filled(untouched, 4096, A));
	_exit(failures != 0);
}

static void parent_and_child(unsigned char *untouched)
{
	int to_parent[2], from_parent[2], data[2], st = -1;
	unsigned char msg[5000];

	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)i;
	fill_all(A);
	memset(read_buf, A, sizeof read_buf);
	memset(untouched, A, 4096);
	CHECK(pipe(to_parent) == 0 && pipe(from_parent) == 0 && pipe(data) == 0);
	CHECK(write(data[1], msg, sizeof msg) == sizeof msg);
	pid_t pid = fork();
	if (pid == 0)
		child(to_parent[1], from_parent[0], data[0], untouched);
	if (pid < 0) {          /* checked here only: the child prints first */
		CHECK(pid > 0);
		return;
	}
	wait_byte(to_parent[0]);
	check_all("parent", A);
	CHECK(filled(read_buf, sizeof read_buf, A));
	fill_all(C);
	/* read-only then writable again: must not become shared-writable */
	CHECK(mprotect(untouched, 4096, PROT_READ) == 0);
	CHECK(mprotect(untouched, 4096, PROT_READ | PROT_WRITE) == 0);
	memset(untouched, C, 4096);
	write(from_parent[1], "1", 1);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	check_all("parent, after the child exited,", C);
}

/* Memory nobody touched before fork: each side gets its own zeroed pages,
 * whether the program or the kernel (a read()) writes them first. */
static void fresh_after_fork(void)
{
	unsigned char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd[2], st = -1;

	CHECK(m != MAP_FAILED && pipe(fd) == 0);
	CHECK(write(fd[1], "from the pipe", 13) == 13);
	pid_t pid = fork();
	if (pid == 0) {
		int zero = filled(m, 8192, 0);
		memset(m, B, 4096);
		int got = read(fd[0], m + 4096, 13) == 13 && memcmp(m + 4096, "from the pipe", 13) == 0;
		_exit(!(zero && got));
	}
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(filled(m, 8192, 0));
	close(fd[0]);
	close(fd[1]);
}

/* 64 children each dirty half of a 16 MiB buffer the parent dirties whole
 * each round: 512 MiB in all, more than Tessera's RAM if copies or
 * references leaked. */
static void many_forks(void)
{
	size_t len = 16 << 20;
	unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int good = m != MAP_FAILED;

	for (int round = 0; good && round < 64; round++) {
		for (size_t off = 0; off < len; off += 4096)
			m[off] = (unsigned char)round;
		pid_t pid = fork();
		if (pid == 0) {
			for (size_t off = 0; off < len; off += 8192)
				m[off] = (unsigned char)(round + 1);
			_exit(m[len - 4096] != (unsigned char)round);
		}
		int st = -1;
		good = pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
		good = good && m[0] == (unsigned char)round;
	}
	CHECK(good);
	CHECK(munmap(m, len) == 0);
}

int main(void)
{
	unsigned char stack_buf[16384];
	char *brk0 = (char *)syscall(SYS_brk, 0);

	CHECK((char *)syscall(SYS_brk, brk0 + 65536) == brk0 + 65536);
	unsigned char *heap = malloc(1 << 20);
	unsigned char *m = mmap(NULL, 5 * 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(heap != NULL && m != MAP_FAILED);
	add("data", data_buf, sizeof data_buf);
	add("bss", bss_buf, sizeof bss_buf);
	add("malloc", heap, 1 << 20);
	add("brk", brk0, 65536);
	add("mmap", m, 4 * 4096);
	add("stack", stack_buf, sizeof stack_buf);
	parent_and_child(m + 4 * 4096);

	int st = -1;
	pid_t pid = vfork();
	if (pid == 0)
		_exit(42);
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 42);

	fresh_after_fork();
	many_forks();
	return done();
}
