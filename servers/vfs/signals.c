/*
 * Signals the VFS causes (terminal keys, writes to broken pipes) and the
 * cancelling of calls a signal cuts short. The VFS never calls the process
 * manager's main thread, which calls it synchronously: it queues the signal
 * and notifies the manager, which fetches the queue (VFS_TAKE_SIGNALS).
 * Servers run above POSIX processes, so the manager marks the target
 * before it runs on. What the VFS must know about a process (procfs, job
 * control) it asks the manager's info thread, which never calls anyone.
 */
#include <malloc.h>
#include "tty.h"
#include <tessera/proto/vfs.h>
#include <tessera/proto/pm.h>

static long pm_info_ep = -1;

/* The process manager's "pm.info" endpoint, looked up on first use: it starts
 * after the VFS. */
long pm_info_call(struct ts_msg *m, void *buf, size_t len)
{
	if (pm_info_ep < 0) {
		long ep = names_lookup(PM_INFO_NAME, false);
		if (ep < 0)
			return ep;
		pm_info_ep = ep;
	}
	m->buf = (uint64_t)buf;
	m->buf_len = len;
	m->buf_flags = TS_GRANT_WRITE;
	long err = ts_call(pm_info_ep, m);
	return err ? err : (long)m->label;
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

long vfs_take_signals(struct ts_msg *m)
{
	unsigned n = 0;

	for (struct queued *q; n < TS_MSG_WORDS / 2 && (q = queue); n++) {
		m->word[2 * n] = (uint64_t)(int64_t)q->target;
		m->word[2 * n + 1] = (uint64_t)q->sig | (uint64_t)q->tid << 32;
		queue = q->next;
		free(q);
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
