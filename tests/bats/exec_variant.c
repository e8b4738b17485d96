/* One of several distinct programs (VARIANT is set at build time) for
 * tests/bats/exec.bats: each says which it is from its code and its
 * initialised data, and whether its .data and .bss started as the file
 * has them although earlier runs of it wrote both. */
#include <stdio.h>

static int data[1024] = { [0] = VARIANT, [1023] = VARIANT * 3 };
static int bss[1024];

int main(void)
{
	int pristine = data[0] == VARIANT && data[1023] == VARIANT * 3 && !bss[1000];

	data[0] = data[1023] = -1;
	bss[1000] = 1;
	printf("variant %d %s\n", VARIANT, pristine ? "pristine" : "changed");
	return !pristine;
}
