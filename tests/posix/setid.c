/* Set-user-ID and set-group-ID executables: the ids a process has after
 * exec'ing one (effective from the file's owner and group, saved copied
 * from effective), what the auxiliary vector says (AT_UID… and AT_SECURE),
 * the VFS checking files against the new effective ids, set-group-ID
 * without group execute, nosuid mounts, and chown and writes clearing the
 * bits. Runs as root; copies of itself in /tmp are the programs. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>
#include "check.h"

#define SETID  "/tmp/setid.prog"
#define PLAIN  "/tmp/setid.plain"
#define GNOX   "/tmp/setid.gnox"
#define MNT    "/tmp/setid.mnt"
#define OWNED  "/tmp/setid.owned"       /* 0600, owned by 1000 */
#define ROOTS  "/tmp/setid.roots"       /* 0600, owned by root */

/* The exec'd instance: what it is now. */
static int report(void)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	getresuid(&r, &e, &s);
	getresgid(&rg, &eg, &sg);
	printf("uids %u %u %u gids %u %u %u\n", r, e, s, rg, eg, sg);
	printf("auxv uid %lu euid %lu gid %lu egid %lu secure %lu\n", getauxval(AT_UID),
	       getauxval(AT_EUID), getauxval(AT_GID), getauxval(AT_EGID), getauxval(AT_SECURE));
	int owned = open(OWNED, O_RDONLY), roots = open(ROOTS, O_RDONLY);
	printf("open owned: %s, root's: %s\n", owned >= 0 ? "ok" : strerror(errno),
	       roots >= 0 ? "ok" : strerror(errno));
	fflush(stdout);
	return 0;
}

/* A copy of the program owned by 1000:1000 with this mode (set after the
 * chown, which clears set-ID bits) */
static int copy_owned(const char *from, const char *to, mode_t mode)
{
	return copy_file(from, to, 0700) || chown(to, 1000, 1000) ? -1 : chmod(to, mode);
}

/* Run prog's report in a child with real, effective and saved ids all id
 * (or root's, for id 0). */
static void run_as(uid_t id, const char *prog)
{
	int status;

	/* printed before the fork: the child's report must not overtake it */
	printf("%s as %u:\n", strrchr(prog, '/') + 1, id);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (id && (setgroups(0, NULL) || setgid(id) || setuid(id)))
			_exit(2);
		execl(prog, prog, "report", (char *)NULL);
		_exit(3);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void make_files(const char *self)
{
	int fd = open(OWNED, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	CHECK(fd >= 0 && close(fd) == 0 && chown(OWNED, 1000, 1000) == 0);
	fd = open(ROOTS, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && close(fd) == 0);
	CHECK(copy_owned(self, SETID, 06755) == 0);
	CHECK(copy_owned(self, PLAIN, 0755) == 0);
	CHECK(copy_owned(self, GNOX, 02745) == 0);   /* group may not execute */
}

static void nosuid_mount(const char *self)
{
	CHECK(mkdir(MNT, 0755) == 0);
	CHECK(mount("tmpfs", MNT, "tmpfs", MS_NOSUID, NULL) == 0);
	CHECK(copy_owned(self, MNT "/prog", 06755) == 0);
	run_as(2000, MNT "/prog");
	CHECK(umount(MNT) == 0 && rmdir(MNT) == 0);
}

/* chown clears both bits (set-group-ID only with group execute, else it is
 * the mandatory-locking mark); an unprivileged write clears them too. */
static void bits_cleared(void)
{
	struct stat st;

	CHECK(chown(SETID, 1000, 1000) == 0 && stat(SETID, &st) == 0);
	printf("after chown: %o\n", st.st_mode & 07777);
	CHECK(chown(GNOX, 1000, 1000) == 0 && stat(GNOX, &st) == 0);
	printf("after chown, no group execute: %o\n", st.st_mode & 07777);
	CHECK(chmod(SETID, 06777) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(SETID, O_WRONLY);
		_exit(setuid(2000) || write(fd, "", 0) || pwrite(fd, "\177", 1, 0) != 1);
	}
	int status;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status));
	CHECK(stat(SETID, &st) == 0);
	printf("after a write by another user: %o\n", st.st_mode & 07777);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *self = (const char *)getauxval(AT_EXECFN);

	if (argc > 1 && !strcmp(argv[1], "report"))
		return report();
	make_files(self);
	run_as(2000, SETID);
	run_as(0, SETID);
	run_as(1000, SETID);
	run_as(2000, PLAIN);
	run_as(2000, GNOX);
	nosuid_mount(self);
	bits_cleared();
	unlink(SETID);
	unlink(PLAIN);
	unlink(GNOX);
	unlink(OWNED);
	unlink(ROOTS);
	return done();
}
