/* The event loop (loop.h): calls, notifications, replies to the loop's own
 * calls, timers, all handled by the thread in loop_once. */
#include <loop.h>

/* A caller's state: only the loop's thread moves it from IDLE to BUSY and
 * from DONE to IDLE, only the caller's from BUSY to DONE. */
enum { CALLER_UNSTARTED, CALLER_IDLE, CALLER_BUSY, CALLER_DONE };

void loop_init(struct loop *l, uint32_t ep, loop_serve_fn *serve, void *ctx)
{
	memset(l, 0, sizeof *l);
	l->ep = ep;
	l->serve = serve;
	l->serve_ctx = ctx;
	l->msg = ts_msg_make(0);
}

long loop_on_notify(struct loop *l, uint64_t bits, loop_notify_fn *fn, void *ctx)
{
	if (!bits || (bits & LOOP_BIT_REPLIES))
		return -EINVAL;
	if (l->nnotify == LOOP_NOTIFY)
		return -ENOSPC;
	l->notify[l->nnotify++] = (typeof(l->notify[0])){ bits, fn, ctx };
	return 0;
}

long loop_timer(struct loop *l, uint64_t ns, loop_timer_fn *fn, void *ctx)
{
	for (long i = 0; i < LOOP_TIMERS; i++) {
		if (l->timer[i].fn)
			continue;
		l->timer[i].deadline = ts_clock() + ns;
		l->timer[i].fn = fn;
		l->timer[i].ctx = ctx;
		l->ntimers++;
		return i;
	}
	return -ENOSPC;
}

void loop_timer_cancel(struct loop *l, long id)
{
	if (id >= 0 && id < LOOP_TIMERS && l->timer[id].fn) {
		l->timer[id].fn = NULL;
		l->ntimers--;
	}
}

/* A caller thread: waits for work on its own endpoint, calls, reports. */
static void caller_main(uint64_t arg)
{
	struct loop_caller *c = (struct loop_caller *)arg;

	for (;;) {
		struct ts_msg wake = ts_msg_make(0);
		if (ts_recv(c->wake, &wake))
			continue;
		c->err = ts_call(c->ep, &c->msg);
		__atomic_store_n(&c->state, CALLER_DONE, __ATOMIC_RELEASE);
		ts_notify(c->loop->ep, LOOP_BIT_REPLIES);
	}
}

static long caller_start(struct loop *l, struct loop_caller *c)
{
	long wake = ts_ep_create();

	if (wake < 0)
		return wake;
	c->loop = l;
	c->wake = wake;
	long tid = ts_thread_create(caller_main, c->stack + sizeof c->stack, (uint64_t)c);
	if (tid < 0) {
		ts_cap_delete(wake);
		return tid;
	}
	c->state = CALLER_IDLE;
	return 0;
}

long loop_call(struct loop *l, uint32_t ep, const struct ts_msg *m, loop_reply_fn *fn,
	       void *ctx)
{
	for (unsigned i = 0; i < LOOP_CALLERS; i++) {
		struct loop_caller *c = &l->caller[i];
		if (c->state == CALLER_UNSTARTED) {
			long err = caller_start(l, c);
			if (err)
				return err;
		}
		if (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != CALLER_IDLE)
			continue;
		c->ep = ep;
		c->msg = *m;
		c->fn = fn;
		c->ctx = ctx;
		c->state = CALLER_BUSY;
		return ts_notify(c->wake, 1);
	}
	return -EAGAIN;
}

static void replies_came(struct loop *l)
{
	for (unsigned i = 0; i < LOOP_CALLERS; i++) {
		struct loop_caller *c = &l->caller[i];
		if (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != CALLER_DONE)
			continue;
		struct ts_msg reply = c->msg;
		c->state = CALLER_IDLE;      /* the completion may call again */
		c->fn(c->ctx, c->err, &reply);
	}
}

static void notified(struct loop *l, uint64_t bits)
{
	if (bits & LOOP_BIT_REPLIES)
		replies_came(l);
	for (unsigned i = 0; i < l->nnotify; i++)
		if (bits & l->notify[i].bits)
			l->notify[i].fn(l->notify[i].ctx, bits & l->notify[i].bits);
}

/* The time until the next timer is due (at least 1 ns), or 0 for none. The
 * clock is read only when a timer is set: a server's hot path never does. */
static uint64_t next_timeout(const struct loop *l)
{
	uint64_t now = l->ntimers ? ts_clock() : 0, wait = 0;

	for (unsigned i = 0; i < LOOP_TIMERS; i++) {
		if (!l->timer[i].fn)
			continue;
		uint64_t left = l->timer[i].deadline > now ? l->timer[i].deadline - now : 1;
		if (!wait || left < wait)
			wait = left;
	}
	return wait;
}

static void run_timers(struct loop *l)
{
	if (!l->ntimers)
		return;
	uint64_t now = ts_clock();

	for (unsigned i = 0; i < LOOP_TIMERS; i++) {
		loop_timer_fn *fn = l->timer[i].fn;
		if (!fn || l->timer[i].deadline > now)
			continue;
		l->timer[i].fn = NULL;       /* before fn, which may set it again */
		l->ntimers--;
		fn(l->timer[i].ctx);
	}
}

/* Send the answer to the last call, if it has one, and receive the next
 * message: with one system call when no timer limits the wait. */
static long receive(struct loop *l)
{
	uint64_t timeout = next_timeout(l);
	bool answer = l->answer;

	l->answer = false;
	if (answer && !timeout)
		return ts_reply_recv(l->ep, &l->msg);
	if (answer)
		ts_reply(&l->msg);
	l->msg = ts_msg_make(0);
	return ts_recv_timeout(l->ep, &l->msg, timeout);
}

/* A call to a loop that serves none: -ENOSYS, its capability dropped. */
static long refuse(struct ts_msg *m)
{
	uint64_t reply = m->reply;

	if (m->cap != TS_NOCAP)
		ts_cap_delete(m->cap);
	*m = ts_msg_make((uint64_t)-ENOSYS);
	m->reply = reply;
	return -ENOSYS;
}

long loop_once(struct loop *l)
{
	long err = receive(l);
	struct ts_msg *m = &l->msg;

	if (err && err != -ETIMEDOUT)
		return err;
	if (!err && m->label == TS_LABEL_NOTIFY) {
		notified(l, m->word[0]);
	} else if (!err) {
		long r = l->serve ? l->serve(l->serve_ctx, m) : refuse(m);
		l->answer = r != TS_NO_REPLY;
	}
	run_timers(l);
	return 0;
}

long loop_run(struct loop *l)
{
	while (!l->stop) {
		long err = loop_once(l);
		if (err)
			return err;
	}
	return 0;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}
