/*
 * What the VFS's procfs and terminals ask about processes
 * (include/tessera/proto/pm.idl), answered by a thread of its own on the
 * "pm.info" endpoint so that the VFS's call never waits for the main thread,
 * which may itself be calling the VFS. This thread only reads the process
 * table and never calls anyone.
 */
#include "signal.h"
#include <proto/pm_server.h>

#define RETRIES 100

static uint8_t stack[16384] __attribute__((aligned(16)));
static uint32_t info_ep;

/* The main thread's side: comm and cmdline change between two increments
 * of info_seq, so a reader can tell it saw them half written. */
static void set_names(struct pproc *p, const char *comm, const char *cmdline, uint32_t len)
{
	info_change_begin(p);
	strlcpy(p->comm, comm, sizeof p->comm);
	memcpy(p->cmdline, cmdline, len);
	p->cmdline_len = len;
	info_change_end(p);
}

void procinfo_inherit(const struct pproc *parent, struct pproc *child)
{
	child->image_start = parent->image_start;
	set_names(child, parent->comm, parent->cmdline, parent->cmdline_len);
}

/* Linux's comm is the executed file's name (for a script too), its
 * cmdline the new argv. */
void procinfo_exec(struct pproc *p, const char *path, char *const argv[])
{
	static char cmdline[PM_CMDLINE_MAX];
	const char *base = path;
	uint32_t n = 0;

	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	for (int i = 0; argv[i] && n < sizeof cmdline; i++) {
		uint32_t len = MIN(strlen(argv[i]) + 1, sizeof cmdline - n);
		memcpy(cmdline + n, argv[i], len);
		n += len;
	}
	set_names(p, base, cmdline, n);
}

/* Copy comm and cmdline of p (which is pid) unless they change meanwhile. */
static long copy_names(const struct pproc *p, int pid, struct pm_proc_info *info)
{
	for (int i = 0; i < RETRIES; i++) {
		unsigned seq = p->info_seq;
		info_read_barrier();
		if (!(seq & 1)) {
			memcpy(info->comm, p->comm, sizeof info->comm);
			info->cmdline_len = MIN(p->cmdline_len, sizeof info->cmdline);
			memcpy(info->cmdline, p->cmdline, info->cmdline_len);
		}
		info_read_barrier();
		if (!p->used || p->pid != pid)
			return -ESRCH;
		if (!(seq & 1) && p->info_seq == seq) {
			info->comm[sizeof info->comm - 1] = 0;
			return 0;
		}
		ts_yield();             /* the main thread is writing them */
	}
	return -EAGAIN;
}

static uint64_t vsize_of(const struct pproc *p)
{
	if (p->zombie || !p->brk_start)
		return 0;
	return (p->brk_start - p->image_start) + (ALIGN_UP(p->brk, 4096) - p->brk_start) +
	       (MMAP_TOP - p->mmap_top) + p->stack_size;
}

/* The copy of n bytes at src into the grant of the request whose reply
 * handle is reply: 0 or -EFAULT. */
static long to_requester(uint64_t reply, const void *src, uint64_t n)
{
	const struct ts_msg requester = { .reply = reply, .cap = TS_NOCAP };

	return to_caller(&requester, 0, src, n);
}

static long do_proc_info(const struct pm_proc_info_req *q, struct pm_proc_info_rep *rep)
{
	struct pm_proc_info info = { .state = 'R', .threads = 1 };
	struct ts_proc_stats st;
	int pid = q->pid, tid = q->tid;
	const struct pproc *p = proc_find(pid);
	const struct pthread *t = !p ? NULL : tid ? thread_of(p, tid) : thread_next(p, NULL);

	if (!p || (tid && !t))
		return -ESRCH;
	info.pid = tid ? tid : pid;
	info.tgid = pid;
	info.ppid = p->ppid;
	info.pgid = p->pgid;
	info.sid = p->sid;
	info.uid = p->cred.uid[ID_EFFECTIVE];
	info.gid = p->cred.gid[ID_EFFECTIVE];
	info.start_ns = p->start_ns;
	info.vsize = vsize_of(p);
	info.sigpending = p->sig_pending | (t ? t->sig_pending : 0);
	info.sigblocked = t ? t->sigmask : 0;
	for (int sig = 1; sig <= L_NSIG; sig++) {
		uint64_t handler = sig_action(p, sig)->handler;
		if (handler == L_SIG_IGN)
			info.sigignored |= SIGBIT(sig);
		else if (handler != L_SIG_DFL)
			info.sigcaught |= SIGBIT(sig);
	}
	if (p->slot != TS_NOCAP && !ts_proc_stats(p->slot, &st)) {
		info.cpu_ns = (st.ticks - st.sys_ticks) * 1000000;     /* 1 kHz timer */
		info.sys_ns = st.sys_ticks * 1000000;
		info.minflt = st.minflt;
		info.rss = st.resident_pages * 4096;
		info.threads = MAX(st.threads, 1u);
		info.state = st.runnable ? 'R' : 'S';
	}
	if (p->stop_sig)
		info.state = 'T';
	if (p->zombie) {
		info.state = 'Z';
		info.exit_status = p->wait_status;
	}
	(void)rep;
	long err = copy_names(p, pid, &info);
	return err ? err : to_requester(q->reply, &info, sizeof info);
}

static long do_proc_maps(const struct pm_proc_maps_req *q, struct pm_proc_maps_rep *rep)
{
	static struct pm_map maps[PM_MAPS_MAX];
	int pid = q->pid;
	const struct pproc *p = proc_find(pid);
	long n = -EAGAIN;

	for (int i = 0; p && n == -EAGAIN && i < RETRIES; i++)
		if ((n = vmmap_read(p, maps)) == -EAGAIN)
			ts_yield();         /* the main thread is changing them */
	(void)rep;
	if (!p || !p->used || p->pid != pid)
		return -ESRCH;
	if (n >= 0)
		n = MIN((uint64_t)n, q->maps_len / sizeof maps[0]);
	long err = n < 0 ? n : to_requester(q->reply, maps, (uint64_t)n * sizeof maps[0]);
	return err ? err : n;
}

/* id into ids[0..n), kept in increasing order <- the new n */
static int add_sorted(int32_t *ids, int n, int32_t id)
{
	int i = n;

	for (; i > 0 && ids[i - 1] > id; i--)
		ids[i] = ids[i - 1];
	ids[i] = id;
	return n + 1;
}

/* The first n of ids, as far as the grant of len bytes holds them <- how
 * many were copied */
static long answer_ids(uint64_t reply, uint64_t len, const int32_t *ids, int n)
{
	n = (int)MIN((uint64_t)n, len / sizeof ids[0]);
	long err = to_requester(reply, ids, n * sizeof ids[0]);
	return err ? err : n;
}

static long do_proc_list(const struct pm_proc_list_req *q, struct pm_proc_list_rep *rep)
{
	int32_t pids[PM_LIST_MAX];
	int n = 0, from = q->from;

	(void)rep;
	for (struct pproc *p = proc_next(NULL); p && n < PM_LIST_MAX; p = proc_next(p))
		if (p->pid >= from)
			n = add_sorted(pids, n, p->pid);
	return answer_ids(q->reply, q->pids_len, pids, n);
}

static long do_thread_list(const struct pm_thread_list_req *q, struct pm_thread_list_rep *rep)
{
	static int32_t tids[PM_TASKS_MAX];
	const struct pproc *p = proc_find(q->pid);
	int n = 0;

	(void)rep;
	if (!p)
		return -ESRCH;
	for (struct pthread *t = thread_next(p, NULL); t && n < PM_TASKS_MAX; t = thread_next(p, t))
		n = add_sorted(tids, n, t->tid);
	return answer_ids(q->reply, q->tids_len, tids, n);
}

/* POSIX's orphaned process group (Linux's will_become_orphaned_pgrp): no
 * member has a living parent outside the group but in its session; init
 * does not count as such a parent. */
static bool pgrp_orphaned(int pgid)
{
	for (struct pproc *p = proc_next(NULL); p; p = proc_next(p)) {
		if (p->pgid != pgid || p->zombie)
			continue;
		const struct pproc *parent = proc_find(p->ppid);
		if (parent && parent->pid != 1 && !parent->zombie && parent->pgid != pgid &&
		    parent->sid == p->sid)
			return false;
	}
	return true;
}

/* What the line discipline needs to stop a background job (Linux's
 * __tty_check_change): the caller's group and session, whether the
 * calling thread would not take sig (if not 0), whether its group is
 * orphaned. */
static long do_job_info(const struct pm_job_info_req *q, struct pm_job_info_rep *rep)
{
	const struct pproc *p = proc_find(q->pid);
	int sig = q->sig;

	if (!p || p->zombie)
		return -ESRCH;
	if (sig < 0 || sig > L_NSIG)
		return -EINVAL;
	const struct pthread *t = thread_of(p, q->tid);
	bool ignored = sig && (sig_action(p, sig)->handler == L_SIG_IGN ||
			       (t && t->sigmask & SIGBIT(sig)));
	rep->pgid = p->pgid;
	rep->sid = p->sid;
	rep->flags = (ignored ? PM_JOB_SIG_IGNORED : 0) |
		     (pgrp_orphaned(p->pgid) ? PM_JOB_ORPHANED : 0);
	return 0;
}

static long do_system_info(const struct pm_system_info_req *q, struct pm_system_info_rep *rep)
{
	(void)q;
	rep->boot_time = pm_boot_epoch_seconds();
	rep->created = rep->last_pid = proc_last_pid();
	return 0;
}

static const struct pm_handlers info_handlers = {
	.drop_cap = ts_cap_drop,
	.on_proc_list = do_proc_list,
	.on_proc_info = do_proc_info,
	.on_system_info = do_system_info,
	.on_job_info = do_job_info,
	.on_proc_maps = do_proc_maps,
	.on_thread_list = do_thread_list,
};

/* One request; the answer is built in m (tests/hostfuzz calls it too). */
static long answer(struct ts_msg *m)
{
	return pm_dispatch(&info_handlers, m, m);
}

static void serve(uint64_t arg)
{
	struct ts_msg m = { 0 };
	long err = ts_recv(info_ep, &m);

	(void)arg;
	for (;;) {
		if (err) {
			err = ts_recv(info_ep, &m);
			continue;
		}
		info_answer_begin();
		answer(&m);         /* never TS_NO_REPLY: this thread waits for no one */
		info_answer_end();
		err = ts_reply_recv(info_ep, &m);
	}
}

long procinfo_start(void)
{
	long ep = ts_ep_create();

	if (ep < 0)
		return ep;
	info_ep = ep;
	long err = names_register(PM_INFO_NAME, ep);
	if (err < 0)
		return err;
	long tid = ts_thread_create(serve, stack + sizeof stack, 0);
	return tid < 0 ? tid : 0;
}
