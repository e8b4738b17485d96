/*
 * Signals the VFS causes (terminal keys, writes to broken pipes) and the
 * cancelling of calls a signal cuts short. The VFS never calls the process
 * manager's main thread, which calls it synchronously: it queues the signal
 * and notifies the manager, which fetches the queue (vfs.idl's take_signals).
 * Servers run above POSIX processes, so the manager marks the target
 * before it runs on. What the VFS must know about a process (procfs, job
 * control) it asks the manager's info thread, which never calls anyone.
 */
#include "tty.h"
#include <tessera/proto/pm_types.h>     /* PM_INFO_NAME */

#define MAX_QUEUED 32

static long pm_info_ep = -1;

/* The process manager's "pm.info" endpoint, looked up on first use: it starts
 * after the VFS. */
uint32_t pm_info(void)
{
	if (pm_info_ep < 0)
		pm_info_ep = names_lookup(PM_INFO_NAME, false);
	return pm_info_ep < 0 ? TS_NOCAP : (uint32_t)pm_info_ep;
}

static struct { int target, sig; uint32_t tid; } queue[MAX_QUEUED];
static unsigned nqueued;
static long pm = -1;

void vfs_raise(int target, int sig, uint64_t caller)
{
	if (!target)
		return;
	if (pm < 0)
		pm = names_lookup("pm", false);
	if (pm < 0 || nqueued == MAX_QUEUED)
		return;
	queue[nqueued++] = (typeof(queue[0])){ target, sig, (uint32_t)(caller >> 32) };
	ts_notify((uint32_t)pm, VFS_NOTIFY_SIGNALS);
}

long vfs_take_signals(const struct vfs_take_signals_req *q, struct vfs_take_signals_rep *p)
{
	int32_t *to[] = { &p->to0, &p->to1, &p->to2 };
	uint64_t *sig[] = { &p->sig0, &p->sig1, &p->sig2 };
	unsigned n = MIN(nqueued, IDL_COUNT(to));

	(void)q;
	for (unsigned i = 0; i < n; i++) {
		*to[i] = queue[i].target;
		*sig[i] = (uint64_t)queue[i].sig | (uint64_t)queue[i].tid << 32;
	}
	nqueued -= n;
	memmove(queue, queue + n, nqueued * sizeof queue[0]);
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
