/* VFS protocol for the process manager (labels 0x300-0x3ff). POSIX
 * processes reach the VFS with forwarded syscalls instead (labels are
 * Linux syscall numbers, below 0x200).
 *
 * The umask is the VFS's, like the working directory (Linux keeps both in
 * fs_struct): umask() is routed to the VFS and VFS_FORK copies it. */
#ifndef TESSERA_PROTO_VFS_H
#define TESSERA_PROTO_VFS_H

enum vfs_label {
	/* word[0] = parent pid, word[1] = child pid: the child gets a copy of
	 * the parent's descriptor table, working directory and umask
	 * <- 0 or -errno */
	VFS_FORK = 0x300,
	/* word[0] = pid: close its close-on-exec descriptors <- 0 */
	VFS_EXEC,
	/* word[0] = pid: close everything <- 0 */
	VFS_EXIT,
	/* word[0] = pid (whose working directory applies), grant = the path
	 * (read) <- 0 and word[0] = offset of the file's bytes in the
	 * initramfs module, or VFS_EXEC_NOT_ARCHIVED for a file written at
	 * run time (then read it with VFS_READ_EXEC), word[1] = its size,
	 * word[2] = its inode number, word[3] = its permission bits (the
	 * set-user-ID and set-group-ID bits cleared on a nosuid mount),
	 * word[4] = its owner, word[5] = its group; or -errno (EACCES: not a
	 * regular file with an execute bit) */
	VFS_RESOLVE_EXEC,
	/* word[0] = a thread's badge (pid | tid << 32): a signal cuts short
	 * the call it waits in, which is answered -ERESTARTSYS
	 * (-ERESTARTNOHAND for poll) <- 0 */
	VFS_CANCEL,
	/* <- n (0..3) signals the VFS wants sent, word[2i] = target (a pid,
	 * or -pgid for a process group), word[2i+1] = signal | tid << 32:
	 * tid (or 0) is the thread whose call caused it, which takes it if it
	 * is for its process (Linux's send_sig to current) and whose call,
	 * answered -ERESTARTSYS, restarts at a signal point; asked for until
	 * 0 after each VFS_NOTIFY_SIGNALS */
	VFS_TAKE_SIGNALS,
	/* word[0] = inode number from VFS_RESOLVE_EXEC, grant = a buffer
	 * (write) <- the file's first bytes copied into it: their count, or
	 * -ENOENT if the file is gone */
	VFS_READ_EXEC,
	/* word[0] = the wall clock (ns since the epoch) when the kernel's
	 * clock read 0, for file timestamps <- 0 */
	VFS_SET_CLOCK,
	/* word[0] = pid, word[1..4] = effective uid, gid, real uid, gid,
	 * word[5] = number of supplementary groups, grant = them (uint32_t,
	 * read): the ids its file calls are checked against <- 0 */
	VFS_SET_CRED,
	/* word[0] = pid, word[1] = fd, word[2] = file offset, word[3] = the
	 * mapping's prot, word[4] = its flags (Linux's PROT_* and MAP_*),
	 * grant = a buffer (write) <- the count of the file's bytes from that
	 * offset copied into it (0 past the end), or -errno as mmap(2) has
	 * it: EBADF, EACCES (fd not open for reading, or MAP_SHARED with
	 * PROT_WRITE and fd not open for writing), ENODEV (not a regular
	 * file, or a writable MAP_SHARED mapping: not supported) */
	VFS_MAP_READ,
	/* word[0] = pid, word[1] = fd, or -1 for its executable, grant = a
	 * buffer (write) <- the file's name as /proc/<pid>/maps shows it, with
	 * its NUL: its length (cut to the buffer), word[0] = its device,
	 * word[1] = its inode; or -EBADF, -ENOENT */
	VFS_FILE_NAME,
	/* word[0] = pid, word[1] = its RLIMIT_NOFILE, word[2] = its
	 * RLIMIT_FSIZE (soft limits): its new descriptors are below the one
	 * (EMFILE), its writes and truncates end at the other (EFBIG and
	 * SIGXFSZ) <- 0 */
	VFS_SET_LIMITS,
};

#define VFS_EXEC_NOT_ARCHIVED (~0ull)

/* The VFS never calls the process manager (which calls it): it notifies
 * the manager's endpoint (registered as "pm") with this bit instead. */
#define VFS_NOTIFY_SIGNALS (1ull << 1)
/* The manager's own bit on that endpoint: a process ended (exit watch). */
#define PM_NOTIFY_EXIT     (1ull << 0)

#endif
