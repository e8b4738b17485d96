/* Permission checks: owner, group or other bits of a node's mode, root
 * bypassing all but execute (which needs some x bit, or a directory). */
#include "vfs.h"

#define S_ISUID 04000
#define S_ISGID 02000
#define S_ISVTX 01000
#define S_IXGRP 00010

const struct vfs_cred vfs_root;
const struct vfs_cred *vfs_caller = &vfs_root;

bool perm_in_group(uint32_t gid)
{
	if (vfs_caller->gid == gid)
		return true;
	for (unsigned i = 0; i < vfs_caller->ngroups; i++)
		if (vfs_caller->groups[i] == gid)
			return true;
	return false;
}

long perm_check(const struct node *n, int mask)
{
	unsigned mode = n->mode;

	if (vfs_caller->uid == 0)
		return !(mask & MAY_EXEC) || node_is_dir(n) || mode & 0111 ? 0 : -EACCES;
	if (vfs_caller->uid == n->uid)
		mode >>= 6;
	else if (perm_in_group(n->gid))
		mode >>= 3;
	return (mode & (unsigned)mask) == (unsigned)mask ? 0 : -EACCES;
}

bool perm_owner(const struct node *n)
{
	return vfs_caller->uid == 0 || vfs_caller->uid == n->uid;
}

void perm_drop_setid(struct node *n)
{
	if (node_is_dir(n))
		return;
	n->mode &= ~S_ISUID;
	if (n->mode & S_IXGRP)
		n->mode &= ~S_ISGID;    /* without group execute it marks locking */
}

void perm_contents_changed(struct node *n)
{
	if (vfs_caller->uid)
		perm_drop_setid(n);
}

long perm_sticky(const struct node *dir, const struct node *n)
{
	if (!(dir->mode & S_ISVTX) || perm_owner(n) || perm_owner(dir))
		return 0;
	return -EPERM;
}
