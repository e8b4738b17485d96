/* Endpoints: call / receive / reply, notifications, and grant copies. */
#include <arch/arch.h>
#include <arch/platform.h>
#include <cap.h>
#include <ipc.h>
#include <log.h>
#include <mm.h>
#include <quota.h>
#include <sched.h>
#include <tid.h>
#include <vm.h>
#include <tessera/errno.h>

static uint32_t next_reply_gen = 1;
uint64_t ipc_call_count;

struct endpoint *endpoint_create(struct process *owner, int *err)
{
	struct endpoint *ep = NULL;

	*err = quota_take(&owner->quota, QUOTA_ENDPOINT);
	if (!*err && !(ep = kzalloc(sizeof *ep))) {
		quota_put(&owner->quota, QUOTA_ENDPOINT);
		*err = -ENOMEM;
	}
	if (*err)
		return NULL;
	list_init(&ep->senders);
	list_init(&ep->receivers);
	ep->owner = owner;
	proc_get(owner);
	return ep;
}

void endpoint_destroy(struct endpoint *ep)
{
	quota_put(&ep->owner->quota, QUOTA_ENDPOINT);
	proc_put(ep->owner);
	kfree(ep);
}

static void drop_xfer(struct thread *t)
{
	if (t->xfer.type != TS_CAP_NULL) {
		cap_release(&t->xfer);
		t->xfer.type = TS_CAP_NULL;
	}
}

/* Wake everything queued on ep with an error: its receivers are gone. */
static void fail_queue(struct list_node *q, long err)
{
	struct list_node *pos, *tmp;

	list_for_each_safe(pos, tmp, q) {
		struct thread *t = list_entry(pos, struct thread, run_link);
		list_remove(pos);
		drop_xfer(t);
		t->ep = NULL;
		sched_wake(t, err);
	}
}

void endpoint_retain(struct endpoint *ep, unsigned rights)
{
	ep->refs++;
	if (rights & TS_RIGHT_RECV)
		ep->recv_refs++;
}

void endpoint_release(struct endpoint *ep, unsigned rights)
{
	if ((rights & TS_RIGHT_RECV) && --ep->recv_refs == 0) {
		fail_queue(&ep->senders, -EPIPE);
		fail_queue(&ep->receivers, -EPIPE);
	}
	if (--ep->refs == 0)
		endpoint_destroy(ep);
}

static uint64_t reply_handle(const struct thread *t)
{
	return (uint64_t)t->reply_gen << 32 | t->tid;
}

/* The caller a reply handle names, if it still waits on this process. */
struct thread *ipc_caller_of(uint64_t handle)
{
	struct thread *t = thread_by_tid((uint32_t)handle);

	if (!t || t->state != T_REPLY || t->reply_from != current_proc() ||
	    t->reply_gen != (uint32_t)(handle >> 32))
		return NULL;
	return t;
}

/* t waits for server's reply, on server's list of callers so that the
 * server's exit finds exactly the threads it leaves waiting. */
static void await_reply(struct thread *t, struct process *server)
{
	t->reply_from = server;
	list_add_tail(&server->callers, &t->reply_link);
	t->state = T_REPLY;
}

/* t waits for a reply no more: answered, cancelled or failed. */
static void end_reply_wait(struct thread *t)
{
	list_remove(&t->reply_link);
	t->reply_from = NULL;
}

/* Move the message of sender s to receiver r; s then waits for the reply. */
static void deliver(struct thread *s, struct thread *r)
{
	r->msg = s->msg;
	r->msg.reply = reply_handle(s);
	r->msg.buf = 0;                 /* the receiver never sees the address */
	r->msg.cap = TS_NOCAP;
	if (s->xfer.type != TS_CAP_NULL) {
		int slot = cap_install(r->proc, &s->xfer);
		r->msg.cap = slot < 0 ? TS_NOCAP : (uint32_t)slot;
		drop_xfer(s);
	}
	s->ep = NULL;
	await_reply(s, r->proc);
}

/* Check what a message asks to carry, and take the capability it sends. */
static int prepare_send(struct thread *self, const struct cap *ep_cap)
{
	struct ts_msg *m = &self->msg;

	if (m->buf_flags & ~(uint64_t)(TS_GRANT_READ | TS_GRANT_WRITE))
		return -EINVAL;
	if (m->buf_len > TS_GRANT_MAX)
		return -EMSGSIZE;
	if (m->buf_len && !user_range_ok(m->buf, m->buf_len))
		return -EFAULT;
	if (!m->buf_len)
		m->buf_flags = 0;
	m->badge = ep_cap->badge;
	if (m->cap == TS_NOCAP)
		return 0;
	if (!(ep_cap->rights & TS_RIGHT_GRANT))
		return -EPERM;
	struct cap *c;
	int err = cap_get(m->cap, TS_CAP_NULL, 0, &c);
	if (err)
		return err;
	self->xfer = *c;
	cap_retain(&self->xfer);
	return 0;
}

static bool msg_has_tail(const struct ts_msg *m)
{
	return m->cap != TS_NOCAP || m->buf_len;
}

/* The message the current thread sends: its registers, and the tail from
 * memory only if it says it has one. */
static int msg_in(struct thread *self, uint64_t umsg)
{
	if (!arch_msg_from_frame(self->frame, &self->msg))
		return 0;
	return copy_from_user(self->proc->vm, (char *)&self->msg + TS_MSG_TAIL_OFFSET,
			      umsg + TS_MSG_TAIL_OFFSET, TS_MSG_TAIL_SIZE);
}

/* Hand the message the current thread received to user space. */
static int msg_out(struct thread *self, uint64_t umsg)
{
	bool tail = msg_has_tail(&self->msg);

	if (tail && copy_to_user(self->proc->vm, umsg + TS_MSG_TAIL_OFFSET,
				 (char *)&self->msg + TS_MSG_TAIL_OFFSET, TS_MSG_TAIL_SIZE))
		return -EFAULT;
	arch_msg_to_frame(self->frame, &self->msg, tail);
	return 0;
}

/* A receiver whose message could not be handed over: its caller must not
 * wait for a reply that will never come. */
static long lost_message(struct thread *self)
{
	struct thread *t = ipc_caller_of(self->msg.reply);

	if (t) {
		end_reply_wait(t);
		sched_wake(t, -EFAULT);
	}
	return -EFAULT;
}

static long finish_recv(struct thread *self, uint64_t umsg)
{
	if (self->wait_result < 0)
		return self->wait_result;
	return msg_out(self, umsg) ? lost_message(self) : 0;
}

/* Send the current thread's message on ep; block until the reply (which
 * replaces the message) or an error. */
static long call_and_wait(struct thread *self, struct endpoint *ep)
{
	ipc_call_count++;
	self->reply_gen = next_reply_gen++;
	if (list_empty(&ep->receivers)) {
		self->ep = ep;
		list_add_tail(&ep->senders, &self->run_link);
		sched_block(T_SEND);
	} else {
		struct thread *r = list_first(&ep->receivers, struct thread, run_link);
		list_remove(&r->run_link);
		r->ep = NULL;
		deliver(self, r);
		sched_handoff(T_REPLY, r, 0);
	}
	return self->wait_result;
}

long sys_call(uint64_t ep_slot, uint64_t umsg)
{
	struct thread *self = current_thread();
	struct cap *c;
	int err = cap_get(ep_slot, TS_CAP_ENDPOINT, TS_RIGHT_SEND, &c);

	if (!err)
		err = msg_in(self, umsg);
	if (!err)
		err = prepare_send(self, c);
	if (err)
		return err;
	struct endpoint *ep = c->obj;
	if (!ep->recv_refs) {
		drop_xfer(self);
		return -EPIPE;
	}
	long r = call_and_wait(self, ep);
	return r < 0 ? r : msg_out(self, umsg);
}

long ipc_forward(struct endpoint *ep, uint64_t label, const uint64_t args[TS_MSG_WORDS],
		 uint64_t badge)
{
	struct thread *self = current_thread();

	if (!ep->recv_refs)
		return -EIO;
	self->msg = (struct ts_msg){ .label = label, .badge = badge, .cap = TS_NOCAP,
				     .buf = 0, .buf_len = VM_USER_TOP,
				     .buf_flags = TS_GRANT_READ | TS_GRANT_WRITE };
	memcpy(self->msg.word, args, sizeof self->msg.word);
	long r = call_and_wait(self, ep);
	return r < 0 ? -EIO : (long)self->msg.label;
}

static void notification_msg(struct ts_msg *m, uint64_t bits)
{
	*m = (struct ts_msg){ .label = TS_LABEL_NOTIFY, .cap = TS_NOCAP };
	m->word[0] = bits;
}

static long do_recv(struct thread *self, struct endpoint *ep, uint64_t umsg,
		    uint64_t timeout_ns)
{
	self->wait_result = 0;
	if (ep->pending) {
		notification_msg(&self->msg, ep->pending);
		ep->pending = 0;
	} else if (!list_empty(&ep->senders)) {
		struct thread *s = list_first(&ep->senders, struct thread, run_link);
		list_remove(&s->run_link);
		deliver(s, self);
	} else {
		self->ep = ep;
		list_add_tail(&ep->receivers, &self->run_link);
		if (timeout_ns)
			sched_set_timeout(self, time_ns() + timeout_ns);
		sched_block(T_RECV);
	}
	return finish_recv(self, umsg);
}

static int recv_endpoint(uint64_t ep_slot, struct endpoint **ep)
{
	struct cap *c;
	int err = cap_get(ep_slot, TS_CAP_ENDPOINT, TS_RIGHT_RECV, &c);

	if (!err)
		*ep = c->obj;
	return err;
}

long sys_recv(uint64_t ep_slot, uint64_t umsg, uint64_t timeout_ns)
{
	struct endpoint *ep;
	int err = recv_endpoint(ep_slot, &ep);

	return err ? err : do_recv(current_thread(), ep, umsg, timeout_ns);
}

/* Answer the caller named by m->reply with m (already in the kernel). */
static long do_reply(const struct ts_msg *m)
{
	struct thread *t = ipc_caller_of(m->reply);
	struct cap *c = NULL;

	if (!t)
		return -ESRCH;
	if (m->cap != TS_NOCAP) {
		int err = cap_get(m->cap, TS_CAP_NULL, 0, &c);
		if (err)
			return err;
	}
	t->msg = *m;
	t->msg.reply = 0;
	t->msg.badge = 0;
	t->msg.buf = t->msg.buf_len = t->msg.buf_flags = 0;
	t->msg.cap = TS_NOCAP;
	if (c) {
		int slot = cap_install(t->proc, c);
		t->msg.cap = slot < 0 ? TS_NOCAP : (uint32_t)slot;
	}
	end_reply_wait(t);
	sched_wake(t, 0);
	return 0;
}

long sys_reply(uint64_t unused, uint64_t umsg)
{
	struct thread *self = current_thread();
	int err = msg_in(self, umsg);

	(void)unused;
	return err ? err : do_reply(&self->msg);
}

long sys_reply_recv(uint64_t ep_slot, uint64_t umsg)
{
	struct thread *self = current_thread();
	struct endpoint *ep;
	int err = recv_endpoint(ep_slot, &ep);

	if (!err)
		err = msg_in(self, umsg);
	if (err)
		return err;
	/* a caller that died meanwhile needs no answer: receive regardless */
	if (self->msg.reply)
		do_reply(&self->msg);
	return do_recv(self, ep, umsg, 0);
}

void ipc_notify(struct endpoint *ep, uint64_t bits)
{
	ep->pending |= bits;
	if (!ep->pending || list_empty(&ep->receivers))
		return;
	struct thread *r = list_first(&ep->receivers, struct thread, run_link);
	list_remove(&r->run_link);
	r->ep = NULL;
	notification_msg(&r->msg, ep->pending);
	ep->pending = 0;
	sched_wake(r, 0);
}

int notify_target_set(struct notify_target *t, uint64_t ep_slot, uint64_t bit)
{
	struct cap *c;
	int err = cap_get(ep_slot, TS_CAP_ENDPOINT, TS_RIGHT_SEND, &c);

	if (err)
		return err;
	if (bit >= 64)
		return -EINVAL;
	endpoint_retain(c->obj, 0);
	notify_target_clear(t);
	t->ep = c->obj;
	t->bits = 1ull << bit;
	return 0;
}

void notify_target_fire(const struct notify_target *t)
{
	if (t->ep)
		ipc_notify(t->ep, t->bits);
}

void notify_target_clear(struct notify_target *t)
{
	if (t->ep)
		endpoint_release(t->ep, 0);
	t->ep = NULL;
}

long sys_notify(uint64_t ep_slot, uint64_t bits)
{
	struct cap *c;
	int err = cap_get(ep_slot, TS_CAP_ENDPOINT, TS_RIGHT_SEND, &c);

	if (err)
		return err;
	if (!bits)
		return -EINVAL;
	ipc_notify(c->obj, bits);
	return 0;
}

long sys_grant_copy(uint64_t reply, uint64_t offset, uint64_t local, uint64_t len,
		    uint64_t dir)
{
	struct thread *t = ipc_caller_of(reply);
	struct vm_space *mine = current_proc()->vm;

	if (!t)
		return -ESRCH;
	if (dir > TS_COPY_TO_CALLER)
		return -EINVAL;
	const struct ts_msg *m = &t->msg;
	unsigned need = dir == TS_COPY_TO_CALLER ? TS_GRANT_WRITE : TS_GRANT_READ;
	if (!(m->buf_flags & need))
		return -EPERM;
	if (offset > m->buf_len || len > m->buf_len - offset)
		return -EFAULT;
	int err = dir == TS_COPY_TO_CALLER
		? copy_user_to_user(t->proc->vm, m->buf + offset, mine, local, len)
		: copy_user_to_user(mine, local, t->proc->vm, m->buf + offset, len);
	return err ? err : (long)len;
}

void ipc_cancel(struct thread *t)
{
	switch (t->state) {
	case T_SEND:
	case T_RECV:
		list_remove(&t->run_link);
		drop_xfer(t);
		t->ep = NULL;
		break;
	case T_REPLY:
		end_reply_wait(t);
		break;
	default:
		break;
	}
}

/* Only p's own callers: the work is bounded by what p holds, not by how
 * many threads ever existed. */
void ipc_fail_callers_of(struct process *p)
{
	struct list_node *pos, *tmp;

	list_for_each_safe(pos, tmp, &p->callers) {
		struct thread *t = list_entry(pos, struct thread, reply_link);
		end_reply_wait(t);
		sched_wake(t, -EPIPE);
	}
}
