/*
 * Synchronous IPC over endpoints (call / receive / reply, replies may come
 * later and from any thread of the server) and asynchronous notifications
 * (bits OR-ed into an endpoint, delivered to its next receiver).
 */
#ifndef IPC_H
#define IPC_H

#include <proc.h>

struct endpoint {
	unsigned refs;               /* capabilities naming it */
	unsigned recv_refs;          /* of those, with TS_RIGHT_RECV */
	struct list_node senders;    /* callers waiting for a receiver */
	struct list_node receivers;  /* receivers waiting for a message */
	uint64_t pending;            /* notification bits not yet delivered */
	struct process *owner;       /* its creator, charged for it */
};

/* Point t at the endpoint in ep_slot (send right needed), bit 0..63. */
int notify_target_set(struct notify_target *t, uint64_t ep_slot, uint64_t bit);
void notify_target_fire(const struct notify_target *t);
void notify_target_clear(struct notify_target *t);

/* A new endpoint charged to owner's quota (NULL and *err if refused), and
 * its end (the last capability gone, or none ever made). */
struct endpoint *endpoint_create(struct process *owner, int *err);
void endpoint_destroy(struct endpoint *ep);
/* Capability bookkeeping (the captable hooks call these). */
void endpoint_retain(struct endpoint *ep, unsigned rights);
void endpoint_release(struct endpoint *ep, unsigned rights);
/* OR bits into ep and wake a receiver; safe from interrupt context. */
void ipc_notify(struct endpoint *ep, uint64_t bits);
/* Take t out of whatever IPC wait it is in (it is being killed). */
void ipc_cancel(struct thread *t);
/* The caller a reply handle names, if it still waits on the current
 * process; NULL otherwise. */
struct thread *ipc_caller_of(uint64_t handle);
/* Every thread waiting for a reply from p fails with -EPIPE. */
void ipc_fail_callers_of(struct process *p);

/* Call ep on behalf of the current thread with a kernel-made message whose
 * grant is the thread's whole address space (a forwarded Linux syscall);
 * returns the reply's label, or -EIO if the server is gone. */
long ipc_forward(struct endpoint *ep, uint64_t label, const uint64_t args[TS_MSG_WORDS],
		 uint64_t badge);

long sys_call(uint64_t ep_slot, uint64_t umsg);
long sys_recv(uint64_t ep_slot, uint64_t umsg, uint64_t timeout_ns);
long sys_reply(uint64_t unused, uint64_t umsg);
long sys_reply_recv(uint64_t ep_slot, uint64_t umsg);
long sys_notify(uint64_t ep_slot, uint64_t bits);
long sys_grant_copy(uint64_t reply, uint64_t offset, uint64_t local,
		    uint64_t len, uint64_t dir);

#endif
