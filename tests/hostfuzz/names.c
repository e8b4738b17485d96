/* The name service (servers/names/names.c) for the host fuzzer: its file is
 * included, for its static dispatch; it has nothing to set up before its loop. */
#define main names_main
#include "../../servers/names/names.c"
#undef main
#include "shim.h"

static int start(void)
{
	return 0;
}

const struct hostfuzz_server hostfuzz_server = { "names", start, { dispatch } };
