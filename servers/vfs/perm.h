/* Who is asking, and may they: Linux's permission rules over node modes,
 * for the caller of the request being served (like MINIX's `fp`: the VFS
 * serves one request at a time). The process manager tells the VFS a
 * process's ids when they change (VFS_SET_CRED); a table starts as root. */
#ifndef VFS_PERM_H
#define VFS_PERM_H

#include <stdbool.h>
#include <stdint.h>
#include <proto/vfs.h>     /* VFS_MAX_GROUPS */

struct vfs_cred {
	uint32_t uid, gid;          /* effective: files and permissions */
	uint32_t ruid, rgid;        /* real: access(2) */
	uint32_t groups[VFS_MAX_GROUPS];
	unsigned ngroups;
};

enum { MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4 };

struct node;

/* the credentials the current request is checked against */
extern const struct vfs_cred *vfs_caller;
extern const struct vfs_cred vfs_root;

/* 0, or -EACCES if the caller may not read/write/execute (search) n */
long perm_check(const struct node *n, int mask);
/* the caller owns n or is root (chmod, utimes with times, sticky dirs) */
bool perm_owner(const struct node *n);
/* removing a name from dir that leads to n: -EPERM in a sticky directory
 * unless the caller owns one of them */
long perm_sticky(const struct node *dir, const struct node *n);
/* Linux's should_remove_suid: the set-user-ID bit, and the set-group-ID
 * bit where it means set-group-ID (group execute on), go when a file gets
 * a new owner, or new contents from a caller without CAP_FSETID (not root:
 * perm_contents_changed). */
void perm_drop_setid(struct node *n);
void perm_contents_changed(struct node *n);
/* gid is one the caller is in */
bool perm_in_group(uint32_t gid);

#endif
