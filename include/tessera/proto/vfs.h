/* VFS protocol for the process manager (labels 0x300-0x3ff). POSIX
 * processes reach the VFS with forwarded syscalls instead (labels are
 * Linux syscall numbers, below 0x200). */
#ifndef TESSERA_PROTO_VFS_H
#define TESSERA_PROTO_VFS_H

enum vfs_label {
	/* word[0] = parent pid, word[1] = child pid: the child gets a copy of
	 * the parent's descriptor table and working directory <- 0 or -errno */
	VFS_FORK = 0x300,
	/* word[0] = pid: close its close-on-exec descriptors <- 0 */
	VFS_EXEC,
	/* word[0] = pid: close everything <- 0 */
	VFS_EXIT,
	/* word[0] = pid (whose working directory applies), grant = the path
	 * (read) <- 0 and word[0] = offset of the file's bytes in the
	 * initramfs module, word[1] = its size; or -errno */
	VFS_RESOLVE_EXEC,
	/* word[0] = pid: a signal cuts short the call pid waits in, which
	 * is answered -ERESTARTSYS (-ERESTARTNOHAND for poll) <- 0 */
	VFS_CANCEL,
	/* <- n (0..3) signals the VFS wants sent, word[2i] = target (a pid,
	 * or -pgid for a process group), word[2i+1] = signal; asked for
	 * until 0 after each VFS_NOTIFY_SIGNALS */
	VFS_TAKE_SIGNALS,
};

/* The VFS never calls the process manager (which calls it): it notifies
 * the manager's endpoint (registered as "pm") with this bit instead. */
#define VFS_NOTIFY_SIGNALS (1ull << 1)
/* The manager's own bit on that endpoint: a process ended (exit watch). */
#define PM_NOTIFY_EXIT     (1ull << 0)

#endif
