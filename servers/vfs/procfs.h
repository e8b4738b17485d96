/* procfs internals: the /proc tree and its open files (procfs.c) and the
 * files' contents, generated from the process manager's answers and the
 * kernel's counters (procfs_files.c). */
#ifndef PROCFS_H
#define PROCFS_H

#include <tessera/proto/pm.h>

#define SNAPSHOT_MAX 4096

/* A file's contents, generated once at open as Linux does per read. */
struct snapshot {
	bool used;
	uint32_t len;
	char text[SNAPSHOT_MAX];
};

/* Fill s for pid (0 for the files directly in /proc): 0 or -errno. */
typedef long gen_fn(struct snapshot *s, int pid);

gen_fn gen_filesystems, gen_loadavg, gen_meminfo, gen_mounts, gen_stat, gen_uptime,
	gen_version;
gen_fn gen_pid_cmdline, gen_pid_comm, gen_pid_stat, gen_pid_status;

/* The pids of all processes (zombies too), increasing: their number or -errno. */
long procfs_pids(int32_t pids[PM_LIST_MAX]);
/* The pid whose request is being served. */
int procfs_caller(void);

#endif
