/* A CPU-bound loop that makes no syscalls (it reads the TSC). Two copies
 * run at once; each must see the CPU taken away and given back several times
 * (preemption by the timer), and both must make progress. */
#include "check.h"

#define RUN_US 600000ull
#define GAP_US 2000ull

int main(void)
{
	struct ts_stats st;

	if (ts_stats(&st))
		return 2;
	uint64_t run = RUN_US * st.tsc_per_us, gap = GAP_US * st.tsc_per_us;
	uint64_t start = ts_rdtsc(), last = start, now, loops = 0, gaps = 0;

	do {
		now = ts_rdtsc();
		if (now - last > gap)
			gaps++;          /* another thread ran in between */
		last = now;
		loops++;
	} while (now - start < run);
	ts_print("%lu loops, preempted %lu times", loops, gaps);
	EXPECT(loops > 1000);
	EXPECT(gaps >= 5);
	return checks_done("spin");
}
