/* fuzz: the in-OS system-call fuzzer (tests/fuzz/README.md), run as pid 1
 * of its own image, its log on the console:
 *   fuzz run SEED FIRST COUNT [UID]
 *                 calls FIRST..FIRST+COUNT-1 of SEED, each child as UID or
 *                 (none, -1) uid 0 or 1000
 *   fuzz replay DIR   every corpus entry in DIR
 * Exits 0 only if every health check passed; "fuzz: FAIL" lines say why. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz.h"

void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("fuzz: ");
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

/* What the generated paths name: a directory and a symlink in /tmp */
static void setup_files(void)
{
	mkdir("/tmp/fzd", 0777);
	chmod("/tmp/fzd", 0777);
	symlink("/tmp/fz0", "/tmp/fzl");
}

int main(int argc, char **argv)
{
	int failed;

	setup_files();
	if (argc >= 5 && !strcmp(argv[1], "run")) {
		failed = run_calls(strtoull(argv[2], 0, 0), strtoull(argv[3], 0, 0),
				   strtoull(argv[4], 0, 0), argc > 5 ? atoi(argv[5]) : -1);
	} else if (argc == 3 && !strcmp(argv[1], "replay")) {
		failed = corpus_replay(argv[2]);
	} else {
		say("usage: fuzz run SEED FIRST COUNT [UID] | fuzz replay DIR");
		return 2;
	}
	run_summary();
	say("%s", failed ? "FAILED" : "the system answered every check");
	return failed;
}
