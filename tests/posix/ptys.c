/* Pseudo-terminals come from memory, not from a small table: 20 pairs are
 * open at once (as root and as uid 1000), each slave its own terminal
 * carrying what its master types; closed, they go and as many come again. */
#define _GNU_SOURCE
#include <grp.h>
#include <stdlib.h>
#include <termios.h>
#include "pty.h"

#define PAIRS 20

static int masters[PAIRS], slaves[PAIRS];

/* the pairs open: how many */
static int open_pairs(void)
{
	int n = 0;

	for (; n < PAIRS; n++) {
		masters[n] = posix_openpt(O_RDWR | O_NOCTTY);
		if (masters[n] < 0 || grantpt(masters[n]) || unlockpt(masters[n]))
			break;
		slaves[n] = open(ptsname(masters[n]), O_RDWR | O_NOCTTY);
		if (slaves[n] < 0)
			break;
	}
	return n;
}

/* the names differ; what each master types, its own slave reads */
static void pairs_work(void)
{
	char names[PAIRS][32], line[16], buf[16];
	int distinct = 1, carried = 0;

	for (int i = 0; i < PAIRS; i++) {
		snprintf(names[i], sizeof names[i], "%s", ptsname(masters[i]));
		for (int j = 0; j < i; j++)
			distinct &= strcmp(names[i], names[j]) != 0;
	}
	CHECK(distinct);
	for (int i = 0; i < PAIRS; i++) {
		int n = snprintf(line, sizeof line, "pair %d\n", i);
		if (write(masters[i], line, (size_t)n) == n && gather(slaves[i], buf, n) == n &&
		    !memcmp(buf, line, (size_t)n))
			carried++;
	}
	printf("%d of %d pairs carry their own line\n", carried, PAIRS);
}

static void close_pairs(void)
{
	for (int i = 0; i < PAIRS; i++)
		close(slaves[i]), close(masters[i]);
}

static void run(void)
{
	printf("as uid %d: %d pairs open\n", (int)getuid(), open_pairs());
	pairs_work();
	close_pairs();
	printf("again: %d pairs open\n", open_pairs());
	close_pairs();
	fflush(stdout);
}

int main(void)
{
	CHECK(as_root_and_user(run) == 0);
	return done();
}
