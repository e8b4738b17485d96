/* Process start-up as Linux lays it out: argc/argv, environment, auxv. */
#include <stdlib.h>
#include <sys/auxv.h>
#include "check.h"

int main(int argc, char **argv)
{
	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	printf("PATH=%s\n", getenv("PATH") ? getenv("PATH") : "(unset)");
	printf("HOME=%s\n", getenv("HOME") ? getenv("HOME") : "(unset)");
	CHECK(argv[argc] == NULL);
	CHECK(getauxval(AT_PAGESZ) == 4096);
	CHECK(getauxval(AT_RANDOM) != 0);
	CHECK(getauxval(AT_PHDR) != 0 && getauxval(AT_PHNUM) > 0);
	CHECK(getauxval(AT_ENTRY) != 0);
	CHECK(getauxval(AT_SECURE) == 0);
	return done();
}
