/* execve and the executable's pages: every instance of a program starts
 * from its file's bytes, whatever earlier instances (or the process that
 * execs it) wrote to their .data and .bss; a process forked after exec
 * shares its parent's memory copy-on-write; a program file changed after
 * an exec runs its new bytes at the next.
 *   exec_image                the test
 *   exec_image check WHO      print what this instance sees, write it all
 *   exec_image marker         print the marker string */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define COPY "/tmp/exec_image.copy"

static int data_int = 42;
static char data_str[] = "pristine data";
static unsigned char data_page[4096] = { 7 };
static int bss_int;
static unsigned char bss_pages[3 * 4096];
static const char marker[] = "MARKER-original";

static const char *self(void)
{
	return (const char *)getauxval(AT_EXECFN);
}

static int pristine(void)
{
	for (size_t i = 1; i < sizeof data_page; i++)
		if (data_page[i])
			return 0;
	for (size_t i = 0; i < sizeof bss_pages; i++)
		if (bss_pages[i])
			return 0;
	return data_int == 42 && !strcmp(data_str, "pristine data") && data_page[0] == 7 &&
	       bss_int == 0;
}

static void scribble(int v)
{
	data_int = v;
	memcpy(data_str, "written", 8);
	memset(data_page, v, sizeof data_page);
	bss_int = v;
	memset(bss_pages, v, sizeof bss_pages);
}

static int written(int v)
{
	return data_int == v && !strcmp(data_str, "written") && data_page[4095] == v &&
	       bss_int == v && bss_pages[0] == v && bss_pages[sizeof bss_pages - 1] == v;
}

static int wait_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

/* Run path with args in a child; its exit status. */
static int run(const char *path, char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		execv(path, argv);
		_exit(127);
	}
	return wait_status(pid);
}

/* An exec'd instance: sees the file's values, writes its own, forks a
 * child that sees them and writes others (which this one does not see),
 * then, given "again", execs itself: that instance must see the file's. */
static int check_instance(const char *who, int again)
{
	printf("%s: pristine %d\n", who, pristine());
	scribble(0x5a);
	pid_t pid = fork();
	if (pid == 0) {
		int saw = written(0x5a);
		scribble(0x33);
		_exit(saw && written(0x33) ? 0 : 1);
	}
	CHECK(wait_status(pid) == 0);
	CHECK(written(0x5a));
	fflush(stdout);
	if (again) {
		char *argv[] = { "exec_image", "check", "second", NULL };
		execv(self(), argv);
		return 1;
	}
	return 0;
}

/* Where the marker string lies in the file at path, or -1. */
static off_t find_marker(const char *path)
{
	static char buf[4 << 20];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
	char *at = n > 0 ? memmem(buf, n, marker, sizeof marker) : NULL;

	close(fd);
	return at ? at - buf : -1;
}

/* A copy of this program, exec'd, changed in place, exec'd again. */
static void test_changed_file(void)
{
	char *argv[] = { "exec_image", "marker", NULL };

	CHECK(copy_file(self(), COPY, 0755) == 0);
	CHECK(run(COPY, argv) == 0);
	off_t at = find_marker(COPY);
	CHECK(at > 0);
	int fd = open(COPY, O_WRONLY);
	CHECK(fd >= 0 && pwrite(fd, "O", 1, at + 7) == 1 && close(fd) == 0);
	CHECK(run(COPY, argv) == 0);
	CHECK(run(COPY, argv) == 0);        /* and again: nothing cached */
	CHECK(unlink(COPY) == 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "marker")) {
		printf("marker: %s\n", marker);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "check"))
		return check_instance(argv[2], !strcmp(argv[2], "first"));

	/* our own writes do not reach the instances we start */
	CHECK(pristine());
	scribble(0x11);
	char *first[] = { "exec_image", "check", "first", NULL };
	CHECK(run(self(), first) == 0);
	CHECK(run(self(), first) == 0);
	CHECK(written(0x11));
	test_changed_file();
	return done();
}
