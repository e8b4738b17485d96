/* libFuzzer's entry: each input is a run of requests to one server, started
 * from the state its init left (shim.h). */
#include <stdio.h>
#include <stdlib.h>
#include "shim.h"

static unsigned long requests;      /* served in all, for run.sh's figures */

static void count_requests(void)
{
	fprintf(stderr, "hostfuzz: %lu requests\n", requests);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	atexit(count_requests);
	shim_reset();
	int err = hostfuzz_server.init();
	if (err) {
		fprintf(stderr, "hostfuzz: %s does not start: %d\n", hostfuzz_server.name, err);
		exit(1);
	}
	snapshot_take();
	return 0;
}

/* HOSTFUZZ_TRACE=1: each request and its answer on stderr (to read a crash). */
static void trace(const struct ts_msg *m, const char *what, long r)
{
	static int on = -1;

	if (on < 0)
		on = getenv("HOSTFUZZ_TRACE") != NULL;
	if (!on)
		return;
	fprintf(stderr, "%s label %#lx pid %lu tid %lu words", what, (unsigned long)m->label,
		(unsigned long)(uint32_t)m->badge, (unsigned long)(m->badge >> 32));
	for (int i = 0; i < TS_MSG_WORDS; i++)
		fprintf(stderr, " %#lx", (unsigned long)m->word[i]);
	fprintf(stderr, " cap %d grant %lu/%lu -> %ld\n", (int)m->cap,
		(unsigned long)m->buf_len, (unsigned long)m->buf_flags, r);
}

/* The requests of one input, served from init's state, which is put back
 * after; returns a hash of the answers. */
static uint64_t run(const uint8_t *data, size_t size)
{
	struct ts_msg m;
	unsigned event;

	shim_reset();
	input_begin(data, size);
	while (input_next_request(&m, &event)) {
		if (!hostfuzz_server.dispatch[event])
			event = HOSTFUZZ_ENDPOINT;
		long (*dispatch)(struct ts_msg *) = hostfuzz_server.dispatch[event];
		if (event == HOSTFUZZ_TIMEOUT)
			m = (struct ts_msg){ .cap = TS_NOCAP };
		trace(&m, "request", 0);
		long r = dispatch(&m);
		requests++;
		trace(&m, "answer ", r);
		if (r != TS_NO_REPLY)
			input_answered(m.reply, (uint64_t)r);
	}
	uint64_t answers = input_answers();
	input_end();
	snapshot_restore();
	return answers;
}

/* Each input twice: the same answers both times, or some state outlived the
 * first run (the snapshot misses it), and crash files would not replay. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (run(data, size) != run(data, size)) {
		fprintf(stderr, "hostfuzz: %s answered the same input differently the second time\n",
			hostfuzz_server.name);
		abort();
	}
	return 0;
}
