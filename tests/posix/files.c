/* Non-blocking pipes, select, and exec of files written at run time: a
 * tiny ELF program this test writes itself, a #! script naming it, and
 * the errors for files that cannot be executed. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define DIR_ "/tmp/files-test"

static void nonblocking(void)
{
	int fd[2];
	char buf[4096];

	CHECK(pipe2(fd, O_NONBLOCK) == 0);
	CHECK(fcntl(fd[0], F_GETFL) == O_NONBLOCK);
	CHECK_ERR(read(fd[0], buf, sizeof buf), EAGAIN);
	memset(buf, 'x', sizeof buf);
	long total = 0, n;
	while ((n = write(fd[1], buf, sizeof buf)) > 0)
		total += n;
	CHECK(n == -1 && errno == EAGAIN && total == 65536);
	CHECK(read(fd[0], buf, 10) == 10);
	CHECK_ERR(write(fd[1], buf, 100), EAGAIN);          /* small writes are atomic */
	CHECK(fcntl(fd[0], F_SETFL, 0) == 0 && fcntl(fd[0], F_GETFL) == 0);
	CHECK(read(fd[0], buf, sizeof buf) == sizeof buf);
	close(fd[1]);
	while (read(fd[0], buf, sizeof buf) > 0)
		;
	CHECK(read(fd[0], buf, 1) == 0);
	close(fd[0]);
	CHECK_ERR(pipe2(fd, 0x1), EINVAL);
}

static void selecting(void)
{
	int fd[2];
	fd_set r, w;
	struct timeval zero = { 0, 0 };

	CHECK(pipe(fd) == 0);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fd[0], &r);
	FD_SET(fd[1], &w);
	CHECK(select(fd[1] + 1, &r, &w, NULL, &zero) == 1);
	CHECK(!FD_ISSET(fd[0], &r) && FD_ISSET(fd[1], &w));
	CHECK(write(fd[1], "a", 1) == 1);
	FD_SET(fd[0], &r);
	FD_ZERO(&w);
	CHECK(select(fd[0] + 1, &r, &w, NULL, NULL) == 1 && FD_ISSET(fd[0], &r));
	struct timeval short_wait = { 0, 20000 };
	char c;
	CHECK(read(fd[0], &c, 1) == 1);
	FD_SET(fd[0], &r);
	CHECK(select(fd[0] + 1, &r, NULL, NULL, &short_wait) == 0 && !FD_ISSET(fd[0], &r));
	struct timespec ts = { 0, 0 };
	FD_SET(fd[0], &r);
	CHECK(pselect(fd[0] + 1, &r, NULL, NULL, &ts, NULL) == 0);
	FD_ZERO(&r);
	FD_SET(40, &r);
	CHECK_ERR(select(41, &r, NULL, NULL, &zero), EBADF);
	close(fd[0]);
	close(fd[1]);
}

/* A static ELF executable of our own making: exit(42). */
static size_t tiny_elf(uint8_t *p)
{
	enum { BASE = 0x400000, EHDR = 64, PHDR = 56 };
	static const uint8_t code[] = {
		0xbf, 42, 0, 0, 0,              /* mov edi, 42 */
		0xb8, 60, 0, 0, 0,              /* mov eax, 60 (exit) */
		0x0f, 0x05,                     /* syscall */
	};
	size_t size = EHDR + PHDR + sizeof code;
	uint64_t entry = BASE + EHDR + PHDR, zero = 0, base = BASE, sz = size, align = 4096;
	uint16_t type = 2, machine = 62, ehsize = EHDR, phentsize = PHDR, phnum = 1;
	uint32_t version = 1, load = 1, rx = 5;
	uint64_t phoff = EHDR;

	memset(p, 0, size);
	memcpy(p, "\177ELF\2\1\1", 7);
	memcpy(p + 16, &type, 2);
	memcpy(p + 18, &machine, 2);
	memcpy(p + 20, &version, 4);
	memcpy(p + 24, &entry, 8);
	memcpy(p + 32, &phoff, 8);
	memcpy(p + 52, &ehsize, 2);
	memcpy(p + 54, &phentsize, 2);
	memcpy(p + 56, &phnum, 2);
	uint8_t *ph = p + EHDR;
	memcpy(ph, &load, 4);
	memcpy(ph + 4, &rx, 4);
	memcpy(ph + 8, &zero, 8);               /* offset */
	memcpy(ph + 16, &base, 8);              /* vaddr */
	memcpy(ph + 24, &base, 8);              /* paddr */
	memcpy(ph + 32, &sz, 8);                /* filesz */
	memcpy(ph + 40, &sz, 8);                /* memsz */
	memcpy(ph + 48, &align, 8);
	memcpy(p + EHDR + PHDR, code, sizeof code);
	return size;
}

static int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, mode);
	int ok = fd >= 0 && write(fd, data, len) == (ssize_t)len;

	return close(fd) == 0 && ok ? 0 : -1;
}

/* exec path in a child: its exit status, or 1000 + errno of execve */
static int run(const char *path)
{
	int fd[2], err = 0;
	char *const argv[] = { (char *)path, NULL }, *const envp[] = { NULL };

	if (pipe(fd))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		execve(path, argv, envp);
		err = errno;
		write(fd[1], &err, sizeof err);
		_exit(99);
	}
	close(fd[1]);
	int got = read(fd[0], &err, sizeof err), status;
	close(fd[0]);
	waitpid(pid, &status, 0);
	return got == sizeof err ? 1000 + err : WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void executing(void)
{
	uint8_t elf[256];
	size_t size = tiny_elf(elf);
	static const char script[] = "#!" DIR_ "/tiny\n";

	CHECK(write_file("tiny", elf, size, 0644) == 0);
	CHECK(run(DIR_ "/tiny") == 1000 + EACCES);
	CHECK(chmod("tiny", 0755) == 0);
	CHECK(run(DIR_ "/tiny") == 42);
	CHECK(write_file("script", script, sizeof script - 1, 0755) == 0);
	CHECK(run(DIR_ "/script") == 42);
	CHECK(write_file("garbage", "hello, world\n", 13, 0755) == 0);
	CHECK(run(DIR_ "/garbage") == 1000 + ENOEXEC);
	CHECK(write_file("empty", "", 0, 0755) == 0);
	CHECK(run(DIR_ "/empty") == 1000 + ENOEXEC);
	CHECK(run(DIR_) == 1000 + EACCES);
	CHECK(run(DIR_ "/none") == 1000 + ENOENT);
	CHECK(symlink("tiny", "link") == 0 && run(DIR_ "/link") == 42);
	CHECK(unlink("tiny") == 0 && unlink("script") == 0 && unlink("garbage") == 0);
	CHECK(unlink("empty") == 0 && unlink("link") == 0);
}

int main(void)
{
	CHECK(mkdir(DIR_, 0755) == 0 && chdir(DIR_) == 0);
	nonblocking();
	selecting();
	executing();
	CHECK(chdir("/") == 0 && rmdir(DIR_) == 0);
	return done();
}
