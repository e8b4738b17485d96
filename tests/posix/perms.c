/* File permissions for an ordinary user: read, write and search bits by
 * owner, group and other; who may chmod, chown, set times and remove
 * names in a sticky directory; access(2) with the real ids. Root sets the
 * scene in /tmp; a child drops to uid/gid 1000 and tries. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define DIR "/tmp/tessera-perms"

static void make(const char *path, mode_t mode)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	write(fd, "data\n", 5);
	close(fd);
	chmod(path, mode);
}

static void setup(void)
{
	mkdir(DIR, 0755);
	chmod(DIR, 0755);
	make(DIR "/secret", 0600);
	make(DIR "/public", 0644);
	make(DIR "/shared", 0666);
	mkdir(DIR "/private", 0700);
	make(DIR "/private/inside", 0644);
	mkdir(DIR "/sticky", 01777);
	chmod(DIR "/sticky", 01777);
	make(DIR "/sticky/roots", 0666);
	mkdir(DIR "/open", 0777);
	chmod(DIR "/open", 0777);
}

static void as_user(void)
{
	struct stat st;
	int fd;

	CHECK(setgroups(0, NULL) == 0 && setresgid(1000, 1000, 1000) == 0 &&
	      setresuid(1000, 1000, 1000) == 0);
	CHECK_ERR(open(DIR "/secret", O_RDONLY), EACCES);
	CHECK_ERR(access(DIR "/secret", R_OK), EACCES);
	CHECK(access(DIR "/public", R_OK) == 0);
	CHECK_ERR(access(DIR "/public", W_OK), EACCES);
	CHECK((fd = open(DIR "/public", O_RDONLY)) >= 0 && close(fd) == 0);
	CHECK_ERR(open(DIR "/public", O_WRONLY), EACCES);
	CHECK_ERR(open(DIR "/public", O_RDONLY | O_TRUNC), EACCES);
	CHECK_ERR(truncate(DIR "/public", 0), EACCES);
	CHECK_ERR(open(DIR "/new", O_CREAT | O_WRONLY, 0644), EACCES);
	CHECK_ERR(mkdir(DIR "/newdir", 0755), EACCES);
	CHECK_ERR(unlink(DIR "/public"), EACCES);
	CHECK_ERR(rename(DIR "/public", DIR "/open/public"), EACCES);
	CHECK_ERR(chmod(DIR "/public", 0666), EPERM);
	CHECK_ERR(chown(DIR "/public", 1000, 1000), EPERM);
	CHECK(utimensat(AT_FDCWD, DIR "/shared", NULL, 0) == 0);
	CHECK_ERR(utimensat(AT_FDCWD, DIR "/public", NULL, 0), EACCES);
	struct timespec times[2] = { { 1, 0 }, { 1, 0 } };
	CHECK_ERR(utimensat(AT_FDCWD, DIR "/shared", times, 0), EPERM);
	/* search permission on the way */
	CHECK_ERR(stat(DIR "/private/inside", &st), EACCES);
	CHECK_ERR(chdir(DIR "/private"), EACCES);
	/* its own files, in a directory open to all */
	CHECK((fd = open(DIR "/open/mine", O_CREAT | O_WRONLY, 0640)) >= 0 && close(fd) == 0);
	CHECK(stat(DIR "/open/mine", &st) == 0 && st.st_uid == 1000 && st.st_gid == 1000 &&
	      (st.st_mode & 07777) == 0640);
	CHECK(chmod(DIR "/open/mine", 0600) == 0);
	CHECK_ERR(chown(DIR "/open/mine", 0, -1), EPERM);
	CHECK_ERR(chown(DIR "/open/mine", -1, 0), EPERM);
	CHECK(chown(DIR "/open/mine", -1, 1000) == 0);
	/* a sticky directory: others' names stay, its own go */
	CHECK_ERR(unlink(DIR "/sticky/roots"), EPERM);
	CHECK((fd = open(DIR "/sticky/own", O_CREAT | O_WRONLY, 0644)) >= 0 && close(fd) == 0);
	CHECK(unlink(DIR "/sticky/own") == 0);
}

static void cleanup(void)
{
	const char *files[] = { DIR "/secret", DIR "/public", DIR "/shared",
				DIR "/private/inside", DIR "/sticky/roots", DIR "/open/mine" };
	for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++)
		unlink(files[i]);
	rmdir(DIR "/private");
	rmdir(DIR "/sticky");
	rmdir(DIR "/open");
	rmdir(DIR);
}

int main(void)
{
	int status;

	umask(022);
	cleanup();
	setup();
	pid_t pid = fork();
	if (pid == 0) {
		as_user();
		_exit(done());
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* root reads what the user could not */
	CHECK(access(DIR "/secret", R_OK | W_OK) == 0);
	cleanup();
	CHECK_ERR(access(DIR, F_OK), ENOENT);
	return done();
}
