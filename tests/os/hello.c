/* The demo client `make run` starts: finds the echo server through the name
 * service and talks to it. */
#include <tessera.h>
#include <proto/echo_client.h>

int main(void)
{
	long echo = names_lookup("echo", true);
	uint64_t word = 0;

	if (echo < 0) {
		ts_print("no echo server: %ld", echo);
		return 1;
	}
	long r = echo_ping_call(echo, 42, 0, 0, 0, 0, 0, &word, NULL, NULL, NULL, NULL, NULL);
	ts_print("echo answered %#lx: word %lu", r, word);

	static char text[] = "hello, tessera";
	r = echo_increment_call(echo, text, sizeof text - 1);
	ts_print("echo incremented %ld bytes in place: \"%s\"", r, text);
	return r < 0 ? 1 : 0;
}
