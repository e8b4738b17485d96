/*
 * Host fuzzing of a server's request handling (make fuzz-host). A server's
 * sources are built for the host with TESSERA_HOST_SHIM, so that its kernel
 * calls (lib/rt/tessera.h: ts_syscall, ts_ipc) come to the shim (shim.c),
 * which serves the fuzzer's bytes as requests, records the answers and
 * answers the server's own calls with results the fuzzer chooses.
 *
 * One glue file per server (names.c, vfs.c, pm.c) names the server's
 * dispatch function and how to start it; fuzz.c is libFuzzer's entry.
 */
#ifndef HOSTFUZZ_SHIM_H
#define HOSTFUZZ_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <tessera.h>

enum { HOSTFUZZ_ENDPOINT, HOSTFUZZ_SECOND_ENDPOINT, HOSTFUZZ_TIMEOUT, HOSTFUZZ_EVENTS };

struct hostfuzz_server {
	const char *name;
	/* Bring the server to its message loop; 0 or the reason it cannot. */
	int (*init)(void);
	/* What the server does with one event (the answer, or TS_NO_REPLY as
	 * its loop has it): a request to its endpoint; to a second endpoint, if
	 * it serves one; its wait for requests timing out (the message is
	 * empty), if it waits with a timeout. NULL: none (the first takes it). */
	long (*dispatch[HOSTFUZZ_EVENTS])(struct ts_msg *m);
};
extern const struct hostfuzz_server hostfuzz_server;

/* Run a server's main until it first waits for a request (its loop):
 * returns 0 there, or main's status if main returns first. */
int hostfuzz_run_main(int (*main)(const struct ts_startinfo *), const char *args);

/* The kernel's own counters (clock, slots) as at the start. */
void shim_reset(void);

/* The server's state as init left it: saved once, put back after every input. */
void snapshot_take(void);
void snapshot_restore(void);
/* The same for the server's heap (heap.c). */
void heap_take(void);
void heap_restore(void);

/* One input: the requests it holds (fuzz.c), the answers it chooses (shim.c). */
void input_begin(const uint8_t *data, size_t size);
/* The next event (HOSTFUZZ_ENDPOINT...) and its request, or false when the
 * input has no more. */
bool input_next_request(struct ts_msg *m, unsigned *event);
/* The request with this reply handle is answered with label: 0, or -ESRCH
 * if it was not waiting (as the kernel says to a stale handle). */
long input_answered(uint64_t reply, uint64_t label);
/* A hash of this input's answers so far, in order. */
uint64_t input_answers(void);
void input_end(void);

/* The shim's choices, taken from the input's back (input.c); once that is
 * used up: 0, zero bytes, success. choose_bytes takes at most 64 bytes. */
bool input_left(void);
uint8_t choose_byte(void);
void choose_bytes(void *dst, size_t len);
/* ok, or now and then an error a kernel call can return. */
long choose_result(long ok);

/* A request of this input not answered yet, by its reply handle, or NULL. */
struct request {
	uint64_t reply;
	uint8_t *grant;             /* the caller's granted buffer */
	uint64_t grant_len, grant_flags;
	bool answered;
};
struct request *request_of(uint64_t reply);

#endif
