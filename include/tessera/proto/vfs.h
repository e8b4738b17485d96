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
};

#endif
