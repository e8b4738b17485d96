/* Clocks and sleeping. */
#include <time.h>
#include "check.h"

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void)
{
	struct timespec a, b, req = { 0, 20000000 };

	CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
	CHECK(nanosleep(&req, NULL) == 0);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
	CHECK(ns(b) - ns(a) >= 20000000);
	CHECK(ns(b) - ns(a) < 2000000000);
	req.tv_nsec = 1000000000;
	CHECK_ERR(nanosleep(&req, NULL), EINVAL);
	CHECK(time(NULL) > 0);
	return done();
}
