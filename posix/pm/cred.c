/*
 * Credentials: real, effective and saved user and group ids and the
 * supplementary groups, with Linux's rules for who may change what (an
 * effective uid of 0 stands for CAP_SETUID/CAP_SETGID), and the permission
 * to send a signal.
 */
#include "pm.h"
#include <proto/vfs_client.h>

#define KEEP ((uint32_t)-1)          /* "leave this id unchanged" */

static bool privileged(const struct pproc *p)
{
	return p->cred.uid[ID_EFFECTIVE] == 0;
}

static bool one_of(uint32_t id, const uint32_t ids[3])
{
	return id == ids[0] || id == ids[1] || id == ids[2];
}

/* setresuid/setresgid on ids = {real, effective, saved} */
static long set_res(const struct pproc *p, uint32_t ids[3], const uint32_t want[3])
{
	for (int i = 0; i < 3; i++)
		if (want[i] != KEEP && !privileged(p) && !one_of(want[i], ids))
			return -EPERM;
	for (int i = 0; i < 3; i++)
		if (want[i] != KEEP)
			ids[i] = want[i];
	return 0;
}

/* setreuid/setregid: the saved id follows the effective one when the real
 * one is set or the effective one differs from the old real one. */
static long set_re(const struct pproc *p, uint32_t ids[3], uint32_t r, uint32_t e)
{
	uint32_t real_ok[3] = { ids[ID_REAL], ids[ID_EFFECTIVE], ids[ID_EFFECTIVE] };

	if (r != KEEP && !privileged(p) && !one_of(r, real_ok))
		return -EPERM;
	if (e != KEEP && !privileged(p) && !one_of(e, ids))
		return -EPERM;
	uint32_t new_e = e != KEEP ? e : ids[ID_EFFECTIVE];
	bool follow = r != KEEP || (e != KEEP && e != ids[ID_REAL]);
	uint32_t saved = follow ? new_e : KEEP;
	uint32_t want[3] = { r, e, saved };
	return set_res(p, ids, want);
}

/* setuid/setgid: all three if privileged, else the effective one only,
 * to the real or saved id */
static long set_one(const struct pproc *p, uint32_t ids[3], uint32_t id)
{
	if (privileged(p)) {
		ids[ID_REAL] = ids[ID_EFFECTIVE] = ids[ID_SAVED] = id;
		return 0;
	}
	if (id != ids[ID_REAL] && id != ids[ID_SAVED])
		return -EPERM;
	ids[ID_EFFECTIVE] = id;
	return 0;
}

static long get_res(const struct ts_msg *m, const uint32_t ids[3])
{
	for (int i = 0; i < 3; i++)
		if (to_caller(m, m->word[i], &ids[i], sizeof ids[i]))
			return -EFAULT;
	return 0;
}

static long set_groups(struct pproc *p, const struct ts_msg *m)
{
	uint64_t n = m->word[0];

	if (!privileged(p))
		return -EPERM;
	if ((int)n < 0 || n > MAX_GROUPS)
		return -EINVAL;
	uint32_t groups[MAX_GROUPS];
	if (n && from_caller(m, m->word[1], groups, n * sizeof groups[0]))
		return -EFAULT;
	memcpy(p->cred.groups, groups, n * sizeof groups[0]);
	p->cred.ngroups = (unsigned)n;
	return 0;
}

static long get_groups(const struct pproc *p, const struct ts_msg *m)
{
	int size = (int)m->word[0];
	long n = p->cred.ngroups;

	if (size < 0 || (size && size < n))
		return -EINVAL;
	if (size && to_caller(m, m->word[1], p->cred.groups, n * sizeof(uint32_t)))
		return -EFAULT;
	return n;
}

/* The VFS checks file access against the effective ids and groups, and
 * access(2) against the real ones. */
static void tell_vfs(const struct pproc *p)
{
	const struct pm_cred *c = &p->cred;

	vfs_set_cred_call(pm_vfs(), p->pid, c->uid[ID_EFFECTIVE], c->gid[ID_EFFECTIVE],
			  c->uid[ID_REAL], c->gid[ID_REAL], c->groups,
			  c->ngroups * sizeof c->groups[0]);
}

/* Linux's rules (commoncap's bprm_creds_from_file): a set-user-ID file
 * makes its owner the effective uid; a set-group-ID file with group execute
 * (without it the bit marks mandatory locking) its group the effective
 * gid; the saved ids copy the effective ones whatever the file. The exec is
 * "secure" when the effective ids changed or differ from the real ones. */
void cred_for_exec(const struct pproc *p, const struct exec_file *f, struct exec_ids *ids)
{
	struct pm_cred *c = &ids->cred;

	*c = p->cred;
	if (f->mode & 04000)
		c->uid[ID_EFFECTIVE] = f->uid;
	if ((f->mode & 02010) == 02010)
		c->gid[ID_EFFECTIVE] = f->gid;
	c->uid[ID_SAVED] = c->uid[ID_EFFECTIVE];
	c->gid[ID_SAVED] = c->gid[ID_EFFECTIVE];
	ids->secure = c->uid[ID_EFFECTIVE] != p->cred.uid[ID_EFFECTIVE] ||
		      c->gid[ID_EFFECTIVE] != p->cred.gid[ID_EFFECTIVE] ||
		      c->uid[ID_EFFECTIVE] != c->uid[ID_REAL] ||
		      c->gid[ID_EFFECTIVE] != c->gid[ID_REAL];
}

void cred_exec_commit(struct pproc *p, const struct exec_ids *ids)
{
	bool vfs_stale = p->cred.uid[ID_EFFECTIVE] != ids->cred.uid[ID_EFFECTIVE] ||
			 p->cred.gid[ID_EFFECTIVE] != ids->cred.gid[ID_EFFECTIVE];

	p->cred = ids->cred;
	if (vfs_stale)         /* it knows the effective and real ids only */
		tell_vfs(p);
}

static long changed(const struct pproc *p, long err)
{
	if (!err)
		tell_vfs(p);
	return err;
}

long pm_cred(struct pproc *p, struct ts_msg *m)
{
	uint32_t *uids = p->cred.uid, *gids = p->cred.gid, a0 = (uint32_t)m->word[0],
		 a1 = (uint32_t)m->word[1], want[3] = { a0, a1, (uint32_t)m->word[2] };

	switch (m->label) {
	case NR_getuid:    return uids[ID_REAL];
	case NR_geteuid:   return uids[ID_EFFECTIVE];
	case NR_getgid:    return gids[ID_REAL];
	case NR_getegid:   return gids[ID_EFFECTIVE];
	case NR_setuid:    return changed(p, set_one(p, uids, a0));
	case NR_setgid:    return changed(p, set_one(p, gids, a0));
	case NR_setreuid:  return changed(p, set_re(p, uids, a0, a1));
	case NR_setregid:  return changed(p, set_re(p, gids, a0, a1));
	case NR_setresuid: return changed(p, set_res(p, uids, want));
	case NR_setresgid: return changed(p, set_res(p, gids, want));
	case NR_getresuid: return get_res(m, uids);
	case NR_getresgid: return get_res(m, gids);
	case NR_setgroups: return changed(p, set_groups(p, m));
	case NR_getgroups: return get_groups(p, m);
	default:           return -ENOSYS;
	}
}

bool pm_may_signal(const struct pproc *from, const struct pproc *to)
{
	const uint32_t *f = from->cred.uid, *t = to->cred.uid;

	return privileged(from) || f[ID_REAL] == t[ID_REAL] || f[ID_REAL] == t[ID_SAVED] ||
	       f[ID_EFFECTIVE] == t[ID_REAL] || f[ID_EFFECTIVE] == t[ID_SAVED];
}
