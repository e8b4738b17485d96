/* libFuzzer's entry: each input is a run of requests to one server, started
 * from the state its init left (shim.h). */
#include <stdio.h>
#include <stdlib.h>
#include "shim.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	shim_reset();
	int err = hostfuzz_server.init();
	if (err) {
		fprintf(stderr, "hostfuzz: %s does not start: %d\n", hostfuzz_server.name, err);
		exit(1);
	}
	snapshot_take();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ts_msg m;

	shim_reset();
	input_begin(data, size);
	while (input_next_request(&m)) {
		long r = hostfuzz_server.dispatch(&m);
		if (r != TS_NO_REPLY)
			input_answered(m.reply);
	}
	input_end();
	snapshot_restore();
	return 0;
}
