/* execve with many and long arguments, as xargs and shell globs pass them:
 * the program runs itself again (through AT_EXECFN) and the new image
 * checks what it got; a string longer than Linux's 128 KiB is E2BIG. */
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define MANY     5000
#define ENVS     500
#define LONG     (100 * 1024)
#define TOO_LONG (128 * 1024)   /* with its NUL, one byte over */

static char *numbered(const char *fmt, int i)
{
	char *s = malloc(16);

	snprintf(s, 16, fmt, i);
	return s;
}

static int is_numbered(const char *s, const char *fmt, int i)
{
	char want[16];

	snprintf(want, sizeof want, fmt, i);
	return !strcmp(s, want);
}

static int is_long(const char *s)
{
	size_t n = strlen(s);

	return n == LONG && s[0] == 'x' && s[n - 1] == 'x' && strspn(s, "x") == n;
}

/* the new image: are its arguments and environment the ones sent? */
static int check_received(int argc, char **argv, char **envp)
{
	int bad = 0, envc = 0;

	if (!strcmp(argv[1], "many")) {
		bad = argc != MANY + 2;
		for (int i = 0; !bad && i < MANY; i++)
			bad = !is_numbered(argv[i + 2], "arg%d", i);
		for (; envp[envc]; envc++)
			bad |= !is_numbered(envp[envc], "E%d=1", envc);
		bad |= envc != ENVS;
	} else {
		bad = argc != 3 || !is_long(argv[2]);
	}
	printf("new image (%s): argc %d, environment %d: %s\n", argv[1], argc, envc,
	       bad ? "NOT as sent" : "as sent");
	return bad;
}

static int run(char **argv, char **envp)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve((const char *)getauxval(AT_EXECFN), argv, envp);
		_exit(100 + errno);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1)
		return check_received(argc, argv, envp);

	char *many[MANY + 3] = { argv[0], "many" }, *env[ENVS + 1] = { 0 };
	for (int i = 0; i < MANY; i++)
		many[i + 2] = numbered("arg%d", i);
	for (int i = 0; i < ENVS; i++)
		env[i] = numbered("E%d=1", i);
	CHECK(run(many, env) == 0);

	char *s = malloc(TOO_LONG + 1);
	memset(s, 'x', TOO_LONG);
	s[LONG] = 0;
	char *one[] = { argv[0], "long", s, NULL };
	CHECK(run(one, env + ENVS) == 0);

	s[LONG] = 'x';
	s[TOO_LONG] = 0;
	CHECK_ERR(execve((const char *)getauxval(AT_EXECFN), one, env + ENVS), E2BIG);
	return done();
}
