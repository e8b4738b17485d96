/* /proc/<pid>/maps as Linux formats it: only what is the same on any
 * Linux (perms, names, offsets of the mappings made here, how munmap and
 * mprotect split them, the format), never addresses. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "check.h"

#define P 4096ul
#define DATA "/tmp/maps.data"

static char buf[1 << 16];

struct map_line {
	unsigned long start, end, off;
	char perms[5];
	const char *name;           /* "" if none */
	size_t name_col;            /* the column the name starts at */
};

static long slurp(const char *path)
{
	return read_file(path, buf, sizeof buf);
}

/* Parse the line at *at (advanced past it) <- 0, or -1 at the end or
 * for a line not in Linux's format */
static int next_line(char **at, struct map_line *l)
{
	char *line = *at, *nl = strchr(line, '\n');
	unsigned major, minor;
	unsigned long ino;
	int used = 0;

	if (!nl)
		return -1;
	*nl = 0;
	*at = nl + 1;
	if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu %n", &l->start, &l->end, l->perms, &l->off,
		   &major, &minor, &ino, &used) < 7 || !used || line[used - 1] != ' ')
		return -1;
	l->name = line + used;
	l->name_col = (size_t)used;
	return 0;
}

/* The line of the maps in buf that holds addr (copied to *out) <- 0 or -1 */
static int line_of(unsigned long addr, struct map_line *out)
{
	static char copy[sizeof buf];
	char *at = copy;
	struct map_line l;

	memcpy(copy, buf, sizeof copy);
	while (!next_line(&at, &l))
		if (l.start <= addr && addr < l.end) {
			*out = l;
			return 0;
		}
	return -1;
}

/* Every line in Linux's format, names at column 73 or after; named lines
 * with name and perms ("" any) */
static int count_named(const char *name, const char *perms)
{
	static char copy[sizeof buf];
	char *at = copy;
	struct map_line l;
	int n = 0;

	memcpy(copy, buf, sizeof copy);
	while (*at) {
		if (next_line(&at, &l))
			return -1;
		if (*l.name && l.name_col < 73)
			return -1;
		n += !strcmp(l.name, name) && (!*perms || !strcmp(l.perms, perms));
	}
	return n;
}

static int perms_at(unsigned long addr, const char *perms)
{
	struct map_line l;

	return !line_of(addr, &l) && !strcmp(l.perms, perms);
}

static void image_heap_stack(void)
{
	char exe[256];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	unsigned long brk0 = (unsigned long)syscall(SYS_brk, 0);

	exe[n > 0 ? n : 0] = 0;
	CHECK(syscall(SYS_brk, brk0 + 2 * P) == (long)(brk0 + 2 * P));
	CHECK(slurp("/proc/self/maps") > 0);
	CHECK(count_named("", "") >= 0);                /* the format */
	CHECK(count_named(exe, "r-xp") >= 1);
	CHECK(count_named(exe, "rw-p") + count_named("", "rw-p") >= 1);
	CHECK(count_named("[heap]", "rw-p") == 1);
	CHECK(count_named("[stack]", "rw-p") == 1);
	CHECK(perms_at(brk0 + P, "rw-p"));
	CHECK(perms_at((unsigned long)&n, "rw-p"));     /* on the stack */
	syscall(SYS_brk, brk0);
	CHECK(slurp("/proc/self/maps") > 0 && count_named("[heap]", "") == 0);
}

static void anonymous(void)
{
	char *a = mmap(NULL, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *none = mmap(NULL, P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long at = (unsigned long)a;
	struct map_line l1, l2;

	CHECK(a != MAP_FAILED && none != MAP_FAILED);
	CHECK(slurp("/proc/self/maps") > 0);
	CHECK(!line_of(at, &l1) && l1.end >= at + 3 * P && !strcmp(l1.perms, "rw-p") && !*l1.name);
	CHECK(perms_at((unsigned long)none, "---p"));
	CHECK(mprotect(a + P, P, PROT_READ) == 0 && slurp("/proc/self/maps") > 0);
	CHECK(!line_of(at + P, &l1) && l1.start == at + P && l1.end == at + 2 * P &&
	      !strcmp(l1.perms, "r--p"));
	CHECK(perms_at(at, "rw-p") && perms_at(at + 2 * P, "rw-p"));
	CHECK(mprotect(a + P, P, PROT_READ | PROT_WRITE) == 0 && slurp("/proc/self/maps") > 0);
	CHECK(!line_of(at, &l1) && l1.end >= at + 3 * P);      /* merged again */
	CHECK(munmap(a + P, P) == 0 && slurp("/proc/self/maps") > 0);
	CHECK(line_of(at + P, &l1) == -1);
	CHECK(!line_of(at, &l1) && !line_of(at + 2 * P, &l2) && l1.end == at + P &&
	      l2.start == at + 2 * P);
	CHECK(munmap(a, 3 * P) == 0 && munmap(none, P) == 0 && slurp("/proc/self/maps") > 0);
	CHECK(line_of(at, &l1) == -1 && line_of(at + 2 * P, &l1) == -1);
}

static void file(void)
{
	static char page[P];
	int fd = open(DATA, O_RDWR | O_CREAT | O_TRUNC, 0600);
	struct map_line l;

	for (int i = 0; i < 4; i++)
		CHECK(write(fd, page, P) == (ssize_t)P);
	char *f = mmap(NULL, 2 * P, PROT_READ, MAP_PRIVATE, fd, P);
	CHECK(f != MAP_FAILED);
	close(fd);
	CHECK(slurp("/proc/self/maps") > 0);
	CHECK(!line_of((unsigned long)f, &l) && !strcmp(l.name, DATA) && !strcmp(l.perms, "r--p") &&
	      l.off == P && l.end == (unsigned long)f + 2 * P);
	CHECK(munmap(f, P) == 0 && slurp("/proc/self/maps") > 0);
	CHECK(!line_of((unsigned long)f + P, &l) && !strcmp(l.name, DATA) && l.off == 2 * P);
	CHECK(count_named(DATA, "") == 1);
	munmap(f + P, P);
	unlink(DATA);
}

/* A child has its parent's mappings; another process's maps can be read;
 * a zombie's is empty. */
static void child(void)
{
	char *a = mmap(NULL, P, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int pipefd[2], status;
	char path[64];

	CHECK(pipe(pipefd) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		read(pipefd[0], &c, 1);
		_exit(0);
	}
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	CHECK(slurp(path) > 0 && perms_at((unsigned long)a, "r-xp"));
	CHECK(count_named("[stack]", "rw-p") == 1);
	write(pipefd[1], "x", 1);
	siginfo_t si;
	CHECK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0);
	CHECK(slurp(path) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	munmap(a, P);
}

int main(void)
{
	image_heap_stack();
	anonymous();
	file();
	child();
	printf("%s\n", failures ? "FAILED" : "done");
	return failures != 0;
}
