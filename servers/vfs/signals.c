/*
 * Signals the VFS causes (terminal keys, writes to broken pipes) and the
 * cancelling of calls a signal cuts short. The VFS never calls the process
 * manager's main thread, which calls it synchronously: it queues the signal
 * and notifies the manager, which fetches the queue (vfs.idl's take_signals).
 * Servers run above POSIX processes, so the manager marks the target
 * before it runs on. What the VFS must know about a process (procfs, job
 * control) it asks the manager's info thread, which never calls anyone.
 */
#include <malloc.h>
#include "tty.h"
#include <tessera/proto/pm_types.h>     /* PM_INFO_NAME */

static long pm_info_ep = -1;

/* The process manager's "pm.info" endpoint, looked up on first use: it starts
 * after the VFS. */
uint32_t pm_info(void)
{
	if (pm_info_ep < 0)
		pm_info_ep = names_lookup(PM_INFO_NAME, false);
	return pm_info_ep < 0 ? TS_NOCAP : (uint32_t)pm_info_ep;
}

/* The signals not yet taken, oldest first, from memory: no table of the
 * system's that one user's pipes or terminals fill. One already waiting
 * is not queued twice (the manager would merge them: none is real-time). */
struct queued {
	int target, sig;
	uint32_t tid;
	struct queued *next;
};
static struct queued *queue, **queue_end = &queue;
static long pm = -1;

static bool queued(int target, int sig, uint32_t tid)
{
	for (const struct queued *q = queue; q; q = q->next)
		if (q->target == target && q->sig == sig && q->tid == tid)
			return true;
	return false;
}

void vfs_raise(int target, int sig, uint64_t caller)
{
	uint32_t tid = (uint32_t)(caller >> 32);

	if (!target)
		return;
	if (pm < 0)
		pm = names_lookup("pm", false);
	if (pm < 0 || queued(target, sig, tid))
		return;
	struct queued *q = malloc(sizeof *q);
	if (!q) {
		ts_print("out of memory: signal %d to %d lost", sig, target);
		return;
	}
	*q = (struct queued){ target, sig, tid, NULL };
	*queue_end = q;
	queue_end = &q->next;
	ts_notify((uint32_t)pm, VFS_NOTIFY_SIGNALS);
}

long vfs_take_signals(const struct vfs_take_signals_req *q, struct vfs_take_signals_rep *p)
{
	int32_t *to[] = { &p->to0, &p->to1, &p->to2 };
	uint64_t *sig[] = { &p->sig0, &p->sig1, &p->sig2 };
	unsigned n = 0;

	(void)q;
	for (struct queued *s; n < IDL_COUNT(to) && (s = queue); n++) {
		*to[n] = s->target;
		*sig[n] = (uint64_t)s->sig | (uint64_t)s->tid << 32;
		queue = s->next;
		free(s);
	}
	if (!queue)
		queue_end = &queue;
	return n;
}

long vfs_cancel(uint64_t who)
{
	tty_cancel(who);
	pty_cancel(who);
	pipe_cancel(who);
	poll_cancel(who);
	return 0;
}
