/* The in-OS system-call fuzzer (tests/fuzz/README.md): shared declarations.
 * A call is a pure function of (seed, index), so a seed and an index range
 * replay the same calls; children make them, the parent checks the system. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>

#define FUZZ_BUF      0x5000000000ul  /* the child's buffers: BUF_SIZE read-write */
#define FUZZ_BUF_SIZE 0x10000ul       /* followed by an unmapped page */
#define FUZZ_RO       0x5000020000ul  /* one read-only page */
#define FUZZ_NFDS     8               /* fds 0..7 open in every child (child.c) */
#define FUZZ_LOG_FD   900             /* the console, for the call log */
#define FUZZ_PROG_FD  901             /* progress to the parent (a pipe) */
#define FUZZ_PROG_EVERY 8             /* calls between progress reports */
#define FUZZ_SETUP_FAILED 121         /* a child's status: it could not start */

struct call {
	uint64_t nr;
	uint64_t arg[6];
};

/* gen.c: the deterministic generator */
uint64_t mix(uint64_t seed, uint64_t index);
uint64_t rnd(uint64_t *state);
void gen_args(uint64_t *state, uint64_t arg[6]);
const char *gen_path(unsigned i);
unsigned gen_paths(void);

/* calls.c: which numbers, which excluded, pid arguments kept off the parent */
void call_make(uint64_t seed, uint64_t index, struct call *c);
int call_is_fork(uint64_t nr);
int call_stops_alarm(uint64_t nr);

/* child.c: a child making calls; never returns */
struct batch {
	uint64_t seed, first, count;  /* generated calls first..first+count-1 */
	const struct call *list;      /* or these count calls (a corpus sequence) */
	int uid;                      /* 0, or the uid and gid to drop to */
	int progress;                 /* write end of the progress pipe */
};
void child_run(const struct batch *b) __attribute__((noreturn));

/* parent.c: run batches in children, checking the system after each */
extern int stall_fails;  /* nonzero: a child without progress fails too */
int run_calls(uint64_t seed, uint64_t first, uint64_t count, int uid);
int run_list(const struct call *list, uint64_t count, int uid);
void run_summary(void);

/* health.c: 0 if files, pipes, fork and the process manager answer */
int health_check(char *what, unsigned size);

/* corpus.c: replay every entry under a directory */
int corpus_replay(const char *dir);

/* main.c */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
