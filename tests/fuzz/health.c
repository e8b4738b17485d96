/* Is the system still answering? A file in /tmp written and read back
 * (VFS), a pipe, fork and wait, and calls the process manager answers. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fuzz.h"

static int file_ok(void)
{
	static const char text[] = "alive";
	char back[sizeof text];
	int fd = open("/tmp/fz-health", O_RDWR | O_CREAT | O_TRUNC, 0600);
	int ok = fd >= 0 && write(fd, text, sizeof text) == sizeof text &&
		 lseek(fd, 0, SEEK_SET) == 0 && read(fd, back, sizeof back) == sizeof back &&
		 memcmp(text, back, sizeof text) == 0;

	if (fd >= 0)
		close(fd);
	return ok && unlink("/tmp/fz-health") == 0;
}

static int pipe_ok(void)
{
	int p[2];
	char c = 0;

	if (pipe(p))
		return 0;
	int ok = write(p[1], "x", 1) == 1 && read(p[0], &c, 1) == 1 && c == 'x';
	close(p[0]);
	close(p[1]);
	return ok;
}

static int fork_ok(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(7);
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 7;
}

int health_check(char *what, unsigned size)
{
	const char *failed = !file_ok() ? "a file in /tmp"
			     : !pipe_ok() ? "a pipe"
			     : !fork_ok() ? "fork and wait"
			     : getuid() != 0 || getpgid(0) < 0 ? "the process manager"
			     : 0;

	if (failed)
		snprintf(what, size, "%s failed", failed);
	return failed != 0;
}
