/*
 * An event loop for native servers and drivers (lib/rt/loop.c). One thread
 * waits on the loop's endpoint for what may come next and runs its handler:
 *
 *   - a call: the serve function answers it (a generated NAME_dispatch);
 *   - notification bits (an interrupt, a peer's TS_SYS_NOTIFY);
 *   - the reply to one of the loop's own outstanding calls (loop_call);
 *   - a timer coming due.
 *
 * The kernel's calls are synchronous, so an outstanding call is made by one
 * of a few caller threads the loop starts on first use: it calls, stores the
 * reply and notifies the loop's endpoint with LOOP_BIT_REPLIES; the loop's
 * thread runs the call's completion. Handlers never run concurrently.
 */
#ifndef TESSERA_LOOP_H
#define TESSERA_LOOP_H

#include <tessera.h>

#define LOOP_TIMERS   16
#define LOOP_NOTIFY   8           /* notification handlers */
#define LOOP_CALLERS  4           /* outstanding calls at once */
#define LOOP_BIT_REPLIES (1ull << 63)   /* the loop's own bit on its endpoint */

/* A call's handler: the value to answer with, the reply built in m (or
 * TS_NO_REPLY: answered later). */
typedef long loop_serve_fn(void *ctx, struct ts_msg *m);
typedef void loop_notify_fn(void *ctx, uint64_t bits);
typedef void loop_timer_fn(void *ctx);
/* An outstanding call is done: err is ts_call's (0, or the kernel's -errno),
 * reply the answer when err is 0. */
typedef void loop_reply_fn(void *ctx, long err, const struct ts_msg *reply);

struct loop_caller {
	struct loop *loop;
	uint32_t wake;                /* its own endpoint: the loop posts work here */
	uint32_t ep;
	int state;                    /* CALLER_*, loop.c */
	long err;
	struct ts_msg msg;
	loop_reply_fn *fn;
	void *ctx;
	uint8_t stack[8192] __attribute__((aligned(16)));
};

struct loop {
	uint32_t ep;
	loop_serve_fn *serve;
	void *serve_ctx;
	struct { uint64_t bits; loop_notify_fn *fn; void *ctx; } notify[LOOP_NOTIFY];
	unsigned nnotify;
	struct { uint64_t deadline; loop_timer_fn *fn; void *ctx; } timer[LOOP_TIMERS];
	unsigned ntimers;             /* of them set */
	struct loop_caller caller[LOOP_CALLERS];
	struct ts_msg msg;            /* the message received last, then its answer */
	bool answer;                  /* msg is an answer to send */
	bool stop;
};

/* A loop receiving on ep (a slot with the receive right). */
void loop_init(struct loop *l, uint32_t ep, loop_serve_fn *serve, void *ctx);
/* fn runs with the bits of these that came; -ENOSPC if the table is full, -EINVAL for
 * LOOP_BIT_REPLIES or none. */
long loop_on_notify(struct loop *l, uint64_t bits, loop_notify_fn *fn, void *ctx);
/* fn runs once, ns from now: a timer id, or -ENOSPC. */
long loop_timer(struct loop *l, uint64_t ns, loop_timer_fn *fn, void *ctx);
void loop_timer_cancel(struct loop *l, long id);
/* m called on ep by a caller thread; fn runs in the loop when the reply comes:
 * 0, or -EAGAIN if LOOP_CALLERS calls are outstanding already. */
long loop_call(struct loop *l, uint32_t ep, const struct ts_msg *m, loop_reply_fn *fn,
	       void *ctx);
/* Wait for one event and handle it: 0, or a receive's -errno. */
long loop_once(struct loop *l);
/* Handle events until loop_stop: 0, or a receive's -errno. */
long loop_run(struct loop *l);
void loop_stop(struct loop *l);

#endif
