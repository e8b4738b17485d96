/* A POSIX process tries the native calls (0x1000 and up), as root and as
 * uid 1000: each known one must be refused (EPERM), unknown ones are ENOSYS;
 * the escalation of issue 7 (a process created with the POSIX flag and
 * badge 1, priority 30, code written into it and a thread started there,
 * which then ran as pid 1) must fail at its first step and leave /root
 * untouched. One line of results per uid. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <tessera/abi.h>

#define CODE_AT 0x10000000ul
#define PWNED   "/root/pwned"

/* What the injected process would run: create /root/pwned, then wait
 * (its exit would be pid 1's). */
extern const char payload[], payload_end[];
__asm__(".pushsection .rodata\n"
	"payload:\n"
	"	lea 1f(%rip), %rdi\n"
	"	mov $0x41, %esi\n"           /* O_WRONLY | O_CREAT */
	"	mov $0644, %edx\n"
	"	mov $2, %eax\n"              /* open */
	"	syscall\n"
	"2:	mov $34, %eax\n"             /* pause */
	"	syscall\n"
	"	jmp 2b\n"
	"1:	.asciz \"" PWNED "\"\n"
	"payload_end:\n"
	".popsection");

static long native(long nr, long a0, long a1, long a2, long a3)
{
	long r = syscall(nr, a0, a1, a2, a3, 0, 0);

	return r < 0 ? -errno : r;
}

/* How many of the known calls were refused; unknown ones answered ENOSYS. */
static void try_all(int *refused, int *nosys)
{
	*refused = *nosys = 0;
	for (long nr = TS_SYS_BASE; nr < TS_SYS_BASE + 0x100; nr++) {
		long r = native(nr, 0, 0, 0, 0);
		if (nr < TS_SYS_END ? r == -EPERM : r == -ENOSYS)
			++*(nr < TS_SYS_END ? refused : nosys);
		else
			printf("native call %#lx: %ld\n", nr, r);
	}
}

/* The escalation, step by step; the result of the first step that fails. */
static long exploit(void)
{
	struct ts_spawn_args a = { .name = "pwn", .priority = 30, .flags = TS_PROC_POSIX,
				   .badge = 1 };
	long p = native(TS_SYS_PROC_CREATE, (long)&a, 0, 0, 0), r = p;

	if (p >= 0)
		r = native(TS_SYS_VM_MAP, p, CODE_AT, 8192, TS_PROT_READ | TS_PROT_WRITE |
			   TS_PROT_EXEC);
	if (r >= 0)
		r = native(TS_SYS_VM_WRITE, p, CODE_AT, (long)payload, payload_end - payload);
	if (r >= 0)
		r = native(TS_SYS_THREAD_CREATE, p, CODE_AT, CODE_AT + 8192, 0);
	if (r >= 0)
		usleep(200000);
	return r;
}

static void run(void)
{
	int refused, nosys;
	long r = exploit();

	try_all(&refused, &nosys);
	printf("uid %d: %d of %d native calls refused, %d unknown ENOSYS; exploit %s; "
	       "%s %s\n", (int)getuid(), refused, TS_SYS_END - TS_SYS_BASE, nosys,
	       r == -EPERM ? "refused" : "NOT refused", PWNED,
	       access(PWNED, F_OK) ? "absent" : "EXISTS");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	run();
	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(1000))
			return 1;
		run();
		int fd = open("/root/direct", O_WRONLY | O_CREAT, 0644);
		printf("uid 1000 creating in /root directly: %s\n",
		       fd < 0 && errno == EACCES ? "EACCES" : "allowed");
		return 0;
	}
	int status;
	return waitpid(pid, &status, 0) == pid && status == 0 ? 0 : 1;
}
