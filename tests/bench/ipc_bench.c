/* IPC micro-benchmarks against the echo server; one "name: value unit" line
 * each (tests/bench/run.sh collects them from the serial log). */
#include <tessera.h>
#include <proto/echo.h>

#define PINGS 20000

static long echo;
static uint64_t tsc_per_us;
static uint8_t buf[64 << 10];

static uint64_t cycles_to_ns(uint64_t c) { return c * 1000 / tsc_per_us; }

/* Average cycles per call of label with a grant of len bytes. */
static uint64_t measure(uint64_t label, uint64_t len, unsigned n)
{
	struct ts_msg m;
	uint64_t t0 = ts_rdtsc();

	for (unsigned i = 0; i < n; i++) {
		m = ts_msg_make(label);
		idl_put_grant(&m, buf, len, TS_GRANT_READ);
		if (ts_call(echo, &m) || (len && m.label != len)) {
			ts_print("call failed: label %#lx", m.label);
			ts_exit(1);
		}
	}
	return (ts_rdtsc() - t0) / n;
}

/* Average cycles of the cheapest kernel entry and exit. */
static uint64_t measure_null_syscall(unsigned n)
{
	uint64_t t0 = ts_rdtsc();

	for (unsigned i = 0; i < n; i++)
		TS_CALL0(TS_SYS_CLOCK);
	return (ts_rdtsc() - t0) / n;
}

int main(void)
{
	struct ts_stats st;

	echo = names_lookup("echo", true);
	if (echo < 0 || ts_stats(&st))
		return 1;
	tsc_per_us = st.tsc_per_us;
	measure(ECHO_PING, 0, 1000);                       /* warm up */
	uint64_t c = measure(ECHO_PING, 0, PINGS);
	ts_print("ipc_call_reply_ns: %lu ns", cycles_to_ns(c));
	ts_print("ipc_call_reply_cycles: %lu cycles", c);
	ts_print("native_syscall_ns: %lu ns", cycles_to_ns(measure_null_syscall(PINGS)));
	ts_print("ipc_4k_transfer_ns: %lu ns", cycles_to_ns(measure(ECHO_SINK, 4096, 5000)));
	ts_print("ipc_64k_transfer_ns: %lu ns", cycles_to_ns(measure(ECHO_SINK, 65536, 1000)));
	ts_print("boot_to_first_user_ms: %lu ms", st.boot_to_first_user_ns / 1000000);
	return 0;
}
