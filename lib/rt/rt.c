/* Exit and logging for native programs. */
#include <tessera.h>

void ts_exit(int status)
{
	TS_CALL1(TS_SYS_EXIT, status);
	__builtin_unreachable();
}

void ts_print(const char *fmt, ...)
{
	char buf[240];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	TS_CALL2(TS_SYS_LOG, buf, MIN((size_t)n, sizeof buf - 1));
}
