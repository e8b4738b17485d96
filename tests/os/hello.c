/* The demo client `make run` starts: finds the echo server through the name
 * service and talks to it. */
#include <tessera.h>
#include <tessera/proto/echo.h>

int main(void)
{
	long echo = names_lookup("echo", true);

	if (echo < 0) {
		ts_print("no echo server: %ld", echo);
		return 1;
	}
	struct ts_msg m = ts_msg_make(ECHO_PING);
	m.word[0] = 42;
	long err = ts_call(echo, &m);
	ts_print("echo answered %ld: label %#lx word %lu", err, m.label, m.word[0]);

	static char text[] = "hello, tessera";
	m = ts_msg_make(ECHO_INCREMENT);
	m.word[0] = m.buf_len = sizeof text - 1;
	m.buf = (uint64_t)text;
	m.buf_flags = TS_GRANT_READ | TS_GRANT_WRITE;
	err = ts_call(echo, &m);
	ts_print("echo incremented %ld bytes in place: \"%s\"", (long)m.label, text);
	return err ? 1 : 0;
}
